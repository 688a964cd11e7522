// What a generation asks for (its `params` jsonb), normalised: aspect ratio, size, seed.
//
// Seeds: one row is one output, and `params.seed` is that output's own seed. A client asking
// for N outputs with a fixed seed S writes S, S+1, …, S+N-1 on its N rows (`seedForOutput`);
// with no seed it leaves `seed` out and each row draws a random one here. Either way the seed
// used is written back to `params.seed` when the row completes, so a row says how to make it
// again, and a failed row that runs again keeps its requested seed.

export const ASPECT_RATIOS: Record<string, [number, number]> = {
  "1:1": [1, 1],
  "4:5": [4, 5],
  "9:16": [9, 16],
  "16:9": [16, 9],
  "2:3": [2, 3],
};

export const DEFAULT_LONG_SIDE = 1024;
/** The long side of a video when the request names none. */
export const DEFAULT_VIDEO_LONG_SIDE = 320;
/** The largest long side an image may ask for (a 2048² PNG stays well under the storage limit). */
export const IMAGE_MAX_LONG_SIDE = 2048;
/**
 * The largest long side a video may ask for. The demo encoder stores raw samples (1.5 bytes per
 * pixel per frame): a square video of the longest duration at this size is about 36 MiB, under
 * the 50 MiB upload limit with room to spare (video_size_test.ts measures it). Larger asks are
 * refused before any work, since their output could never be stored.
 */
export const VIDEO_MAX_LONG_SIDE = 720;
/** The largest object the media bucket stores: the project's upload limit (config.toml [storage]). */
export const STORAGE_LIMIT_BYTES = 50 * 1024 * 1024;
/** The share of STORAGE_LIMIT_BYTES the largest allowed output may use at most. */
export const STORAGE_MARGIN = 0.8;
/** The smallest long side any request may ask for; smaller or malformed asks get the default. */
export const MIN_LONG_SIDE = 64;
/** Video durations are clamped to this range (ms). */
export const VIDEO_MIN_DURATION_MS = 2000;
export const VIDEO_MAX_DURATION_MS = 4000;

export interface MediaRequest {
  id: string;
  kind: "image" | "video";
  prompt: string;
  aspectRatio: string;
  /** Output size in pixels (even numbers, long side = `resolution`). */
  width: number;
  height: number;
  seed: number;
  durationMs: number;
  style: string | null;
  negativePrompt: string | null;
  model: string | null;
  params: Record<string, unknown>;
}

/** Seeds are 0 ..= MAX_SEED (the range every provider that takes a seed accepts). */
export const MAX_SEED = 2147483647;

/** The seed of output `index` (0-based) of a request with seed `base`: base, base+1, … wrapping past MAX_SEED. */
export function seedForOutput(base: number, index: number): number {
  return (base + index) % (MAX_SEED + 1);
}

/** A uniformly random seed. */
export function randomSeed(): number {
  return crypto.getRandomValues(new Uint32Array(1))[0] >>> 1;
}

/** The row's seed: `params.seed` when it is one, a random one when absent; anything else is refused. */
export function seedOf(params: Record<string, unknown>): number {
  const v = params.seed;
  if (v === undefined || v === null) return randomSeed();
  if (typeof v !== "number" || !Number.isInteger(v) || v < 0 || v > MAX_SEED) {
    throw new RangeError(
      `Seed ${JSON.stringify(v)} is not valid: use a whole number from 0 to ${MAX_SEED}, or none for a random one.`,
    );
  }
  return v;
}

/** FNV-1a, 32 bits: a stable hash of text. */
export function hash32(text: string, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (const b of new TextEncoder().encode(text)) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** Width and height for an aspect ratio with the long side `longSide` (both even). */
export function dimensions(aspectRatio: string, longSide = DEFAULT_LONG_SIDE): [number, number] {
  const [w, h] = ASPECT_RATIOS[aspectRatio] ?? ASPECT_RATIOS["1:1"];
  const even = (n: number) => Math.max(2, Math.round(n / 2) * 2);
  return w >= h ? [even(longSide), even((longSide * h) / w)] : [even((longSide * w) / h), even(longSide)];
}

const str = (v: unknown) => (typeof v === "string" && v.trim() ? v.trim() : null);

/**
 * Why a row asks for more than can be stored (a video resolution above VIDEO_MAX_LONG_SIDE), as
 * a message that says what to change; null when the request is within bounds.
 */
export function oversizeReason(row: { kind: string; params: unknown }): string | null {
  if (row.kind !== "video") return null;
  const params = (row.params && typeof row.params === "object" ? row.params : {}) as Record<string, unknown>;
  const requested = Number(params.resolution);
  if (!Number.isFinite(requested) || Math.round(requested) <= VIDEO_MAX_LONG_SIDE) return null;
  return `A video of resolution ${
    Math.round(requested)
  } is larger than storage accepts: ask for ${VIDEO_MAX_LONG_SIDE} or less.`;
}

/** Reads a generation row into a request; the seed is the row's own or a random one (see seedOf). */
export function mediaRequest(row: { id: string; kind: string; prompt: string; params: unknown }): MediaRequest {
  const params = (row.params && typeof row.params === "object" ? row.params : {}) as Record<string, unknown>;
  const aspectRatio = str(params.aspect_ratio) ?? "1:1";
  if (!(aspectRatio in ASPECT_RATIOS)) {
    throw new RangeError(
      `Unsupported aspect ratio "${aspectRatio}": use one of ${Object.keys(ASPECT_RATIOS).join(", ")}.`,
    );
  }
  const kind = row.kind === "video" ? "video" : "image";
  const oversize = oversizeReason({ kind, params });
  if (oversize) throw new RangeError(oversize);
  const requested = Number(params.resolution);
  const longSide = Number.isFinite(requested) && requested >= MIN_LONG_SIDE
    ? Math.min(IMAGE_MAX_LONG_SIDE, Math.round(requested))
    : kind === "video"
    ? DEFAULT_VIDEO_LONG_SIDE
    : DEFAULT_LONG_SIDE;
  const [width, height] = dimensions(aspectRatio, longSide);
  const seed = seedOf(params);
  const dur = Number(params.duration_ms ?? (params.duration_s !== undefined ? Number(params.duration_s) * 1000 : NaN));
  const durationMs = Number.isFinite(dur)
    ? Math.min(VIDEO_MAX_DURATION_MS, Math.max(VIDEO_MIN_DURATION_MS, Math.round(dur)))
    : 3000;
  return {
    id: row.id,
    kind,
    prompt: row.prompt,
    aspectRatio,
    width,
    height,
    seed,
    durationMs,
    style: str(params.style),
    negativePrompt: str(params.negative_prompt),
    model: str(params.model),
    params,
  };
}
