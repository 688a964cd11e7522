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
    throw new RangeError(`Seed ${JSON.stringify(v)} is not valid: use a whole number from 0 to ${MAX_SEED}, or none for a random one.`);
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

/** Reads a generation row into a request; the seed is the row's own or a random one (see seedOf). */
export function mediaRequest(row: { id: string; kind: string; prompt: string; params: unknown }): MediaRequest {
  const params = (row.params && typeof row.params === "object" ? row.params : {}) as Record<string, unknown>;
  const aspectRatio = str(params.aspect_ratio) ?? "1:1";
  if (!(aspectRatio in ASPECT_RATIOS)) {
    throw new RangeError(`Unsupported aspect ratio "${aspectRatio}": use one of ${Object.keys(ASPECT_RATIOS).join(", ")}.`);
  }
  const kind = row.kind === "video" ? "video" : "image";
  const requested = Number(params.resolution);
  const longSide = Number.isFinite(requested) && requested >= 64 ? Math.min(2048, Math.round(requested)) : kind === "video" ? 320 : DEFAULT_LONG_SIDE;
  const [width, height] = dimensions(aspectRatio, longSide);
  const seed = seedOf(params);
  const dur = Number(params.duration_ms ?? (params.duration_s !== undefined ? Number(params.duration_s) * 1000 : NaN));
  const durationMs = Number.isFinite(dur) ? Math.min(4000, Math.max(2000, Math.round(dur))) : 3000;
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
