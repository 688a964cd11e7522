// Debian Chromium for the bench (the journeys' launcher and flags), one fresh context per sample
// so every load is cold, with the probe installed and, when asked, a signed-in user and CDP
// throttling.
import { CHROMIUM_FLAGS, launchChromium } from '../../e2e/support/chromium.mjs';
import { probe } from './probe.mjs';

export { CHROMIUM_FLAGS };

/** Chromium at full speed: each sample throttles its own page (freshPage's `cpu`). */
export function launch() {
  return launchChromium();
}

/**
 * A new context and page on `appUrl`: the probe in every document, `user`'s session in
 * localStorage (key atelier.auth) before the app starts, the HTTP cache off and the CPU slowed
 * `cpu` times through CDP.
 */
export async function freshPage(browser, appUrl, { user = null, cpu = 1, width = 1280, height = 800 } = {}) {
  const context = await browser.newContext({ baseURL: appUrl, viewport: { width, height } });
  await context.addInitScript(probe);
  if (user) {
    await context.addInitScript(([origin, session]) => {
      if (location.origin === origin && !localStorage.getItem('atelier.auth')) {
        localStorage.setItem('atelier.auth', JSON.stringify(session));
      }
    }, [new URL(appUrl).origin, user.session]);
  }
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  if (cpu > 1) await cdp.send('Emulation.setCPUThrottlingRate', { rate: cpu });
  return { context, page, cdp, errors };
}

/** Waits for a probe mark (ms since navigation start), or null after `timeoutMs`. */
export async function mark(page, name, timeoutMs = 15_000) {
  try {
    const handle = await page.waitForFunction((k) => window.__bench?.at[k], name, { timeout: timeoutMs, polling: 50 });
    return await handle.jsonValue();
  } catch {
    return null;
  }
}

/** JS heap (after a garbage collection) and wasm linear memory, in bytes. */
export async function memory(page, cdp) {
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('Performance.enable');
  const { metrics } = await cdp.send('Performance.getMetrics');
  const jsHeap = metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? null;
  const wasm = await page.evaluate(() => window.__bench?.wasm?.memory?.buffer?.byteLength ?? null);
  return { jsHeap, wasm };
}

/**
 * The page's own timeline (ms since navigation start): the navigation entry, every resource
 * entry (name, start, end), the paint entries and the probe's marks.
 */
export function timeline(page) {
  return page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0];
    const r1 = (x) => Math.round(x * 10) / 10;
    return {
      nav: nav ? { responseStart: r1(nav.responseStart), responseEnd: r1(nav.responseEnd), domContentLoaded: r1(nav.domContentLoadedEventEnd) } : null,
      resources: performance.getEntriesByType('resource').map((e) => ({
        url: e.name, type: e.initiatorType, start: r1(e.startTime), end: r1(e.responseEnd),
      })),
      paints: Object.fromEntries(performance.getEntriesByType('paint').map((e) => [e.name, r1(e.startTime)])),
      at: { ...(window.__bench?.at ?? {}) },
      firstAppNode: window.__bench?.firstAppNode ?? null,
    };
  });
}

/** The resource entries whose URL passes `test`: how many, first start, last end, longest. */
export function requests(tl, test) {
  const hits = tl.resources.filter((e) => test(new URL(e.url)));
  if (!hits.length) return { count: 0, start: null, end: null, longestMs: null };
  return {
    count: hits.length,
    start: Math.min(...hits.map((e) => e.start)),
    end: Math.max(...hits.map((e) => e.end)),
    longestMs: Math.round(Math.max(...hits.map((e) => e.end - e.start)) * 10) / 10,
  };
}

/** Performance.getMetrics as { name: value }, durations in ms. */
export async function metrics(cdp) {
  const { metrics: list } = await cdp.send('Performance.getMetrics');
  const out = Object.fromEntries(list.map((m) => [m.name, m.value]));
  for (const k of Object.keys(out)) if (k.endsWith('Duration')) out[k] = Math.round(out[k] * 10000) / 10;
  return out;
}

/** Phases as { what, from, to, ms } (ms since navigation start), and the longest one. */
export function phases(list) {
  const r1 = (x) => Math.round(x * 10) / 10;
  const out = list.filter(([, from, to]) => Number.isFinite(from) && Number.isFinite(to))
    .map(([what, from, to]) => ({ what, from: r1(from), to: r1(to), ms: r1(to - from) }));
  const top = out.reduce((a, b) => (b.ms > (a?.ms ?? -Infinity) ? b : a), null);
  return { phases: out, dominant: top?.what ?? null };
}

/** The app's own files (JS, wasm, CSS) in the timeline, with the probe's app marks. */
export function staticFiles(tl) {
  return {
    files: tl.resources.filter((e) => /\.(js|wasm|css)$/.test(new URL(e.url).pathname))
      .map((e) => ({ path: new URL(e.url).pathname, type: e.type, start: e.start, end: e.end })),
    firstAppDomMs: tl.at.firstAppDom ?? null, firstAppNode: tl.firstAppNode, appStartedMs: tl.at.appStarted ?? null,
  };
}
