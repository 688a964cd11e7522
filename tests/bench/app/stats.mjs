// Summaries of repeated measurements: the median is the headline, the spread says how far
// to trust it. A run that failed or timed out (null, undefined, NaN) is a miss: it is counted,
// and it ranks above every time that arrived (as +∞), so a quantile that lands on it is a miss
// rather than the best of the runs that happened to succeed.

/** The q-quantile (0…1) of sorted numbers, nearest rank. */
export function quantile(sorted, q) {
  if (!sorted.length) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

/**
 * { n, runs, missed, median, p95, min, max, spread, medianMissed, p95Missed } of a list of
 * samples, rounded. `n` counts the runs that gave a time, `runs` all of them. Misses sort last
 * (+∞): a median or p95 that lands on one is null with its `…Missed` flag set. min, max and
 * spread are over the times that arrived.
 */
export function summarize(samples, digits = 1) {
  const sorted = samples.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  const runs = samples.length;
  const missed = runs - sorted.length;
  const round = (x) => (x === null ? null : Math.round(x * 10 ** digits) / 10 ** digits);
  // The k-th (0-based) of all runs in order, misses last: null when it is a miss.
  const at = (k) => (k < sorted.length ? sorted[k] : null);
  if (!runs) {
    return { n: 0, runs: 0, missed: 0, median: null, p95: null, min: null, max: null, spread: null, medianMissed: false, p95Missed: false };
  }
  const lo = at(Math.floor((runs - 1) / 2));
  const hi = at(Math.floor(runs / 2));
  const median = lo === null || hi === null ? null : (lo + hi) / 2;
  const p95 = at(Math.min(runs - 1, Math.max(0, Math.ceil(0.95 * runs) - 1)));
  return {
    n: sorted.length,
    runs,
    missed,
    median: round(median),
    p95: round(p95),
    min: sorted.length ? round(sorted[0]) : null,
    max: sorted.length ? round(sorted.at(-1)) : null,
    spread: sorted.length ? round(sorted.at(-1) - sorted[0]) : null,
    medianMissed: median === null,
    p95Missed: p95 === null,
  };
}

/** "miss (2 of 40 never arrived)": what a quantile that landed on a miss reads as. */
export function missText(summary) {
  return `miss (${summary.missed} of ${summary.runs} never arrived)`;
}

/**
 * A target line for the report: { name, target, value, unit, pass, note }. `fail` (a reason)
 * makes it a FAIL whatever the value: a measurement that could not be made honestly is not
 * "no value".
 */
export function target(name, value, { max, min, expect, unit = '', fail } = {}) {
  const bound = expect !== undefined ? String(expect) : max !== undefined ? `≤ ${max}${unit}` : `≥ ${min}${unit}`;
  if (fail) return { name, target: bound, value: null, unit, pass: false, note: fail };
  if (expect !== undefined) return { name, target: bound, value, unit, pass: value === expect };
  const pass = value === null || value === undefined ? null : (max === undefined || value <= max) && (min === undefined || value >= min);
  return { name, target: bound, value, unit, pass };
}

/** A target on a summary's median or p95: a quantile that is a miss FAILs, saying how many missed. */
export function quantileTarget(name, summary, which, bounds) {
  if (summary[`${which}Missed`] && summary.runs) return target(name, null, { ...bounds, fail: missText(summary) });
  return target(name, summary[which], bounds);
}
