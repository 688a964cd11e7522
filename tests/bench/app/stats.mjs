// Summaries of repeated measurements: the median is the headline, the spread says how far
// to trust it.

/** The q-quantile (0…1) of sorted numbers, nearest rank. */
export function quantile(sorted, q) {
  if (!sorted.length) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

/** { n, median, p95, min, max, spread } of a list of numbers (spread = max - min), rounded. */
export function summarize(samples, digits = 1) {
  const sorted = samples.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  const round = (x) => (x === null ? null : Math.round(x * 10 ** digits) / 10 ** digits);
  if (!sorted.length) return { n: 0, median: null, p95: null, min: null, max: null, spread: null };
  const mid = sorted.length / 2;
  const median = sorted.length % 2 ? sorted[Math.floor(mid)] : (sorted[mid - 1] + sorted[mid]) / 2;
  return {
    n: sorted.length,
    median: round(median),
    p95: round(quantile(sorted, 0.95)),
    min: round(sorted[0]),
    max: round(sorted.at(-1)),
    spread: round(sorted.at(-1) - sorted[0]),
  };
}

/** A target line for the report: { name, target, value, unit, pass }. */
export function target(name, value, { max, min, expect, unit = '' }) {
  if (expect !== undefined) return { name, target: String(expect), value, unit, pass: value === expect };
  const pass = value === null || value === undefined ? null : (max === undefined || value <= max) && (min === undefined || value >= min);
  const bound = max !== undefined ? `≤ ${max}${unit}` : `≥ ${min}${unit}`;
  return { name, target: bound, value, unit, pass };
}
