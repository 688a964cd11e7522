// bench/report.md from the report object: the targets first, then each measurement's numbers
// as median [min–max] over its runs.

const kb = (bytes) => (bytes === null || bytes === undefined ? '–' : `${(bytes / 1024).toFixed(1)} KB`);
const mb = (bytes) => (bytes === null || bytes === undefined ? '–' : `${(bytes / 1048576).toFixed(1)} MB`);
const fmt = (s, unit = ' ms') => (!s || s.median === null ? '–' : `${s.median}${unit} [${s.min}–${s.max}] (n=${s.n})`);
const verdict = (pass) => (pass === true ? 'pass' : pass === false ? '**FAIL**' : 'no value');

const sections = {
  bundle: (r) => [
    '| what | raw | gzip | brotli |', '|---|---:|---:|---:|',
    ...r.files.map((f) => `| ${f.file} | ${kb(f.raw)} | ${kb(f.gzip)} | ${kb(f.brotli)} |`),
    ...['wasm', 'js', 'css'].map((k) => `| all ${k} | ${kb(r.byKind[k].raw)} | ${kb(r.byKind[k].gzip)} | ${kb(r.byKind[k].brotli)} |`),
    `| **total** | ${kb(r.total.raw)} | ${kb(r.total.gzip)} | **${kb(r.total.brotli)}** |`,
    '',
    `wasm custom sections: ${r.wasmCustomSections.map((s) => `${s.name} (${s.bytes} B)`).join(', ') || 'none'}.`,
    '',
    `To reach 180 KB brotli: ${r.toReach180.overKb} KB over` +
      (r.toReach180.overKb ? `, about ${r.toReach180.rawWasmToCutKb} KB of raw wasm to cut.` : '.'),
    ...(r.toReach180.twiggy.items
      ? ['', `Where the code is (twiggy, before wasm-bindgen and wasm-opt; ${kb(r.toReach180.twiggy.codeBytes)} of code and data):`, '',
        '| crate | bytes | % |', '|---|---:|---:|',
        ...r.toReach180.twiggy.crates.map((c) => `| ${c.crate} | ${c.bytes} | ${c.percent} |`),
        '', '| largest items | bytes | % |', '|---|---:|---:|',
        ...r.toReach180.twiggy.items.map((i) => `| \`${i.name.replace(/\|/g, '\\|')}\` | ${i.bytes} | ${i.percent} |`)]
      : ['', `twiggy: ${r.toReach180.twiggy.note}`]),
  ],
  cold_load: (r) => [
    `Page: \`${r.path}\`; data shown = ${r.dataShown}. HTTP cache disabled, fresh context per run.`, '',
    '| condition | data shown | DOMContentLoaded | app started (wasm) | rail sessions | Results cards | missed |',
    '|---|---|---|---|---|---|---:|',
    ...[['unthrottled', r.unthrottled], ['4× CPU throttling', r.cpu4x]].map(([label, c]) =>
      `| ${label} | ${fmt(c.dataShownMs)} | ${fmt(c.domContentLoadedMs)} | ${fmt(c.appStartedMs)} | ${fmt(c.railMs)} | ${fmt(c.resultsMs)} | ${c.missed} |`),
  ],
  grid: (r) => [
    `${r.cards} completed image generations (one real 256×256 PNG in storage).`, '',
    '| page | first card painted | JS heap | wasm memory |', '|---|---|---:|---:|',
    ...(r.grid ? [`| app grid (\`${r.path}\`, ${r.grid.cardsInDom} cards in the DOM) | ${fmt(r.grid.firstCardMs)} | ${mb(r.grid.jsHeapBytes)} | ${mb(r.grid.wasmMemoryBytes)} |`] : []),
    `| plain HTML floor | ${fmt(r.floor.firstCardMs)} | ${mb(r.floor.jsHeapBytes)} | – |`,
    ...(r.ratio ? ['', `Grid / floor: **${r.ratio}×**`] : []),
  ],
  status: (r) => [
    `${r.updates} updates (service role PATCH, one at a time), ${r.missed} never reached the card within 5 s.`, '',
    `PATCH sent → card changed: ${fmt(r.latencyMs)}, p95 ${r.latencyMs.p95} ms.`,
  ],
  demo8: (r) => [`Click on "Generate" → 8 completed cards (media element in place): ${fmt(r.allCompletedMs)}; missed ${r.missed}.`],
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
    for (const t of x.result?.targets ?? []) lines.push(`| ${t.name} | ${t.value ?? '–'}${t.value === null ? '' : t.unit} | ${t.target} | ${verdict(t.pass)} |`);
  }
  for (const x of report.measurements) {
    lines.push('', `## ${x.title}`, '');
    if (x.status !== 'measured') lines.push(`Not measured: ${x.reason}.`, '');
    // A result that is only its reason has nothing more to show; a partial one (the grid's floor) has.
    if (x.result && Object.keys(x.result).length > 1 && sections[x.id]) {
      try { lines.push(...sections[x.id](x.result)); } catch { /* partial result: the JSON has it */ }
    }
    lines.push('', `(${x.seconds} s)`);
  }
  return `${lines.join('\n')}\n`;
}
