// The bench's summaries count runs that never gave a time: `node --test tests/bench/app/`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { quantileTarget, summarize } from './stats.mjs';
import { renderMarkdown } from './report.mjs';

test('a p95 that lands on updates that never arrived is a miss, not the slowest arrival', () => {
  const samples = [...Array.from({ length: 37 }, (_, i) => i + 1), null, null, null];
  const s = summarize(samples);
  assert.deepEqual([s.n, s.runs, s.missed, s.p95, s.p95Missed], [37, 40, 3, null, true]);
  assert.equal(s.median, 20.5); // ranks 20 and 21 of 40 both arrived
  const t = quantileTarget('status p95', s, 'p95', { max: 100, unit: ' ms' });
  assert.equal(t.pass, false);
  assert.equal(t.note, 'miss (3 of 40 never arrived)');
});

test('misses rank above every arrival: 2 of 40 missing moves the p95 to the 38th of 40', () => {
  // Ranked among the arrivals only, the p95 would be the 37th of 38 (37).
  const s = summarize([...Array.from({ length: 38 }, (_, i) => i + 1), null, null]);
  assert.deepEqual([s.p95, s.p95Missed, s.missed], [38, false, 2]);
});

test('misses sort last in the median too: half the runs missing makes the median a miss', () => {
  const s = summarize([5, null, 7, undefined, Number.NaN]);
  assert.deepEqual([s.n, s.runs, s.missed, s.median, s.medianMissed, s.min, s.max], [2, 5, 3, null, true, 5, 7]);
  assert.equal(quantileTarget('median', s, 'median', { max: 10 }).pass, false);
});

test('with every run in, nothing changes: median of the middle two, nearest-rank p95', () => {
  const s = summarize([4, 1, 3, 2]);
  assert.deepEqual([s.n, s.runs, s.missed, s.median, s.p95, s.medianMissed, s.p95Missed], [4, 4, 0, 2.5, 4, false, false]);
});

test('the report prints a missed p95 and a failed target as such', () => {
  const latencyMs = summarize([10, 20, null]);
  const report = {
    generatedAt: 'now', machine: {}, runs: 3,
    measurements: [{ id: 'status', title: 'One status change', status: 'measured', seconds: 1,
      result: { updates: 3, missed: 1, latencyMs, targets: [quantileTarget('status change → card updated, p95', latencyMs, 'p95', { max: 100, unit: ' ms' })] } }],
  };
  const md = renderMarkdown(report);
  assert.match(md, /\| status change → card updated, p95 \| miss \(1 of 3 never arrived\) \| ≤ 100 ms \| \*\*FAIL\*\* \|/);
  assert.match(md, /PATCH sent → card changed: 20 ms \[10–20\] \(n=2 of 3, 1 missed\), p95 miss \(1 of 3 never arrived\)\./);
});
