// The provider interface and the choice between providers (server-side configuration only:
// MEDIA_PROVIDER for images, VIDEO_PROVIDER for videos; both default to `demo`).
import type { MediaRequest } from "../params.ts";
import { ProviderError } from "../../_shared/http.ts";
import { demoProvider } from "./demo.ts";
import { openaiImagesProvider } from "./openai_images.ts";
import { replicateVideoProvider } from "./replicate_video.ts";

export interface MediaFile {
  bytes: Uint8Array;
  contentType: string;
  /** File extension without the dot. */
  ext: string;
}

export interface MediaOutput {
  media: MediaFile;
  thumbnail: MediaFile | null;
  width: number;
  height: number;
  durationMs: number | null;
  provider: string;
  model: string;
  /** What was actually used (seed, size, aspect ratio…), merged into the row's params. */
  used: Record<string, unknown>;
}

export interface Provider {
  name: string;
  /** Produces one output; throws ProviderError with a message a person can act on. */
  generate(req: MediaRequest, signal: AbortSignal): Promise<MediaOutput>;
}

/** A provider that cannot run as configured (missing keys): rows fail with this message. */
export class ProviderConfigError extends ProviderError {}

export type Env = { get(name: string): string | undefined };

export function requireEnv(env: Env, provider: string, ...names: string[]): string[] {
  const missing = names.filter((n) => !env.get(n));
  if (missing.length) {
    throw new ProviderConfigError(
      `The ${provider} provider is not configured: set ${
        missing.join(" and ")
      } in the function secrets (supabase/functions/.env locally).`,
    );
  }
  return names.map((n) => env.get(n)!);
}

/** The provider for a kind of media, or a ProviderConfigError saying what to set. */
export function chooseProvider(kind: "image" | "video", env: Env = Deno.env): Provider {
  const key = kind === "video" ? "VIDEO_PROVIDER" : "MEDIA_PROVIDER";
  const name = (env.get(key) ?? "demo").trim().toLowerCase() || "demo";
  if (name === "demo") return demoProvider();
  if (kind === "image" && name === "openai") return openaiImagesProvider(env);
  if (kind === "video" && name === "replicate") return replicateVideoProvider(env);
  const known = kind === "video" ? "demo or replicate" : "demo or openai";
  throw new ProviderConfigError(`Unknown ${key} "${name}": use ${known}.`);
}

/** Sniffs the pixel size of a PNG, JPEG or WebP; null when unknown. */
export function imageSize(b: Uint8Array): [number, number] | null {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  if (b.length > 24 && b[0] === 0x89 && b[1] === 0x50) return [v.getUint32(16), v.getUint32(20)];
  const tag = (o: number) => String.fromCharCode(b[o], b[o + 1], b[o + 2], b[o + 3]);
  if (b.length > 30 && tag(0) === "RIFF" && tag(8) === "WEBP" && tag(12) === "VP8 ") {
    return [v.getUint16(26, true) & 0x3fff, v.getUint16(28, true) & 0x3fff];
  }
  if (b[0] === 0xff && b[1] === 0xd8) {
    let o = 2;
    while (o + 9 < b.length && b[o] === 0xff) {
      const marker = b[o + 1], len = v.getUint16(o + 2);
      if (marker >= 0xc0 && marker <= 0xc3) return [v.getUint16(o + 7), v.getUint16(o + 5)];
      o += 2 + len;
    }
  }
  return null;
}

export function extFor(contentType: string, url = ""): string {
  const t = contentType.split(";")[0].trim().toLowerCase();
  const byType: Record<string, string> = {
    "image/png": "png",
    "image/jpeg": "jpg",
    "image/webp": "webp",
    "video/mp4": "mp4",
    "video/webm": "webm",
  };
  if (byType[t]) return byType[t];
  const m = /\.(png|jpe?g|webp|mp4|webm)(?:[?#]|$)/i.exec(url);
  return m ? m[1].toLowerCase().replace("jpeg", "jpg") : "bin";
}

export function typeFor(ext: string): string {
  return ({ png: "image/png", jpg: "image/jpeg", webp: "image/webp", mp4: "video/mp4", webm: "video/webm" } as Record<
    string,
    string
  >)[ext] ?? "application/octet-stream";
}
