// Cold load: a signed-in user opens the Generate page with the HTTP cache off, and the clock
// (the page's own, from navigation start) stops in the first frame that shows the session's
// data: the rail's session buttons, and the region "Results" listitems once the grid exists.
import { freshPage, staticFiles, mark, phases, requests, timeline } from '../browser.mjs';
import { NotMeasured } from '../errors.mjs';
import { quantileTarget, summarize } from '../stats.mjs';

async function sample(browser, appUrl, user, path, cpu) {
  const { context, page, errors } = await freshPage(browser, appUrl, { user, cpu });
  try {
    await page.goto(path, { waitUntil: 'commit' });
    const rail = await mark(page, 'rail', 20_000 * cpu);
    // The grid is optional until it lands; when its region is there its cards must show too.
    const region = await mark(page, 'resultsRegion', 1000);
    const results = region === null ? null : await mark(page, 'results', 20_000 * cpu);
    const tl = await timeline(page);
    const timing = { domContentLoaded: tl.nav?.domContentLoaded ?? null, appStarted: tl.at.appStarted ?? null };
    return { rail, results, region: region !== null, path: new URL(page.url()).pathname, errors, tl, ...timing };
  } finally {
    await context.close();
  }
}

/**
 * What the median run spent its time on, from its own Performance API: the document, the JS
 * glue and the wasm (resource timing), compile + instantiate + main() up to the app's first
 * DOM node under <body> (probe), the Auth and REST requests (resource timing), and the frames
 * from the last data response to the data shown.
 */
function breakdown(samples) {
  const done = samples.filter((s) => s.shown !== null).sort((a, b) => a.shown - b.shown);
  if (!done.length) return null;
  const s = done[Math.floor((done.length - 1) / 2)];
  const { tl } = s;
  const one = (re) => tl.resources.find((e) => re.test(new URL(e.url).pathname));
  const glue = one(/\/atelier-[^/]*\.js$/);
  const wasm = one(/_bg\.wasm$/);
  const css = requests(tl, (u) => u.pathname.endsWith('.css'));
  // The data requests that answered before the data showed (later ones did not hold it up).
  const before = { ...tl, resources: tl.resources.filter((e) => e.end <= s.shown) };
  const auth = requests(before, (u) => u.pathname.startsWith('/auth/v1'));
  const rest = requests(before, (u) => u.pathname.startsWith('/rest/v1'));
  const data = requests(before, (u) => /^\/(auth|rest)\/v1/.test(u.pathname));
  const firstDom = tl.at.firstAppDom ?? tl.at.appStarted;
  const out = phases([
    ['HTML document', 0, tl.nav?.responseEnd],
    ['CSS fetch', css.start, css.end],
    ['JS glue fetch', glue?.start, glue?.end],
    ['wasm fetch', wasm?.start, wasm?.end],
    ['wasm compile + instantiate + main() to first DOM', wasm?.end, firstDom],
    ['first DOM → first Auth/REST request', firstDom, data.start],
    [`Auth/REST requests answered before the data showed (${auth.count} auth, ${rest.count} rest; longest ${data.count ? Math.max(auth.longestMs ?? 0, rest.longestMs ?? 0) : '–'} ms)`, data.start, data.end],
    ['last response → data shown (render)', data.end, s.shown],
  ]);
  return {
    sampleShownMs: Math.round(s.shown * 10) / 10, ...out, static: staticFiles(tl), firstPaintMs: tl.paints['first-paint'] ?? null,
    firstContentfulPaintMs: tl.paints['first-contentful-paint'] ?? null, appStartedMs: tl.at.appStarted ?? null,
    requests: tl.resources.filter((e) => /^\/(auth|rest)\/v1/.test(new URL(e.url).pathname))
      .map((e) => ({ path: new URL(e.url).pathname, start: e.start, end: e.end })),
  };
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
      samples.push({ shown, rail: s.rail, results: s.results, domContentLoaded: s.domContentLoaded, appStarted: s.appStarted, tl: s.tl,
        firstPaint: s.tl.paints['first-contentful-paint'] ?? null });
    }
    out[label] = {
      dataShownMs: summarize(samples.map((s) => s.shown)),
      // The shell's first paint (first-contentful-paint: index.html's static shell, before the wasm).
      firstPaintMs: summarize(samples.map((s) => s.firstPaint)),
      domContentLoadedMs: summarize(samples.map((s) => s.domContentLoaded)),
      // Where the time goes: wasm fetched, compiled and started; then the data requests.
      appStartedMs: summarize(samples.map((s) => s.appStarted)),
      railMs: summarize(samples.map((s) => s.rail)),
      resultsMs: summarize(samples.map((s) => s.results)),
      missed: samples.filter((s) => s.shown === null).length,
      dominates: breakdown(samples),
    };
  }
  out.targets = [
    quantileTarget('cold load to data shown, Generate with 24 cards, median (unthrottled)', out.unthrottled.dataShownMs, 'median', { max: 500, unit: ' ms' }),
    quantileTarget('first paint of the shell (FCP), median (unthrottled)', out.unthrottled.firstPaintMs, 'median', { max: 150, unit: ' ms' }),
  ];
  return out;
}
