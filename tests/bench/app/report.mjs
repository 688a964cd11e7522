// bench/report.md from the report object: the targets first, then each measurement's numbers
// as median [min–max] over its runs.
import { missText } from './stats.mjs';
import { sessionSections } from './report_sessions.mjs';

const kb = (bytes) => (bytes === null || bytes === undefined ? '–' : `${(bytes / 1024).toFixed(1)} KB`);
const mb = (bytes) => (bytes === null || bytes === undefined ? '–' : `${(bytes / 1048576).toFixed(1)} MB`);
/** median [min–max] (n): a median that landed on a failed or timed-out run reads "miss (k of n never arrived)". */
const fmt = (s, unit = ' ms') => {
  if (!s || !(s.runs ?? s.n)) return '–';
  const range = s.n ? ` [${s.min}–${s.max}]` : '';
  const count = s.missed ? ` (n=${s.n} of ${s.runs}, ${s.missed} missed)` : ` (n=${s.n})`;
  return s.medianMissed ? `${missText(s)}${range}${count}` : `${s.median}${unit}${range}${count}`;
};
/** A summary's p95, or the miss it landed on. */
const p95 = (s, unit = ' ms') => (s.p95Missed ? missText(s) : `${s.p95}${unit}`);
const verdict = (pass) => (pass === true ? 'pass' : pass === false ? '**FAIL**' : 'no value');

const phaseList = (d) => d.phases.map((p) => `${p.what} ${p.ms} ms (${p.from}–${p.to})`).join('; ');
const mainThread = (t) => `tasks ${t.taskMs} ms = script ${t.scriptMs} ms, layout ${t.layoutMs} ms (${t.layoutCount}×), ` +
  `style recalculation ${t.recalcStyleMs} ms (${t.recalcStyleCount}×), other ${t.other} ms; ${t.nodes} DOM nodes`;
const traceLine = (t) => (!t ? 'no trace' : t.note ? t.note
  : `busy ${t.busyMs} of ${t.windowMs} ms: ${t.kinds.filter((k) => k.ms >= 1).map((k) => `${k.kind} ${k.ms} ms`).join(', ')}`);

/** One "what dominates" line per time target, from the measurement's breakdown (null if none). */
/** The median run's generate-media steps (Server-Timing), or why there are none. */
const demoSteps = (t) => (t
  ? `its Server-Timing (${t.calls} call${t.calls === 1 ? '' : 's'}, steps summed over ${t.generations ?? '?'} generations): render ${t.render ?? '–'} ms, encode ${t.encode ?? '–'} ms, ` +
    `upload ${t.upload ?? '–'} ms, record ${t.record ?? '–'} ms (whole provider call ${t.provider ?? '–'} ms) in a call of ${t.total ?? '–'} ms`
  : 'no Server-Timing from generate-media');
