// The video bound, measured: the largest video a request may ask for (square, the longest
// duration, VIDEO_MAX_LONG_SIDE) stays within the storage limit with margin, and the limit the
// function assumes is the one supabase/config.toml sets. Every demo frame is I_PCM, so one
// encoded frame times the frame count, muxed, is the video's exact size.
import { assert, assertEquals } from "../tests/assert.ts";
import { compose, render } from "./art.ts";
import { encodeFrame, spsPps } from "./h264.ts";
import { muxMp4 } from "./mp4.ts";
import {
  dimensions,
  IMAGE_MAX_LONG_SIDE,
  STORAGE_LIMIT_BYTES,
  STORAGE_MARGIN,
  VIDEO_MAX_DURATION_MS,
  VIDEO_MAX_LONG_SIDE,
} from "./params.ts";
import { demoImage, VIDEO_FPS } from "./providers/demo.ts";
import { mediaRequest } from "./params.ts";

/** The size of a demo video of `longSide` (square) and the longest duration. */
function videoBytes(longSide: number): number {
  const [w, h] = dimensions("1:1", longSide);
  const frame = encodeFrame(render(compose("a heron lifting off a misty lake", 7), w, h, 0), w, h, 0);
  const count = Math.round((VIDEO_MAX_DURATION_MS / 1000) * VIDEO_FPS);
  const { sps, pps } = spsPps(w, h);
  return muxMp4({ width: w, height: h, fps: VIDEO_FPS, sps, pps, frames: Array(count).fill(frame) }).length;
}

/** "50MiB" → bytes. */
function parseSize(text: string): number {
  const m = /^(\d+)\s*(B|KiB|MiB|GiB|KB|MB|GB)$/i.exec(text.trim());
  if (!m) throw new Error(`not a size: ${text}`);
  const unit: Record<string, number> = { b: 1, kib: 1024, mib: 1024 ** 2, gib: 1024 ** 3, kb: 1e3, mb: 1e6, gb: 1e9 };
  return Number(m[1]) * unit[m[2].toLowerCase()];
}

Deno.test("the storage limit the function assumes is the smaller of config.toml's global and bucket limits", async () => {
  const toml = await Deno.readTextFile(new URL("../../config.toml", import.meta.url));
  const section = (name: string) => toml.split(/^\[/m).find((s) => s.startsWith(`${name}]`)) ?? "";
  const limit = (name: string) => parseSize(/^file_size_limit\s*=\s*"([^"]+)"/m.exec(section(name))![1]);
  assertEquals(STORAGE_LIMIT_BYTES, Math.min(limit("storage"), limit("storage.buckets.generated_assets")));
});

Deno.test("the largest video a request may ask for fits the storage limit with margin", () => {
  const bytes = videoBytes(VIDEO_MAX_LONG_SIDE);
  console.log(
    `${VIDEO_MAX_LONG_SIDE}² × ${VIDEO_MAX_DURATION_MS} ms: ${(bytes / 1048576).toFixed(1)} MiB of ${
      STORAGE_LIMIT_BYTES / 1048576
    } MiB`,
  );
  assert(
    bytes <= STORAGE_LIMIT_BYTES * STORAGE_MARGIN,
    `${bytes} bytes leave less than ${(1 - STORAGE_MARGIN) * 100}% margin`,
  );
  // And the bound is not needlessly low: a quarter larger would no longer leave that margin.
  assert(
    videoBytes(Math.round(VIDEO_MAX_LONG_SIDE * 1.25)) > STORAGE_LIMIT_BYTES * STORAGE_MARGIN,
    "the bound could be higher",
  );
});

Deno.test("the largest image a request may ask for fits the storage limit", async () => {
  const out = await demoImage(
    mediaRequest({
      id: "x",
      kind: "image",
      prompt: "a heron lifting off a misty lake",
      params: { resolution: IMAGE_MAX_LONG_SIDE, seed: 7 },
    }),
  );
  assertEquals([out.width, out.height], [IMAGE_MAX_LONG_SIDE, IMAGE_MAX_LONG_SIDE]);
  assert(out.media.bytes.length <= STORAGE_LIMIT_BYTES * STORAGE_MARGIN, `${out.media.bytes.length} bytes`);
});
