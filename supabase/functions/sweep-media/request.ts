// What a sweep may be asked: `{}` (the schedule's call), or how young an object may be and still
// be spared, and whether to answer only once the sweep is done (an operator, a test).
import { HttpError } from "../_shared/cors.ts";

/** Objects younger than this are never removed: ten minutes, longer than any upload takes. */
export const DEFAULT_MIN_AGE_S = 600;
const MAX_MIN_AGE_S = 30 * 24 * 3600;

export interface SweepRequest {
  /** Objects created or updated less than this long ago stay, whatever their folder. */
  minAgeMs: number;
  /** Answer with the report after the sweep, rather than 202 at once. */
  wait: boolean;
}

export function parseSweepRequest(body: Record<string, unknown>): SweepRequest {
  const unknown = Object.keys(body).filter((k) => k !== "min_age_s" && k !== "wait");
  if (unknown.length) {
    throw new HttpError(
      400,
      `Unknown field ${unknown.map((k) => JSON.stringify(k)).join(", ")}: send {}, or {min_age_s, wait}.`,
    );
  }
  const age = body.min_age_s ?? DEFAULT_MIN_AGE_S;
  if (typeof age !== "number" || !Number.isInteger(age) || age < 0 || age > MAX_MIN_AGE_S) {
    throw new HttpError(
      400,
      `min_age_s must be a whole number of seconds from 0 to ${MAX_MIN_AGE_S} (got ${JSON.stringify(body.min_age_s)}).`,
    );
  }
  const wait = body.wait ?? false;
  if (typeof wait !== "boolean") {
    throw new HttpError(400, `wait must be true or false (got ${JSON.stringify(body.wait)}).`);
  }
  return { minAgeMs: age * 1000, wait };
}
