// A session of 10,000 completed generations: navigation → first card, app ÷ the REST floor
// (floor/floor.js, the same session and query with plain DOM cards) loaded in the same run,
// and the longest main-thread task from navigation until the page is quiet (Long Tasks API:
// only tasks over 50 ms are reported, so "0" means none was).
import { writeFloorPages } from '../floor/pages.mjs';
import { sharedSession } from '../fixtures.mjs';
import { floorProblems, ratioOf, series } from '../session_load.mjs';
import { missText, quantileTarget, summarize, target } from '../stats.mjs';

export const COUNT = 10_000;

export async function grid10k(ctx) {
  const { browser, appUrl, runs, benchPages } = ctx;
  const { user, session, image, rows, path } = await sharedSession(ctx, COUNT);
  const cards = rows.map((r) => ({ id: r.id, prompt: r.prompt, ...image })).reverse();
  const pages = writeFloorPages(benchPages, cards, session.id);

  const floor = await series(browser, appUrl, user, pages.rest, runs, { firstTimeoutMs: 60_000 });
  const app = await series(browser, appUrl, user, path, runs, { firstTimeoutMs: 60_000 });
  const problems = [...new Set(floor.flatMap(floorProblems))];

  const first = { app: summarize(app.map((s) => s.first)), floor: summarize(floor.map((s) => s.first)) };
  const longest = { app: summarize(app.map((s) => s.longestTaskMs), 0), floor: summarize(floor.map((s) => s.longestTaskMs), 0) };
  const ratio = problems.length ? null : ratioOf(first.app, first.floor);
  const missed = [['app', first.app], ['floor', first.floor]].filter(([, s]) => s.medianMissed);
  const fail = problems.length ? `the floor did not render as a floor: ${problems.join('; ')}`
    : missed.length ? missed.map(([who, s]) => `${who} first card: ${missText(s)}`).join('; ') : undefined;
  const quiet = app.every((s) => s.settled.idle);
  return {
    path,
    cards: COUNT,
    app: {
      firstCardMs: first.app, longestTaskMs: longest.app, cardCount: app.at(-1).cards, quiet,
      longTasks: summarize(app.map((s) => s.longTaskCount), 0), nodes: summarize(app.map((s) => s.settled.Nodes), 0),
    },
    floor: { page: pages.rest, firstCardMs: first.floor, longestTaskMs: longest.floor, cardCount: floor.at(-1).cards, problems },
    ratio,
    targets: [
      { ...target('10,000-card session: open to first card / plain-HTML floor', ratio, { max: 1.5, unit: '×', fail }),
        detail: `app ${first.app.median ?? '–'} ms, floor ${first.floor.median ?? '–'} ms` },
      { ...quantileTarget('10,000-card session: longest task while loading, median', longest.app, 'median', {
        max: 100, unit: ' ms', fail: quiet ? undefined : 'the main thread never went quiet within 30 s of the first card' }),
      detail: `floor ${longest.floor.median ?? '–'} ms; tasks under 50 ms are not reported, so 0 means none was longer` },
    ],
  };
}