const dominates = {
  cold_load: (r) => {
    const d = r.unthrottled?.dominates;
    if (!d) return null;
    return `median run (data shown at ${d.sampleShownMs} ms; first paint ${d.firstPaintMs ?? '–'} ms): ${phaseList(d)}. Longest: ${d.dominant}.`;
  },
  grid: (r) => {
    const g = r.grid?.dominates;
    const f = r.floor?.dominates;
    if (!g) return null;
    return `app, traced extra load, main thread from navigation to the first card: ${traceLine(g.trace)}. ` +
      `App median run (first card at ${g.sampleFirstCardMs} ms): ${phaseList(g)}; CDP metrics once the main thread is quiet (${r.grid.cardCount} outputs): ${mainThread(g.settled)}. ` +
      (f ? `REST floor, traced extra load to the first card: ${traceLine(f.trace)}; median run (first card at ${f.sampleFirstCardMs} ms): ${phaseList(f)}; CDP metrics once quiet: ${mainThread(f.settled)}.` : '');
  },
  demo8: (r) => {
    const d = r.dominates;
    if (!d) return null;
    return `median run (${d.sampleMs} ms from the click): ${phaseList(d)}. Completions committed (Realtime commit_timestamp) at ${d.rowsCompletedMs.join(', ')} ms; ` +
      `cards showed their media at ${d.cardsCompletedMs.join(', ')} ms (commit → card of the same id, ${d.rowToCardMs.pairs} pairs: median ${d.rowToCardMs.median ?? '–'} ms, max ${d.rowToCardMs.max ?? '–'} ms); ` +
      `the function answered at ${d.functionAnsweredMs ?? '–'} ms; ${demoSteps(d.functionSteps)}. Longest: ${d.dominant}.`;
  },
  lighthouse: (r) => {
    const d = r.login?.dominates;
    if (!d) return null;
    const lost = d.pointsLost.filter((p) => p.pointsLost > 0).map((p) => `${p.metric} −${p.pointsLost} (${p.valueMs}${p.metric === 'cumulative-layout-shift' ? '' : ' ms'})`).join(', ');
    const saving = (a) => [a.savingsMs ? `${a.savingsMs} ms` : null, ...Object.entries(a.metricSavings).map(([k, v]) => `${k} ${v}${k === 'CLS' ? '' : ' ms'}`)].filter(Boolean).join(', ');
    const lcp = d.lcpElement ? `LCP element \`${d.lcpElement.replace(/\|/g, '\\|')}\`, phases ${d.lcpPhases.map((p) => `${p.phase} ${p.ms} ms`).join(', ') || '–'}`
      : `LCP element not reported (${d.lcpElementError ?? 'no LCP element audit'})`;
    return `median run (score ${d.score}): points lost ${lost || 'none'} (simulated slow 4G + 4× CPU; observed unthrottled: FCP ${d.observed?.fcpMs ?? '–'} ms, LCP ${d.observed?.lcpMs ?? '–'} ms); ${lcp}; ` +
      `longest critical request chain ${d.criticalChain ? `${d.criticalChain.ms} ms, ${d.criticalChain.requests} requests, ${d.criticalChain.kb} KB` : '–'}; ` +
      `largest transfers ${d.largestTransfers?.map((b) => `${b.url} ${b.kb} KB`).join(', ') || '–'}; Lighthouse's savings: ${d.savings.map((a) => `${a.id} (${saving(a)})`).join('; ') || 'none'}; ` +
      `main thread: ${d.mainThread.map((m) => `${m.group} ${m.ms} ms`).join(', ') || '–'}; scripts: ${d.bootup.map((b) => `${b.url} ${b.totalMs} ms (scripting ${b.scriptingMs}, parse+compile ${b.parseCompileMs})`).join(', ') || '–'}.`;
  },
};
// The target each breakdown explains.
const explains = {
  cold_load: 'cold load to data shown, Generate with 24 cards, median (unthrottled)',
  grid: '1,000-card session: first card / plain-HTML floor (ratio A)',
  demo8: 'submit → 8 demo images completed, median',
  lighthouse: 'login: performance',
};

/** { measurement id, target, pass, line } for every time target with a breakdown. */
export function dominatesLines(report) {
  return report.measurements.flatMap((x) => {
    if (!dominates[x.id] || !x.result) return [];
    let line = null;
    try { line = dominates[x.id](x.result); } catch { /* partial result */ }
    const t = (x.result.targets ?? []).find((y) => y.name === explains[x.id]);
    return line ? [{ id: x.id, target: explains[x.id], pass: t?.pass ?? null, line }] : [];
  });
}

