// Media for a status (https://docs.joinmastodon.org/methods/media/): POST /api/v2/media answers 200
// when the file is ready or 202 while the instance still processes it (url null); then
// GET /api/v1/media/:id answers 206 until it is done and 200 after. A status may only attach
// finished media, so the connector waits here first.
import { call, type CallOptions } from "./api.ts";

/** Mastodon's limit on a media description (alt text). */
export const DESCRIPTION_MAX = 1500;

/** The alt text: the prompt, trimmed, cut to what Mastodon accepts. */
export function describe(prompt: string): string {
  const chars = [...prompt.trim()];
  return chars.length <= DESCRIPTION_MAX ? chars.join("") : chars.slice(0, DESCRIPTION_MAX - 1).join("") + "…";
}

/** Media still processing when the wait ran out. */
export class StillProcessing extends Error {
  constructor(readonly host: string, waitedMs: number) {
    super(`${host} was still processing the media after ${Math.round(waitedMs / 1000)} s`);
  }
}

export interface Waiting {
  /** The first pause between polls; each next one is half again as long, up to `maxIntervalMs`. */
  intervalMs: number;
  maxIntervalMs: number;
  /** When to give up waiting (epoch ms). */
  deadline: number;
  sleep(ms: number): Promise<void>;
}

const EXTENSIONS: Record<string, string> = {
  "image/png": "png",
  "image/jpeg": "jpg",
  "image/webp": "webp",
  "image/gif": "gif",
  "video/mp4": "mp4",
  "video/webm": "webm",
};

export function fileName(mediaPath: string | null, contentType: string): string {
  const last = mediaPath?.split("/").pop();
  return last && /^[\w.-]{1,100}$/.test(last) ? last : `media.${EXTENSIONS[contentType] ?? "bin"}`;
}

/** Uploads the file; returns its id and whether the instance is done with it. */
export async function uploadMedia(
  base: string,
  file: { bytes: Uint8Array; contentType: string; name: string; description: string },
  opts: CallOptions,
): Promise<{ id: string; ready: boolean }> {
  const form = new FormData();
  form.append("file", new Blob([file.bytes as Uint8Array<ArrayBuffer>], { type: file.contentType }), file.name);
  if (file.description) form.append("description", file.description);
  const { status, body } = await call<{ id?: unknown; url?: unknown }>(base, "POST", "/api/v2/media", {
    ...opts,
    multipart: form,
  });
  if (typeof body.id !== "string" || !body.id) {
    throw new Error(`${new URL(base).host} accepted the media without an id`);
  }
  return { id: body.id, ready: status === 200 && typeof body.url === "string" };
}

/** Polls GET /api/v1/media/:id until it answers 200 (206 means still processing), within `wait`. */
export async function waitForMedia(base: string, id: string, opts: CallOptions, wait: Waiting): Promise<void> {
  let pause = wait.intervalMs;
  const started = Date.now();
  for (;;) {
    if (Date.now() + pause > wait.deadline) throw new StillProcessing(new URL(base).host, Date.now() - started);
    await wait.sleep(pause);
    const { status } = await call(base, "GET", `/api/v1/media/${encodeURIComponent(id)}`, opts);
    if (status === 200) return;
    pause = Math.min(wait.maxIntervalMs, Math.round(pause * 1.5));
  }
}
