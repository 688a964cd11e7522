// Loads of a session's Generate page (or of a floor page) for the grid measurements: one fresh
// cold context per load, the first card's time, and once the main thread is quiet what the page
// holds. Nothing here assumes every card is in the DOM: the count is the "N outputs" text.
import { freshPage, mark, memory, requests, timeline } from './browser.mjs';
import { outputsCount, untilIdle } from './view.mjs';

const RESULTS_ITEMS = '[aria-label="Results"] li, [aria-label="Results"] [role="listitem"]';

/** The Auth/REST requests that ended before the first card: count, start, end (page clock). */
export function dataBefore(tl, first) {
  if (!Number.isFinite(first)) return null;
  return requests({ ...tl, resources: tl.resources.filter((e) => e.end <= first) }, (u) => /^\/(auth|rest)\/v1/.test(u.pathname));
}

/**
 * One load of `path`: first card, its data requests, and once the main thread is quiet (the
 * grid may be windowed: not every card need be in the DOM) the totals, the count the page
 * shows ("N outputs", else its listitems) and the longest task since navigation.
 */
export async function sample(browser, appUrl, user, path, { firstTimeoutMs = 30_000 } = {}) {
  const { context, page, cdp } = await freshPage(browser, appUrl, { user });
  try {
    await cdp.send('Performance.enable');
    await page.goto(path, { waitUntil: 'commit' });
    const first = await mark(page, 'results', firstTimeoutMs);
    const tl = await timeline(page);
    const settled = await untilIdle(cdp, { timeoutMs: 30_000 });
    const cards = (await outputsCount(page)) ?? await page.locator(RESULTS_ITEMS).count();
    const longTasks = await page.evaluate(() => window.__bench?.longTasks ?? []);
    // What the page looked like: is the list of cards laid out as a grid, did the CSP block anything.
    const seen = await page.evaluate(() => {
      const region = [...document.querySelectorAll('section, [role="region"]')].find((el) => el.getAttribute('aria-label') === 'Results');
      const list = region?.querySelector('ul, ol, [role="list"]');
      return { display: list ? getComputedStyle(list).display : null, violations: window.__bench?.violations ?? [], error: window.__floorError ?? null };
    });
    const data = dataBefore(tl, first);
    const renderMs = data?.end === null || data?.end === undefined ? null : first - data.end;
    const longestTaskMs = longTasks.length ? Math.round(Math.max(...longTasks.map((t) => t.ms))) : 0;
    return { first, tl, cards, settled, data, renderMs, longestTaskMs, longTaskCount: longTasks.length, ...seen, ...(await memory(page, cdp)) };
  } finally {
    await context.close();
  }
}

/** Why a floor load does not count as a floor ([] when it does). */
export function floorProblems(s) {
  const out = [];
  if (s.first === null) out.push(`no card within 30 s${s.error ? ` (${s.error})` : ''}`);
  else if (s.display !== 'grid') out.push(`its list of cards is display: ${s.display ?? 'none found'}, not grid (its CSS did not apply)`);
  for (const v of s.violations) out.push(`CSP violation: ${v}`);
  return out;
}

export const medianSample = (samples) => {
  const done = samples.filter((s) => Number.isFinite(s.first)).sort((a, b) => a.first - b.first);
  return done.length ? done[Math.floor((done.length - 1) / 2)] : null;
};

/** Runs a warm-up (not counted) then `runs` loads of `path`. */
export async function series(browser, appUrl, user, path, runs, options) {
  await sample(browser, appUrl, user, path, options);
  const samples = [];
  for (let i = 0; i < runs; i++) samples.push(await sample(browser, appUrl, user, path, options));
  return samples;
}

/** app ÷ floor of two summaries' medians (null when either has none). */
export const ratioOf = (app, floor) => (app.median && floor.median ? Math.round((app.median / floor.median) * 100) / 100 : null);

