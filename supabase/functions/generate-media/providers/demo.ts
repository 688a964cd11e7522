// The offline demo provider: images (PNG) and short videos (H.264 in MP4) drawn from the
// prompt, deterministic for (prompt, seed, params).
import type { MediaRequest } from "../params.ts";
import { compose, render } from "../art.ts";
import { encodePng } from "../png.ts";
import { encodeFrame, spsPps } from "../h264.ts";
import { muxMp4 } from "../mp4.ts";
import type { MediaOutput, Provider } from "./provider.ts";
import { type StepTimes, timed, timedAsync } from "../timing.ts";

export const DEMO_MODEL = "atelier-demo-1";
const THUMB_LONG_SIDE = 256;
export const VIDEO_FPS = 12;

function thumbSize(w: number, h: number): [number, number] {
  const k = THUMB_LONG_SIDE / Math.max(w, h);
  return [Math.max(2, Math.round(w * k)), Math.max(2, Math.round(h * k))];
}

/** Yields to the event loop so other requests and timers keep running between heavy steps. */
const breathe = () => new Promise((r) => setTimeout(r, 0));

export async function demoImage(req: MediaRequest): Promise<MediaOutput> {
  const times: StepTimes = {};
  const art = timed(times, "render", () => compose(req.prompt, req.seed, req.style));
  const pixels = timed(times, "render", () => render(art, req.width, req.height));
  const png = await timedAsync(times, "encode", () => encodePng(req.width, req.height, pixels));
  await breathe();
  const [tw, th] = thumbSize(req.width, req.height);
  const thumbPixels = timed(times, "render", () => render(art, tw, th));
  const thumb = await timedAsync(times, "encode", () => encodePng(tw, th, thumbPixels));
  return {
    media: { bytes: png, contentType: "image/png", ext: "png" },
    thumbnail: { bytes: thumb, contentType: "image/png", ext: "png" },
    width: req.width,
    height: req.height,
    durationMs: null,
    provider: "demo",
    model: DEMO_MODEL,
    used: { aspect_ratio: req.aspectRatio, seed: req.seed, width: req.width, height: req.height, model: DEMO_MODEL },
    times,
  };
}

export async function demoVideo(req: MediaRequest, signal?: AbortSignal): Promise<MediaOutput> {
  const times: StepTimes = {};
  const art = timed(times, "render", () => compose(req.prompt, req.seed, req.style));
  const { width, height } = req;
  const count = Math.round((req.durationMs / 1000) * VIDEO_FPS);
  const frames: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    if (signal?.aborted) throw signal.reason;
    const pixels = timed(times, "render", () => render(art, width, height, i / count));
    frames.push(timed(times, "encode", () => encodeFrame(pixels, width, height, i)));
    if (i % 6 === 5) await breathe();
  }
  const mp4 = timed(times, "encode", () => {
    const { sps, pps } = spsPps(width, height);
    return muxMp4({ width, height, fps: VIDEO_FPS, sps, pps, frames });
  });
  const [tw, th] = thumbSize(width, height);
  const posterPixels = timed(times, "render", () => render(art, tw, th, 0));
  const poster = await timedAsync(times, "encode", () => encodePng(tw, th, posterPixels));
  const durationMs = Math.round((count * 1000) / VIDEO_FPS);
  return {
    media: { bytes: mp4, contentType: "video/mp4", ext: "mp4" },
    thumbnail: { bytes: poster, contentType: "image/png", ext: "png" },
    width,
    height,
    durationMs,
    provider: "demo",
    model: DEMO_MODEL,
    used: {
      aspect_ratio: req.aspectRatio,
      seed: req.seed,
      width,
      height,
      duration_ms: durationMs,
      fps: VIDEO_FPS,
      model: DEMO_MODEL,
    },
    times,
  };
}

export function demoProvider(): Provider {
  return { name: "demo", generate: (req, signal) => (req.kind === "video" ? demoVideo(req, signal) : demoImage(req)) };
}
