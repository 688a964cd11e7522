// A session of 1,000 completed generations: time from navigation to the grid's first painted
// card (region "Results" listitems), and JS heap + wasm memory once it has settled. The floor
// is the same 1,000 cards as a plain HTML page (no framework), served by the same server: the
// grid is reported as a ratio to it.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freshPage, staticFiles, mark, memory, metrics, phases, requests, timeline } from '../browser.mjs';
import { summarize, target } from '../stats.mjs';
import { traced } from '../trace.mjs';

const COUNT = 1000;
const escape = (s) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

/** The floor page: the cards a grid shows, with nothing else. */
function floorHtml(cards) {
  const items = cards.map((c) => `<li><img src="${escape(c.url)}" width="${c.width}" height="${c.height}" alt="${escape(c.prompt)}" loading="lazy"><p>${escape(c.prompt)}</p></li>`).join('\n');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Grid floor</title>
<style>ul{display:grid;grid-template-columns:repeat(auto-fill,minmax(200px,1fr));gap:12px;list-style:none;padding:0}img{width:100%;height:auto}</style>
</head><body><section aria-label="Results"><ul>
${items}
</ul></section></body></html>`;
}

async function sampleGrid(browser, appUrl, user, path) {
  const { context, page, cdp } = await freshPage(browser, appUrl, { user });
  try {
    await cdp.send('Performance.enable');
    await page.goto(path, { waitUntil: 'commit' });
    const region = await mark(page, 'resultsRegion', 20_000);
    if (region === null) return { missing: true };
    const first = await mark(page, 'results', 30_000);
    const tl = await timeline(page);
    // Settled: every card is in the DOM (or the count stops growing), then measure memory.
    await page.waitForFunction((n) => {
      const region = [...document.querySelectorAll('section, [role="region"]')].find((el) => el.getAttribute('aria-label') === 'Results');
      return region && region.querySelectorAll('li, [role="listitem"]').length >= n;
    }, COUNT, { timeout: 30_000 }).catch(() => {});
    const cards = await page.locator('[aria-label="Results"] li, [aria-label="Results"] [role="listitem"]').count();
    // The renderer's main-thread totals for this document, once every card is in.
    const settled = await metrics(cdp);
    return { first, cards, settled, tl, ...(await memory(page, cdp)) };
  } finally {
    await context.close();
  }
}

async function sampleFloor(browser, appUrl) {
  const { context, page, cdp } = await freshPage(browser, appUrl);
  try {
    await cdp.send('Performance.enable');
    await page.goto('/__bench/floor.html', { waitUntil: 'commit' });
    const first = await mark(page, 'results', 30_000);
    const tl = await timeline(page);
    await page.waitForLoadState('load');
    const settled = await metrics(cdp);
    return { first, settled, tl, ...(await memory(page, cdp)) };
  } finally {
    await context.close();
  }
}

const median = (samples) => {
  const done = samples.filter((s) => Number.isFinite(s.first)).sort((a, b) => a.first - b.first);
  return done.length ? done[Math.floor((done.length - 1) / 2)] : null;
};

/** One extra load (not counted) under a trace: main-thread self time by kind up to the first card. */
async function tracedRun(browser, appUrl, user, path) {
  const { context, page } = await freshPage(browser, appUrl, { user });
  try {
    return await traced(browser, page, 'results', async (p) => {
      await p.goto(path, { waitUntil: 'commit' });
      return mark(p, 'results', 30_000);
    });
  } catch (err) {
    return { note: `no trace: ${err.message.split('\n')[0]}` };
  } finally {
    await context.close();
  }
}

/**
 * What the time goes to: a traced extra load (main-thread self time by kind, navigation → first
 * card), and for the median counted run its own clock (app started, the data requests that
 * ended before the first card) and the CDP Performance.getMetrics totals once all cards are in.
 */
function breakdown(s, trace, { app }) {
  if (!s) return null;
  const m = s.settled;
  const settled = {
    taskMs: m.TaskDuration, scriptMs: m.ScriptDuration, layoutMs: m.LayoutDuration,
    recalcStyleMs: m.RecalcStyleDuration, layoutCount: m.LayoutCount, recalcStyleCount: m.RecalcStyleCount,
    nodes: m.Nodes, other: Math.round((m.TaskDuration - m.ScriptDuration - m.LayoutDuration - m.RecalcStyleDuration) * 10) / 10,
  };
  const out = { sampleFirstCardMs: Math.round(s.first * 10) / 10, trace, settled, static: staticFiles(s.tl) };
  if (app) {
    const before = { ...s.tl, resources: s.tl.resources.filter((e) => e.end <= s.first) };
    const wasm = s.tl.resources.find((e) => /_bg\.wasm$/.test(new URL(e.url).pathname));
    const gens = requests(before, (u) => u.pathname === '/rest/v1/generations');
    const data = requests(before, (u) => /^\/(auth|rest)\/v1/.test(u.pathname));
    Object.assign(out, phases([
      ['HTML + JS + wasm fetch', 0, wasm?.end],
      ['wasm compile + start to first DOM', wasm?.end, s.tl.at.firstAppDom ?? s.tl.at.appStarted],
      [`Auth/REST requests before the first card (${data.count}; /rest/v1/generations ${gens.count}×, longest ${gens.longestMs ?? '–'} ms)`, data.start, data.end],
      ['last of those responses → first card painted', data.end, s.first],
    ]));
  }
  return out;
}

export async function grid({ browser, appUrl, stack, runs, benchPages }) {
  const user = await stack.newUser('grid');
  const session = await stack.newSession(user, 'A thousand generations');
  const image = await stack.uploadImage(user);
  const rows = await stack.completedGenerations(user, session, image, COUNT);
  writeFileSync(join(benchPages, 'floor.html'), floorHtml(rows.map((r) => ({ ...image, prompt: r.prompt }))));

  const floor = [];
  await sampleFloor(browser, appUrl); // warm-up (server cache, browser processes), not counted
  for (let i = 0; i < runs; i++) floor.push(await sampleFloor(browser, appUrl));
  const floorFirst = summarize(floor.map((s) => s.first));
  const floorTrace = await tracedRun(browser, appUrl, null, '/__bench/floor.html');

  const path = `/app/generate/${session.id}`;
  // The first visit checks the grid is there and warms up; it is not counted.
  if ((await sampleGrid(browser, appUrl, user, path)).missing) {
    return { notMeasured: `no region "Results" on ${path} yet`, cards: COUNT, floor: { firstCardMs: floorFirst, jsHeapBytes: floor.at(-1).jsHeap } };
  }
  const gridSamples = [];
  for (let i = 0; i < runs; i++) gridSamples.push(await sampleGrid(browser, appUrl, user, path));
  const gridFirst = summarize(gridSamples.map((s) => s.first));
  const gridTrace = await tracedRun(browser, appUrl, user, path);
  const ratio = gridFirst.median && floorFirst.median ? Math.round((gridFirst.median / floorFirst.median) * 100) / 100 : null;
  const last = gridSamples.at(-1);
  return {
    path,
    cards: COUNT,
    grid: { firstCardMs: gridFirst, cardsInDom: last.cards, jsHeapBytes: last.jsHeap, wasmMemoryBytes: last.wasm,
      dominates: breakdown(median(gridSamples), gridTrace, { app: true }) },
    floor: { firstCardMs: floorFirst, jsHeapBytes: floor.at(-1).jsHeap, dominates: breakdown(median(floor), floorTrace, { app: false }) },
    ratio,
    targets: [target('grid first paint / plain HTML floor', ratio, { max: 1.5, unit: '×' })],
  };
}
