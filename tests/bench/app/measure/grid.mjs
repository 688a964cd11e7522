// A session of 1,000 completed generations: time from navigation to the grid's first painted
// card (region "Results" listitems), and JS heap + wasm memory once it has settled. It is
// compared with a floor that does the same work with no framework (floor/floor.js): the same
// stored session, the same REST query, plain DOM cards, its CSS and JS served as files under
// the app's CSP. Two ratios:
//   A (the target): app navigation → first card ÷ floor navigation → first card;
//   B (render only): last data response → first card, app ÷ floor.
// A floor that does not render as a floor (no card, its list not a CSS grid, or a CSP
// violation) FAILs the section. The older floor, cards written into the HTML, is one more
// line for before/after.
import { freshPage, mark, memory, metrics, phases, requests, staticFiles, timeline } from '../browser.mjs';
import { writeFloorPages } from '../floor/pages.mjs';
import { missText, summarize, target } from '../stats.mjs';
import { traced } from '../trace.mjs';

const COUNT = 1000;
const RESULTS_ITEMS = '[aria-label="Results"] li, [aria-label="Results"] [role="listitem"]';

/** The Auth/REST requests that ended before the first card: count, start, end (page clock). */
function dataBefore(tl, first) {
  if (!Number.isFinite(first)) return null;
  return requests({ ...tl, resources: tl.resources.filter((e) => e.end <= first) }, (u) => /^\/(auth|rest)\/v1/.test(u.pathname));
}

/** One load of `path`: first card, its data requests, and once every card is in, the totals. */
async function sample(browser, appUrl, user, path) {
  const { context, page, cdp } = await freshPage(browser, appUrl, { user });
  try {
    await cdp.send('Performance.enable');
    await page.goto(path, { waitUntil: 'commit' });
    const first = await mark(page, 'results', 30_000);
    const tl = await timeline(page);
    // Settled: every card is in the DOM (or the count stops growing), then measure memory.
    await page.waitForFunction(([sel, n]) => document.querySelectorAll(sel).length >= n, [RESULTS_ITEMS, COUNT], { timeout: 30_000 }).catch(() => {});
    const cards = await page.locator(RESULTS_ITEMS).count();
    const settled = await metrics(cdp);
    // What the page looked like: is the list of cards laid out as a grid, did the CSP block anything.
    const seen = await page.evaluate(() => {
      const region = [...document.querySelectorAll('section, [role="region"]')].find((el) => el.getAttribute('aria-label') === 'Results');
      const list = region?.querySelector('ul, ol, [role="list"]');
      return { display: list ? getComputedStyle(list).display : null, violations: window.__bench?.violations ?? [], error: window.__floorError ?? null };
    });
    const data = dataBefore(tl, first);
    const renderMs = data?.end === null || data?.end === undefined ? null : first - data.end;
    return { first, tl, cards, settled, data, renderMs, ...seen, ...(await memory(page, cdp)) };
  } finally {
    await context.close();
  }
}

/** Why a floor load does not count as a floor ([] when it does). */
function floorProblems(s) {
  const out = [];
  if (s.first === null) out.push(`no card within 30 s${s.error ? ` (${s.error})` : ''}`);
  else if (s.display !== 'grid') out.push(`its list of cards is display: ${s.display ?? 'none found'}, not grid (its CSS did not apply)`);
  for (const v of s.violations) out.push(`CSP violation: ${v}`);
  return out;
}

const medianSample = (samples) => {
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
 * card), and for the median counted run its own clock (the files, for the app the wasm start,
 * the data requests that ended before the first card) and the CDP Performance.getMetrics
 * totals once all cards are in.
 */
function breakdown(s, trace, { app }) {
  if (!s) return null;
  const m = s.settled;
  const settled = {
    taskMs: m.TaskDuration, scriptMs: m.ScriptDuration, layoutMs: m.LayoutDuration,
    recalcStyleMs: m.RecalcStyleDuration, layoutCount: m.LayoutCount, recalcStyleCount: m.RecalcStyleCount,
    nodes: m.Nodes, other: Math.round((m.TaskDuration - m.ScriptDuration - m.LayoutDuration - m.RecalcStyleDuration) * 10) / 10,
  };
  const files = staticFiles(s.tl);
  const out = { sampleFirstCardMs: Math.round(s.first * 10) / 10, trace, settled, static: files };
  const gens = requests({ ...s.tl, resources: s.tl.resources.filter((e) => e.end <= s.first) }, (u) => u.pathname === '/rest/v1/generations');
  const dataLine = `Auth/REST requests before the first card (${s.data.count}; /rest/v1/generations ${gens.count}×, longest ${gens.longestMs ?? '–'} ms)`;
  if (app) {
    const wasm = s.tl.resources.find((e) => /_bg\.wasm$/.test(new URL(e.url).pathname));
    Object.assign(out, phases([
      ['HTML + JS + wasm fetch', 0, wasm?.end],
      ['wasm compile + start to first DOM', wasm?.end, s.tl.at.firstAppDom ?? s.tl.at.appStarted],
      [dataLine, s.data.start, s.data.end],
      ['last of those responses → first card painted', s.data.end, s.first],
    ]));
  } else {
    const lastFile = Math.max(...files.files.map((f) => f.end).filter((x) => x <= s.first), s.tl.nav?.responseEnd ?? 0);
    Object.assign(out, phases([
      ['HTML + CSS + JS fetch', 0, lastFile],
      [dataLine, s.data.start, s.data.end],
      ['last of those responses → first card painted', s.data.end, s.first],
    ]));
  }
  return out;
}

