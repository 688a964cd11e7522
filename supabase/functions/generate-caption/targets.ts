// Which platforms a caption is fitted to. The caller's `platforms` (the selected accounts'
// platforms) come first; with none, the platforms the generation was made for (its "Made for",
// `params.targets`); with neither, a conservative fit that every common platform takes.
import type { Limits } from "./demo.ts";

/**
 * The fit when nothing names a platform: Instagram's 5 hashtags (the fewest of the common
 * feeds; Threads' single tag is asked for by name) and a 500-character caption (Threads,
 * Mastodon and Pinterest; X and Bluesky, shorter, are asked for by name too).
 */
export const CONSERVATIVE_LIMITS: Limits = { caption_max: 500, caption_counts_bytes: false, hashtag_max: 5 };

/** A request's `platforms`, or null when it is not a list of names (a 400 for the caller). */
export function requestedPlatforms(value: unknown): string[] | null {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.some((p) => typeof p !== "string")) return null;
  return [...new Set(value as string[])];
}

/** The generation's "Made for" platforms, as stored in `generations.params.targets`; unknown shapes count as none. */
export function madeFor(params: unknown): string[] {
  const targets = (params as { targets?: unknown } | null)?.targets;
  return Array.isArray(targets) ? [...new Set(targets.filter((t): t is string => typeof t === "string"))] : [];
}

/** The platforms to fit: the requested ones, else the generation's targets (possibly none). */
export function platformsToFit(requested: string[], params: unknown): string[] {
  return requested.length ? requested : madeFor(params);
}
