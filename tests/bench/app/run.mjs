#!/usr/bin/env node
// The bench (`make bench`, scripts/bench.sh): every measurement in turn, each bounded in time;
// one that cannot run yet is recorded as "not measured: <reason>" and the run goes on. Writes
// bench/report.json and bench/report.md after each measurement.
//   APP_URL=… API_URL=… ANON_KEY=… SERVICE_ROLE_KEY=… BENCH_PAGES=<dir served at /__bench> \
//     node tests/bench/app/run.mjs [--only bundle,cold_load] [--runs 5] [--out bench]
// Measurement ids: bundle, cold_load, grid, grid10k, scroll, burst, status, demo8, rest, lighthouse.
import { execFileSync } from 'node:child_process';
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { launch } from './browser.mjs';
import { NotMeasured, bounded } from './errors.mjs';
import { Stack } from './fixtures.mjs';
import { dominatesLines, renderMarkdown } from './report.mjs';
import { bundle } from './measure/bundle.mjs';
import { coldLoad } from './measure/cold_load.mjs';
import { demoGenerate } from './measure/demo_generate.mjs';
import { burst } from './measure/burst.mjs';
import { grid } from './measure/grid.mjs';
import { grid10k } from './measure/grid10k.mjs';
import { lighthouseRuns } from './measure/lighthouse.mjs';
import { rest } from './measure/rest.mjs';
import { scroll } from './measure/scroll.mjs';
import { statusLatency } from './measure/status_latency.mjs';

const args = process.argv.slice(2);
const opt = (name, fallback) => (args.includes(`--${name}`) ? args[args.indexOf(`--${name}`) + 1] : fallback);
const env = (name) => {
  if (!process.env[name]) throw new Error(`${name} is not set (scripts/bench.sh sets it)`);
  return process.env[name];
};
const only = opt('only', '').split(',').filter(Boolean);
const outDir = opt('out', 'bench');
const ctx = {
  appUrl: env('APP_URL'),
  stack: new Stack({ apiUrl: env('API_URL'), anonKey: env('ANON_KEY'), serviceKey: env('SERVICE_ROLE_KEY') }),
  runs: Number(opt('runs', process.env.BENCH_RUNS ?? 5)),
  dist: process.env.DIST ?? 'dist',
  wasmForNames: 'target/wasm32-unknown-unknown/release/atelier.wasm',
  benchPages: env('BENCH_PAGES'),
};

const measurements = [
  { id: 'bundle', title: 'Bundle size', fn: bundle, seconds: 120 },
  { id: 'cold_load', title: 'Cold load to the Generate page', fn: coldLoad, seconds: 300 },
  // Three series of loads (app, REST floor, floor with rows in the HTML) and two traces.
  { id: 'grid', title: 'A session of 1,000 generations', fn: grid, seconds: 600 },
  // The 10,000-card session (seeded once, shared with the scroll): app and REST floor loads.
  { id: 'grid10k', title: 'A session of 10,000 generations', fn: grid10k, seconds: 900 },
  { id: 'scroll', title: 'Wheel scroll through 10,000 cards', fn: scroll, seconds: 420 },
  { id: 'burst', title: 'A burst of 500 Realtime updates in 1 s', fn: burst, seconds: 300 },
  { id: 'status', title: 'One status change, database → card', fn: statusLatency, seconds: 300 },
  { id: 'demo8', title: '8 demo images', fn: demoGenerate, seconds: 180 },
  { id: 'rest', title: 'Local stack REST, 50 concurrent clients', fn: rest, seconds: 200 },
  { id: 'lighthouse', title: 'Lighthouse (mobile)', fn: lighthouseRuns, seconds: 600 },
].filter((m) => !only.length || only.includes(m.id));

const sh = (cmd, argv) => {
  try { return execFileSync(cmd, argv, { encoding: 'utf8', timeout: 10_000 }).trim(); } catch { return null; }
};
const report = {
  generatedAt: new Date().toISOString(),
  machine: {
    cpus: cpus().length, cpuModel: cpus()[0]?.model, node: process.version,
    // Other work on the machine skews every timing: the 1-minute load at the start and the end.
    loadAverage: { start: Math.round(loadavg()[0] * 10) / 10, end: null },
    chromium: sh('/usr/bin/chromium', ['--version']), commit: sh('git', ['rev-parse', '--short', 'HEAD']),
    // The build may hold uncommitted work: when it was made says which.
    distBuiltAt: statSync(`${ctx.dist}/index.html`, { throwIfNoEntry: false })?.mtime.toISOString() ?? null,
  },
  runs: ctx.runs,
  measurements: [],
};

function save() {
  mkdirSync(outDir, { recursive: true });
  // The "what dominates" lines of the time targets, as the Markdown prints them.
  report.dominates = dominatesLines(report);
  writeFileSync(join(outDir, 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(join(outDir, 'report.md'), renderMarkdown(report));
}

ctx.browser = await launch();
for (const m of measurements) {
  const started = performance.now();
  const entry = { id: m.id, title: m.title };
  try {
    const result = await bounded(m.seconds * 1000, m.title, () => m.fn(ctx));
    if (result?.notMeasured) Object.assign(entry, { status: 'not measured', reason: result.notMeasured, result });
    else Object.assign(entry, { status: 'measured', result });
  } catch (err) {
    const reason = err instanceof NotMeasured ? err.message : `error: ${err.message.split('\n')[0]}`;
    Object.assign(entry, { status: 'not measured', reason });
  }
  entry.seconds = Math.round((performance.now() - started) / 100) / 10;
  report.measurements.push(entry);
  console.log(`[bench] ${m.id}: ${entry.status}${entry.reason ? ` (${entry.reason})` : ''} in ${entry.seconds} s`);
  save();
}
await ctx.browser.close().catch(() => {});
report.machine.loadAverage.end = Math.round(loadavg()[0] * 10) / 10;
save();
const targets = report.measurements.flatMap((m) => m.result?.targets ?? []);
console.log(`[bench] targets: ${targets.filter((t) => t.pass === true).length} pass, ${targets.filter((t) => t.pass === false).length} fail; ` +
  `${report.measurements.filter((m) => m.status !== 'measured').length} not measured; report in ${outDir}/report.md`);
// Anything a timed-out measurement left running must not keep the process alive.
process.exit(0);