/** Runs a warm-up (not counted) then `runs` loads of `path`. */
async function series(browser, appUrl, user, path, runs) {
  await sample(browser, appUrl, user, path);
  const samples = [];
  for (let i = 0; i < runs; i++) samples.push(await sample(browser, appUrl, user, path));
  return samples;
}

/** app ÷ floor of two summaries' medians (null when either has none). */
const ratioOf = (app, floor) => (app.median && floor.median ? Math.round((app.median / floor.median) * 100) / 100 : null);

export async function grid({ browser, appUrl, stack, runs, benchPages }) {
  const user = await stack.newUser('grid');
  const session = await stack.newSession(user, 'A thousand generations');
  const image = await stack.uploadImage(user);
  const rows = await stack.completedGenerations(user, session, image, COUNT);
  const cards = rows.map((r) => ({ id: r.id, prompt: r.prompt, ...image })).reverse(); // newest first, as the app shows them
  const pages = writeFloorPages(benchPages, cards, session.id);

  // The floor fetching over REST: the comparable one.
  const floor = await series(browser, appUrl, user, pages.rest, runs);
  const floorTrace = await tracedRun(browser, appUrl, user, pages.rest);
  const problems = [...new Set(floor.flatMap(floorProblems))];
  // The floor with its data in the HTML (no session, no requests), for before/after.
  const inline = await series(browser, appUrl, null, pages.inline, runs);
  const inlineProblems = [...new Set(inline.flatMap(floorProblems))];

  const path = `/app/generate/${session.id}`;
  const app = await series(browser, appUrl, user, path, runs);
  const appTrace = await tracedRun(browser, appUrl, user, path);

  const first = { app: summarize(app.map((s) => s.first)), floor: summarize(floor.map((s) => s.first)), inline: summarize(inline.map((s) => s.first)) };
  const render = { app: summarize(app.map((s) => s.renderMs)), floor: summarize(floor.map((s) => s.renderMs)) };
  // A floor that did not render as one gives no ratio at all.
  const ratioA = problems.length ? null : ratioOf(first.app, first.floor);
  const ratioB = problems.length ? null : ratioOf(render.app, render.floor);
  const missed = [['app', first.app], ['floor', first.floor]].filter(([, s]) => s.medianMissed);
  const fail = problems.length ? `the floor did not render as a floor: ${problems.join('; ')}`
    : missed.length ? missed.map(([who, s]) => `${who} first card: ${missText(s)}`).join('; ') : undefined;
  const last = app.at(-1);
  return {
    path,
    cards: COUNT,
    grid: {
      firstCardMs: first.app, renderMs: render.app, cardsInDom: last.cards, jsHeapBytes: last.jsHeap, wasmMemoryBytes: last.wasm,
      cspViolations: [...new Set(app.flatMap((s) => s.violations))],
      dominates: breakdown(medianSample(app), appTrace, { app: true }),
    },
    floor: {
      page: pages.rest, firstCardMs: first.floor, renderMs: render.floor, cardsInDom: floor.at(-1).cards, jsHeapBytes: floor.at(-1).jsHeap,
      listDisplay: [...new Set(floor.map((s) => s.display))], problems,
      dominates: breakdown(medianSample(floor), floorTrace, { app: false }),
    },
    inlineFloor: {
      page: pages.inline, firstCardMs: first.inline, cardsInDom: inline.at(-1).cards, jsHeapBytes: inline.at(-1).jsHeap,
      listDisplay: [...new Set(inline.map((s) => s.display))], problems: inlineProblems, ratio: ratioOf(first.app, first.inline),
    },
    ratio: ratioA,
    renderRatio: ratioB,
    targets: [target('grid first card / REST floor (ratio A)', ratioA, { max: 1.5, unit: '×', fail })],
  };
}