const sections = {
  bundle: (r) => [
    '| what | raw | gzip | brotli |', '|---|---:|---:|---:|',
    ...r.files.map((f) => `| ${f.file} | ${kb(f.raw)} | ${kb(f.gzip)} | ${kb(f.brotli)} |`),
    ...['wasm', 'js', 'css', 'html'].map((k) => `| all ${k} | ${kb(r.byKind[k].raw)} | ${kb(r.byKind[k].gzip)} | ${kb(r.byKind[k].brotli)} |`),
    `| **total** | ${kb(r.total.raw)} | ${kb(r.total.gzip)} | **${kb(r.total.brotli)}** |`,
    '',
    `wasm custom sections: ${r.wasmCustomSections.map((s) => `${s.name} (${s.bytes} B)`).join(', ') || 'none'}.`,
    '',
    ...(r.generateRoute ? [`The Generate route's cold load fetched ${r.generateRoute.measured ? r.generateRoute.files.join(', ') : 'nothing measurable (every file counted)'}: ` +
      `**${r.generateRoute.kb} KB** brotli. Reference: a minimal Leptos 0.8 CSR app (leptos_router, gloo-net, serde_json, same release profile) is ~${r.generateRoute.minimalAppKb} KB brotli (stated, not built here).`, ''] : []),
    `Target ≤ ${r.toTarget.targetKb} KB brotli (Generate route): measured ${r.toTarget.brotliKb} KB, ` +
      (r.toTarget.overKb
        ? `${r.toTarget.overKb} KB over. This build's wasm compresses to ${r.toTarget.wasmBrotliPerRaw} brotli bytes per raw byte, so cutting it all from the wasm ` +
          `means about ${r.toTarget.rawWasmToCutKb} KB of raw wasm (if the removed code compresses like the whole module).`
        : 'within it.'),
    ...(r.toTarget.twiggy.items
      ? ['', `Where the code is (twiggy, before wasm-bindgen and wasm-opt; ${kb(r.toTarget.twiggy.codeBytes)} of code and data):`, '',
        '| crate | bytes | % |', '|---|---:|---:|',
        ...r.toTarget.twiggy.crates.map((c) => `| ${c.crate} | ${c.bytes} | ${c.percent} |`),
        '', '| largest items | bytes | % |', '|---|---:|---:|',
        ...r.toTarget.twiggy.items.map((i) => `| \`${i.name.replace(/\|/g, '\\|')}\` | ${i.bytes} | ${i.percent} |`)]
      : ['', `twiggy: ${r.toTarget.twiggy.note}`]),
  ],
  cold_load: (r) => [
    `Page: \`${r.path}\`; data shown = ${r.dataShown}. HTTP cache disabled, fresh context per run.`, '',
    '| condition | data shown | first paint of the shell (FCP) | DOMContentLoaded | app started (wasm) | rail sessions | Results cards | missed |',
    '|---|---|---|---|---|---|---|---:|',
    ...[['unthrottled', r.unthrottled], ['4× CPU throttling', r.cpu4x]].map(([label, c]) =>
      `| ${label} | ${fmt(c.dataShownMs)} | ${fmt(c.firstPaintMs)} | ${fmt(c.domContentLoadedMs)} | ${fmt(c.appStartedMs)} | ${fmt(c.railMs)} | ${fmt(c.resultsMs)} | ${c.missed} |`),
    ...(r.unthrottled.dominates?.requests ? ['', `Auth/REST requests of the unthrottled median run (start–end, ms): ${r.unthrottled.dominates.requests.map((q) => `${q.path} ${q.start}–${q.end}`).join(', ')}.`] : []),
    ...(r.cpu4x?.dominates ? ['', `4× CPU median run (data shown at ${r.cpu4x.dominates.sampleShownMs} ms): ${phaseList(r.cpu4x.dominates)}.`] : []),
  ],
  grid: (r) => [
    `${r.cards} completed image generations (one real 256×256 PNG in storage). The floor (\`${r.floor.page}\`) does the app's work with no framework: ` +
      'the same stored session, the same /rest/v1/generations query (newest first, a first page of 48 then pages of 200), plain DOM cards; its CSS and JS are files under the app\'s CSP.', '',
    '| page | navigation → first card | last data response → first card | script until idle | DOM nodes once idle | cards ("N outputs") | JS heap | wasm memory |',
    '|---|---|---|---|---|---:|---:|---:|',
    `| app grid (\`${r.path}\`) | ${fmt(r.grid.firstCardMs)} | ${fmt(r.grid.renderMs)} | ${fmt(r.untilIdle?.app.scriptMs)} | ${fmt(r.untilIdle?.app.nodes, '')} | ${r.grid.cardCount} | ${mb(r.grid.jsHeapBytes)} | ${mb(r.grid.wasmMemoryBytes)} |`,
    `| floor, rows over REST | ${fmt(r.floor.firstCardMs)} | ${fmt(r.floor.renderMs)} | ${fmt(r.untilIdle?.floor.scriptMs)} | ${fmt(r.untilIdle?.floor.nodes, '')} | ${r.floor.cardCount} | ${mb(r.floor.jsHeapBytes)} | – |`,
    `| floor, rows in the HTML (the old floor, before/after) | ${fmt(r.inlineFloor.firstCardMs)} | – | – | – | ${r.inlineFloor.cardCount} | ${mb(r.inlineFloor.jsHeapBytes)} | – |`,
    '',
    r.floor.problems.length
      ? 'Ratio A and ratio B: **FAIL**, the REST floor did not render as a floor (floor checks below).'
      : `Ratio A (navigation → first card, app / REST floor): **${r.ratio ?? '–'}×**. Ratio B (last data response → first card, render only): **${r.renderRatio ?? '–'}×**.`,
    `App / floor with rows in the HTML (the ratio this report gave before the REST floor): ${r.inlineFloor.ratio ?? '–'}×${r.inlineFloor.problems.length ? ' (**FAIL**: that floor did not render as a floor)' : ''}.`,
    '',
    `Floor checks: list laid out as \`${r.floor.listDisplay.join(', ')}\` (REST) and \`${r.inlineFloor.listDisplay.join(', ')}\` (in the HTML); ` +
      `${r.floor.problems.length || r.inlineFloor.problems.length ? `**FAIL**: ${[...r.floor.problems, ...r.inlineFloor.problems.map((p) => `in-HTML floor: ${p}`)].join('; ')}` : 'no CSP violation'}. ` +
      `App CSP violations: ${r.grid.cspViolations.join('; ') || 'none'}.`,
  ],
  ...sessionSections({ fmt, p95 }),
  status: (r) => [
    `${r.updates} updates (service role PATCH, one at a time), ${r.missed} never reached the card within 5 s (counted as misses: they rank above every time that arrived).`, '',
    `PATCH sent → card changed: ${fmt(r.latencyMs)}, p95 ${p95(r.latencyMs)}.`,
  ],
  demo8: (r) => [
    `Click on "Generate" → 8 completed cards (media element in place): ${fmt(r.allCompletedMs)}; missed ${r.missed}.`, '',
    `generate-media's steps per run (Server-Timing of its answers, each step summed over the call's generations, which run up to 4 at a time; ${r.functionStepsRuns ?? 0} runs had the header): ` +
      `${['render', 'encode', 'upload', 'record', 'provider', 'total'].map((k) => `${k === 'provider' ? 'whole provider call' : k === 'total' ? 'the call' : k} ${fmt(r.functionStepsMs?.[k])}`).join(', ')}.`, '',
    `Row → card, paired by generation id (card id from ${r.cardIdFrom.join(', ') || '–'}): the completion's commit (Realtime commit_timestamp) → the card of that id shows its media: ` +
      `${fmt(r.rowToCardMs)}, p95 ${p95(r.rowToCardMs)}; unpaired: ${r.unpaired.cardsWithoutId} cards without an id, ${r.unpaired.commitsWithoutCard} commits whose card never showed.`,
  ],
  rest: (r) => [`\`${r.line}\``],
  lighthouse: (r) => [
    '| page | performance | accessibility | best practices | LCP | TBT | CLS |', '|---|---|---|---|---|---|---|',
    ...['login', 'generate'].map((p) => `| ${p} (\`${new URL(r[p].finalUrl).pathname}\`) | ${fmt(r[p].performance, '')} | ${fmt(r[p].accessibility, '')} | ` +
      `${fmt(r[p].bestPractices, '')} | ${fmt(r[p].lcpMs)} | ${fmt(r[p].tbtMs)} | ${fmt(r[p].cls, '')} |`),
    '', `Audits below 100 % in accessibility / best practices: ${[...new Set([...r.login.failing, ...r.generate.failing])].join(', ') || 'none'}.`,
  ],
};

