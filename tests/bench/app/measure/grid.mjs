// A session of 1,000 completed generations: time from navigation to the grid's first painted
// card (region "Results" listitems), and once the main thread is quiet (session_load.mjs: the
// grid may be windowed, so not every card need be in the DOM) the script time so far, the DOM
// nodes (both targets), JS heap and wasm memory. It is
// compared with a floor that does the same work with no framework (floor/floor.js): the same
// stored session, the same REST query, plain DOM cards, its CSS and JS served as files under
// the app's CSP. Two ratios:
//   A (the target): app navigation → first card ÷ floor navigation → first card;
//   B (render only): last data response → first card, app ÷ floor.
// A floor that does not render as a floor (no card, its list not a CSS grid, or a CSP
// violation) FAILs the section. The older floor, cards written into the HTML, is one more
// line for before/after.
import { freshPage, mark, phases, requests, staticFiles } from '../browser.mjs';
import { writeFloorPages } from '../floor/pages.mjs';
import { missText, quantileTarget, summarize, target } from '../stats.mjs';
import { traced } from '../trace.mjs';
import { floorProblems, medianSample, ratioOf, series } from '../session_load.mjs';

const COUNT = 1000;
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
  // Once the main thread is quiet after the load: script time and DOM nodes (CDP metrics).
  const idle = (samples) => ({
    scriptMs: summarize(samples.map((x) => x.settled.ScriptDuration)),
    nodes: summarize(samples.map((x) => x.settled.Nodes), 0),
    quiet: samples.every((x) => x.settled.idle),
  });
  const untilIdle = { app: idle(app), floor: idle(floor) };
  const notQuiet = untilIdle.app.quiet ? undefined : 'the main thread never went quiet within 30 s of the first card';
  return {
    path,
    cards: COUNT,
    grid: {
      firstCardMs: first.app, renderMs: render.app, cardCount: last.cards, jsHeapBytes: last.jsHeap, wasmMemoryBytes: last.wasm,
      cspViolations: [...new Set(app.flatMap((s) => s.violations))],
      dominates: breakdown(medianSample(app), appTrace, { app: true }),
    },
    floor: {
      page: pages.rest, firstCardMs: first.floor, renderMs: render.floor, cardCount: floor.at(-1).cards, jsHeapBytes: floor.at(-1).jsHeap,
      listDisplay: [...new Set(floor.map((s) => s.display))], problems,
      dominates: breakdown(medianSample(floor), floorTrace, { app: false }),
    },
    inlineFloor: {
      page: pages.inline, firstCardMs: first.inline, cardCount: inline.at(-1).cards, jsHeapBytes: inline.at(-1).jsHeap,
      listDisplay: [...new Set(inline.map((s) => s.display))], problems: inlineProblems, ratio: ratioOf(first.app, first.inline),
    },
    ratio: ratioA,
    renderRatio: ratioB,
    untilIdle,
    targets: [
      { ...target('1,000-card session: first card / plain-HTML floor (ratio A)', ratioA, { max: 1.2, unit: '×', fail }),
        detail: `app ${first.app.median ?? '–'} ms, floor ${first.floor.median ?? '–'} ms` },
      { ...quantileTarget('1,000-card session: main-thread script until idle, median', untilIdle.app.scriptMs, 'median', { max: 400, unit: ' ms', fail: notQuiet }),
        detail: `floor ${untilIdle.floor.scriptMs.median ?? '–'} ms` },
      { ...quantileTarget('1,000-card session: DOM nodes once idle, median', untilIdle.app.nodes, 'median', { max: 4000, fail: notQuiet }),
        detail: `floor ${untilIdle.floor.nodes.median ?? '–'}` },
    ],
  };
}
