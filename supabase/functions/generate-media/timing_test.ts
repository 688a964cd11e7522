// The Server-Timing figures: steps add up per call, a step that throws still counts, and the
// demo provider reports its render and encode apart.
import { assert, assertEquals } from "../tests/assert.ts";
import { mediaRequest } from "./params.ts";
import { demoImage, demoVideo } from "./providers/demo.ts";
import { CallTimings, type StepTimes, timed, timedAsync } from "./timing.ts";

Deno.test("a call's header sums each step over its generations, in a fixed order, then its own total", () => {
  const t = new CallTimings();
  t.add({ upload: 10, render: 100.04 });
  t.add({ render: 50, encode: 20.26 });
  t.generations = 2;
  assertEquals(
    t.header(300),
    'render;dur=150, encode;dur=20.3, upload;dur=10, total;dur=300;desc="steps summed over 2 generations"',
  );
  assertEquals(new CallTimings().header(5), 'total;dur=5;desc="steps summed over 0 generations"');
});

Deno.test("a step's time counts even when its work throws", async () => {
  const times: StepTimes = {};
  const busy = (ms: number) => {
    const end = performance.now() + ms;
    while (performance.now() < end) { /* spin */ }
  };
  try {
    timed(times, "render", () => {
      busy(5);
      throw new Error("no");
    });
  } catch { /* expected */ }
  await timedAsync(times, "upload", () => Promise.reject(new Error("no"))).catch(() => {});
  assert((times.render ?? 0) >= 5, JSON.stringify(times));
  assert(times.upload !== undefined, JSON.stringify(times));
});

Deno.test("the demo provider reports render and encode apart, for images and videos", async () => {
  const image = await demoImage(
    mediaRequest({ id: "i", kind: "image", prompt: "a lighthouse", params: { resolution: 256 } }),
  );
  assert((image.times?.render ?? 0) > 0 && (image.times?.encode ?? 0) > 0, JSON.stringify(image.times));
  const video = await demoVideo(
    mediaRequest({ id: "v", kind: "video", prompt: "waves", params: { resolution: 64, duration_ms: 500 } }),
  );
  assert((video.times?.render ?? 0) > 0 && (video.times?.encode ?? 0) > 0, JSON.stringify(video.times));
});