export function renderMarkdown(report) {
  const m = report.machine;
  const lines = [
    '# Atelier bench report', '',
    `Generated ${report.generatedAt} by \`make bench\` at commit ${m.commit ?? '?'} (build of ${m.distBuiltAt ?? '?'}); ${m.cpus} × ${m.cpuModel}, Node ${m.node}, ${m.chromium ?? 'chromium ?'}. ` +
      `Load average ${m.loadAverage?.start ?? '?'} at the start, ${m.loadAverage?.end ?? '?'} at the end (more than the CPU count means the timings are inflated). ` +
      `Each browser figure is median [min–max] over up to ${report.runs} runs.`,
    '', '## Targets', '', '| target | value | bound | verdict |', '|---|---|---|---|',
  ];
  for (const x of report.measurements) {
    if (x.status !== 'measured') lines.push(`| ${x.title} | not measured: ${x.reason} | | |`);
    for (const t of x.result?.targets ?? []) {
      const value = t.note ?? (t.value === null || t.value === undefined ? '–' : `${t.value}${t.unit}`);
      // Beside the value: what it is compared with in the same run (the floor), or its parts.
      lines.push(`| ${t.name} | ${value}${t.detail ? ` (${t.detail})` : ''} | ${t.target} | ${verdict(t.pass)} |`);
    }
  }
  const why = dominatesLines(report);
  const failing = why.filter((w) => w.pass === false);
  if (failing.length) {
    lines.push('', 'What dominates each failing time target (measured in the same run; details in its section):', '');
    for (const w of failing) lines.push(`- **${w.target}**: ${w.line}`);
  }
  for (const x of report.measurements) {
    lines.push('', `## ${x.title}`, '');
    if (x.status !== 'measured') lines.push(`Not measured: ${x.reason}.`, '');
    // A result that is only its reason has nothing more to show; a partial one (the grid's floor) has.
    if (x.result && Object.keys(x.result).length > 1 && sections[x.id]) {
      try { lines.push(...sections[x.id](x.result)); } catch { /* partial result: the JSON has it */ }
    }
    const w = why.find((y) => y.id === x.id);
    if (w) lines.push('', `What dominates (${w.target}): ${w.line}`);
    lines.push('', `(${x.seconds} s)`);
  }
  return `${lines.join('\n')}\n`;
}
