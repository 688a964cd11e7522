// One page load under a Chromium trace (devtools.timeline, as the Performance panel records),
// summarised as the renderer main thread's self time by kind from navigation start to a probe
// mark (the probe calls performance.mark(`bench:<name>`) in the frame it records).

const CATEGORIES = ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'blink.user_timing', 'v8.execute'];

const KINDS = [
  ['GC', /GC|^ThreadState::|^BlinkGC/],
  ['layout', /^Layout$/],
  ['style', /^(UpdateLayoutTree|RecalculateStyles|ParseAuthorStyleSheet)$/],
  ['paint + composite', /^(Paint|PaintImage|PrePaint|Layerize|UpdateLayer|UpdateLayerTree|CompositeLayers|Commit|Decode.*|ImageDecodeTask)$/],
  ['HTML parsing', /^ParseHTML$/],
  ['script (JS + wasm)', /^(FunctionCall|EvaluateScript|TimerFire|EventDispatch|FireAnimationFrame|RunMicrotasks|XHR.*|.*[Cc]ompile.*|v8\..*|V8\..*|wasm\..*)$/],
];
const kindOf = (name) => KINDS.find(([, re]) => re.test(name))?.[0] ?? 'other (task overhead, loading, idle callbacks)';

/**
 * Self time (ms) by kind on the thread of the `bench:<mark>` mark, from navigation start (the
 * mark's trace time less its page time `markMs`) to the mark.
 */
export function summariseTrace(events, mark, markMs) {
  const at = events.find((e) => e.name === `bench:${mark}` && e.cat?.includes('blink.user_timing'));
  if (!at || !Number.isFinite(markMs)) return null;
  const to = at.ts;
  const from = to - markMs * 1000;
  const thread = events.filter((e) => e.pid === at.pid && e.tid === at.tid && e.ph === 'X' && e.dur > 0 && e.ts < to && e.ts + e.dur > from)
    .map((e) => ({ name: e.name, start: Math.max(e.ts, from), end: Math.min(e.ts + e.dur, to), child: 0 }))
    .sort((a, b) => a.start - b.start || b.end - a.end);
  const stack = [];
  for (const e of thread) {
    while (stack.length && stack.at(-1).end <= e.start) stack.pop();
    if (stack.length) stack.at(-1).child += e.end - e.start;
    stack.push(e);
  }
  const byKind = {};
  let busy = 0;
  for (const e of thread) {
    const self = Math.max(0, e.end - e.start - e.child);
    byKind[kindOf(e.name)] = (byKind[kindOf(e.name)] ?? 0) + self;
    busy += self;
  }
  const ms = (us) => Math.round(us / 100) / 10;
  return {
    windowMs: ms(to - from),
    busyMs: ms(busy),
    kinds: Object.entries(byKind).map(([kind, us]) => ({ kind, ms: ms(us) })).sort((a, b) => b.ms - a.ms),
  };
}

/** Runs `load(page)` (which waits for the mark and returns its page time) under a trace of `page`; returns the summary. */
export async function traced(browser, page, mark, load) {
  await browser.startTracing(page, { categories: CATEGORIES });
  let buffer;
  let markMs;
  try {
    markMs = await load(page);
  } finally {
    buffer = await browser.stopTracing();
  }
  const { traceEvents } = JSON.parse(buffer.toString('utf8'));
  return summariseTrace(traceEvents, mark, markMs);
}
