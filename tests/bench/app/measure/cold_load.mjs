// Cold load: a signed-in user opens the Generate page with the HTTP cache off, and the clock
// (the page's own, from navigation start) stops in the first frame that shows the session's
// data: the rail's session buttons, and the region "Results" listitems once the grid exists.
import { freshPage, mark } from '../browser.mjs';
import { NotMeasured } from '../errors.mjs';
import { summarize, target } from '../stats.mjs';

async function sample(browser, appUrl, user, path, cpu) {
  const { context, page, errors } = await freshPage(browser, appUrl, { user, cpu });
  try {
    await page.goto(path, { waitUntil: 'commit' });
    const rail = await mark(page, 'rail', 20_000 * cpu);
    // The grid is optional until it lands; when its region is there its cards must show too.
    const region = await mark(page, 'resultsRegion', 1000);
    const results = region === null ? null : await mark(page, 'results', 20_000 * cpu);
    const timing = await page.evaluate(() => {
      const nav = performance.getEntriesByType('navigation')[0];
      return { domContentLoaded: nav?.domContentLoadedEventEnd ?? null, appStarted: window.__bench.at.appStarted ?? null };
    });
    return { rail, results, region: region !== null, path: new URL(page.url()).pathname, errors, ...timing };
  } finally {
    await context.close();
  }
}

export async function coldLoad({ browser, appUrl, stack, runs }) {
  const user = await stack.newUser('cold');
  const session = await stack.newSession(user, 'Cold load');
  const image = await stack.uploadImage(user);
  await stack.completedGenerations(user, session, image, 24);
  for (let i = 1; i <= 3; i++) await stack.newSession(user, `Older session ${i}`);

  // The session's own URL once the router has it; /app/generate shows the rail either way.
  let path = `/app/generate/${session.id}`;
  let probe = await sample(browser, appUrl, user, path, 1);
  if (probe.rail === null) {
    path = '/app/generate';
    probe = await sample(browser, appUrl, user, path, 1);
  }
  if (probe.rail === null) throw new NotMeasured(`the rail's sessions never showed on ${path} (${probe.errors.join('; ') || 'no page error'})`);

  const out = { path, dataShown: probe.region ? 'rail + Results listitems' : 'rail session buttons (no region "Results" yet)' };
  for (const [label, cpu] of [['unthrottled', 1], ['cpu4x', 4]]) {
    const samples = [];
    await sample(browser, appUrl, user, path, cpu); // warm-up, not counted
    for (let i = 0; i < runs; i++) {
      const s = await sample(browser, appUrl, user, path, cpu);
      const shown = s.region ? (s.results === null ? null : Math.max(s.rail ?? 0, s.results)) : s.rail;
      samples.push({ shown, rail: s.rail, results: s.results, domContentLoaded: s.domContentLoaded, appStarted: s.appStarted });
    }
    out[label] = {
      dataShownMs: summarize(samples.map((s) => s.shown)),
      domContentLoadedMs: summarize(samples.map((s) => s.domContentLoaded)),
      // Where the time goes: wasm fetched, compiled and started; then the data requests.
      appStartedMs: summarize(samples.map((s) => s.appStarted)),
      railMs: summarize(samples.map((s) => s.rail)),
      resultsMs: summarize(samples.map((s) => s.results)),
      missed: samples.filter((s) => s.shown === null).length,
    };
  }
  out.targets = [target('cold load to data shown, median (unthrottled)', out.unthrottled.dataShownMs.median, { max: 250, unit: ' ms' })];
  return out;
}
