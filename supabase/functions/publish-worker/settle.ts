// What one failed attempt does to its post. A connector only says what happened (the error
// classes of _shared/delivery.ts); the rules for waiting, retrying and giving up live here, in
// one pure function, so every platform gets the same treatment.
import { AuthExpired, AuthRevoked, Permanent, RateLimited, Transient } from "../_shared/delivery.ts";

/**
 * Waits after a 5xx, a timeout or a dropped connection, by attempt number (1st, 2nd, …). They
 * add up to 57.5 minutes: every retry then falls within the hour Mastodon remembers an
 * Idempotency-Key (https://docs.joinmastodon.org/methods/statuses/#headers), so a retry after an
 * answer that was lost returns the status already made instead of making a second one.
 */
export const BACKOFF_MS = [30_000, 2 * 60_000, 10 * 60_000, 45 * 60_000];
/** A post is tried this many times before a transient failure fails it for good. */
export const MAX_ATTEMPTS = BACKOFF_MS.length + 1;
/** A rate limit that resets sooner than this is waited out inside the same lease, once. */
export const RATE_LIMIT_WAIT_MAX_MS = 20_000;
/** Margin after the announced reset (platforms announce it in whole seconds). */
export const RATE_LIMIT_MARGIN_MS = 500;
/** When a platform names no usable reset time: try again after this long. */
export const RATE_LIMIT_FALLBACK_MS = 60_000;

export type AccountStatusChange = "expired" | "revoked";

export type Decision =
  /** Wait `ms`, then send again within this lease. */
  | { kind: "wait"; ms: number }
  /**
   * Stay `publishing`; the next worker run after `at` tries again. `countsAttempt` is false for
   * a rate limit: waiting is not a failed try, so it does not use up the post's tries.
   */
  | { kind: "defer"; at: Date; reason: string; countsAttempt: boolean }
  /** `failed` with `reason`; the account changes status too when `account` is set. */
  | { kind: "fail"; reason: string; account: AccountStatusChange | null };

export interface Attempt {
  platform: string;
  /** The claim's count: 1 on the first attempt. */
  attempts: number;
  now: Date;
  /** True once this lease has already waited out a rate limit. */
  waitedOnce: boolean;
  /** Milliseconds of the lease still usable for another send after a wait. */
  leaseLeftMs: number;
}

const PLATFORM_NAMES: Record<string, string> = { bluesky: "Bluesky", mastodon: "Mastodon" };

/** The platform's name as a creator knows it. */
export function platformName(platform: string): string {
  return PLATFORM_NAMES[platform] ?? platform.charAt(0).toUpperCase() + platform.slice(1);
}

/** Decides what the error of one attempt does to the post. Never throws. */
export function decide(error: unknown, attempt: Attempt): Decision {
  const { now } = attempt;
  if (error instanceof RateLimited) {
    const resetAt = error.resetAt instanceof Date && Number.isFinite(error.resetAt.getTime())
      ? error.resetAt
      : new Date(now.getTime() + RATE_LIMIT_FALLBACK_MS);
    const waitMs = Math.max(0, resetAt.getTime() - now.getTime()) + RATE_LIMIT_MARGIN_MS;
    if (!attempt.waitedOnce && waitMs <= RATE_LIMIT_WAIT_MAX_MS && waitMs < attempt.leaseLeftMs) {
      return { kind: "wait", ms: waitMs };
    }
    const at = new Date(Math.max(resetAt.getTime(), now.getTime()) + RATE_LIMIT_MARGIN_MS);
    return {
      kind: "defer",
      at,
      reason: `Rate limited by ${platformName(attempt.platform)}: waiting for the limit to reset`,
      countsAttempt: false,
    };
  }
  if (error instanceof Transient) {
    const reason = error.message || `${platformName(attempt.platform)} did not answer`;
    if (attempt.attempts >= MAX_ATTEMPTS) {
      return { kind: "fail", reason: `${reason} (gave up after ${attempt.attempts} attempts)`, account: null };
    }
    const wait = BACKOFF_MS[Math.max(0, attempt.attempts - 1)];
    return { kind: "defer", at: new Date(now.getTime() + wait), reason, countsAttempt: true };
  }
  if (error instanceof AuthExpired) return { kind: "fail", reason: error.message, account: "expired" };
  if (error instanceof AuthRevoked) return { kind: "fail", reason: error.message, account: "revoked" };
  if (error instanceof Permanent) return { kind: "fail", reason: error.message, account: null };
  const detail = error instanceof Error ? error.message : String(error);
  return {
    kind: "fail",
    reason: `Publishing to ${
      platformName(attempt.platform)
    } failed unexpectedly (${detail}): try again with Retry post.`,
    account: null,
  };
}
