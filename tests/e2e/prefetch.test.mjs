// The first reads of a session's page go out while the wasm is still on its way (index.html's
// prefetch), and the app takes their answers instead of asking again: with the wasm held by
// page.route, the rail's first page, the session and its first page of outputs are requested;
// once the app runs, none of the three is sent a second time and the grid shows the session.
// What must not be taken is not: a prefetch that failed, one older than the app's freshness
// bound, and none is made when the stored token is due for renewal (the app renews it first).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';

import { launch } from './support/chromium.mjs';
import { newCreator } from './support/auth_page.mjs';
import { completedGeneration, seedOutputs } from './support/data.mjs';
import { resultCards, results } from './support/generate_page.mjs';
import { noErrors } from './support/page_errors.mjs';
import { openTab } from './support/tabs.mjs';
import { expireSessionIn, tokenOf } from './support/session.mjs';

/** Outputs seeded: more than the first page (48), so the join's range re-read has its own bound. */
const OUTPUTS = 1 + 240;
/** How long a prefetched answer may stand in for the app's read (src/supabase/prefetched.rs). */
const FRESH_MS = 10_000;
const FIRST_READS = ['rail', 'session', 'first page'];

let browser;
let creator;
let sessionId;

before(async () => {
  browser = await launch();
  creator = await newCreator(browser, 'prefetch');
  const newest = await completedGeneration(creator.page, 'Prefetched newest');
  sessionId = newest.session_id;
  await seedOutputs(newest, OUTPUTS - 1, (i) => `Prefetched older ${i}`);
  await creator.page.close();
});
after(async () => {
  await creator?.context.close();
  await browser?.close();
});

/** Which of the first three reads `request` is (null for any other request). */
function firstReadOf(request) {
  const url = new URL(request.url());
  const q = url.searchParams;
  if (request.method() !== 'GET') return null;
  if (url.pathname === '/rest/v1/sessions' && q.get('select')?.includes('generations(thumbnail_url)')) return 'rail';
  if (url.pathname === '/rest/v1/sessions' && q.get('id') === `eq.${sessionId}`) return 'session';
  if (url.pathname === '/rest/v1/generations' && q.get('session_id') === `eq.${sessionId}` && q.get('select') === '*'
    && !q.has('created_at') && !q.has('or')) return 'first page';
  return null;
}

/**
 * A new tab of the creator's context (the stored session signs it in) whose wasm is held until
 * `release()`. `sent` lists the first reads as they are requested, each `{ read, bearer, held }`
 * (`held`: sent while the wasm was held); `prefetched` settles once each of the three has been
 * requested; `postsRead` once the posts of a page of outputs are asked for, which the app does
 * only after it has the first page.
 */
async function heldTab() {
  const tab = await openTab(creator.context);
  const sent = [];
  let held = true;
  let release;
  const wasmReleased = new Promise((resolve) => { release = resolve; });
  await tab.page.route(/_bg\.wasm$/, async (route) => {
    await wasmReleased;
    await route.continue().catch(() => {}); // the document that asked may be gone by then
  });
  const seen = Object.fromEntries(FIRST_READS.map((read) => {
    let done;
    return [read, { promise: new Promise((resolve) => { done = resolve; }), done }];
  }));
  tab.page.on('request', (request) => {
    const read = firstReadOf(request);
    if (!read) return;
    sent.push({ read, bearer: request.headers().authorization, held });
    seen[read].done();
  });
  return {
    ...tab,
    sent,
    prefetched: Promise.race([
      Promise.all(FIRST_READS.map((read) => seen[read].promise)),
      new Promise((_, reject) => setTimeout(() => reject(new Error(
        `the first reads were not all sent while the wasm was held: ${JSON.stringify(sent.map((s) => s.read))}`)), 10_000)),
    ]),
    postsRead: tab.page.waitForRequest((r) => new URL(r.url()).pathname === '/rest/v1/posts', { timeout: 30_000 }),
    release: () => { held = false; release(); },
  };
}

/** Resolves once the prefetch has run, sending or not: it always files its map of answers. */
function prefetchDecided(page) {
  return page.waitForFunction(() => window.__atelierPrefetch instanceof Map);
}

/** For each first read, whether each request of it was sent while the wasm was held. */
const heldFlags = (sent) => FIRST_READS.map((read) => sent.filter((s) => s.read === read).map((s) => s.held));

/** Waits for the grid to show the session's newest output. */
const newestShown = (page) => resultCards(page).filter({ hasText: 'Prefetched newest' }).waitFor();

/** The error toasts on `page` ("Could not …"). */
const errorToasts = (page) => page.getByRole('status').getByText(/Could not/);

test("a session's first reads go out while the wasm loads, and the app does not send them again", async () => {
  const tab = await heldTab();
  try {
    await tab.page.goto(`/app/generate/${sessionId}`, { waitUntil: 'domcontentloaded' });
    await prefetchDecided(tab.page);
    assert.equal(await tab.page.evaluate(() => window.__atelierPrefetch?.size), 3, 'three answers filed');
    await tab.prefetched;
    assert.deepEqual(heldFlags(tab.sent), [[true], [true], [true]],
      'the rail, the session and its first page were asked for while the wasm was held');

    tab.release();
    await tab.page.getByRole('heading', { level: 1, name: 'Prefetched newest' }).waitFor();
    await newestShown(tab.page);
    await results(tab.page).getByText(`${OUTPUTS} outputs`).waitFor();
    // The posts of the first page are read once the app has that page: by then it would have
    // asked for any of the three reads it did not take from the prefetch.
    await tab.postsRead;
    assert.deepEqual(heldFlags(tab.sent), [[true], [true], [true]], 'none of the three was sent again');
    noErrors(tab);
  } finally {
    await tab.page.close();
  }
});

/**
 * Installed before any page script: records who called `fetch` for each of the first reads —
 * the app's code (its JS glue, `atelier-<hash>.js`, on the stack) or the page's inline prefetch.
 */
function watchFetchCallers() {
  window.__fetchCallers = [];
  const fetchOriginal = window.fetch;
  window.fetch = function (input, init) {
    const url = new URL(typeof input === 'string' ? input : input.url, location.href).href;
    window.__fetchCallers.push({ url, app: /\/atelier-[0-9a-f]+\.js/.test(new Error().stack ?? '') });
    return fetchOriginal.call(this, input, init);
  };
}

// The prefetch races the app: sent after the shell's first frame, it must still go out before
// the app starts, and on a busy main thread the paint's own timing entry is delivered only after
// the app has started (the prefetch then sent nothing, unseen by the test above, which holds the
// wasm). With nothing held, each first read is fetched once, and by the prefetch.
test('with nothing held, the first reads are still the prefetch\'s, and each is sent once', async () => {
  const tab = await openTab(creator.context);
  try {
    await tab.page.addInitScript(watchFetchCallers);
    await tab.page.goto(`/app/generate/${sessionId}`);
    await newestShown(tab.page);
    await results(tab.page).getByText(`${OUTPUTS} outputs`).waitFor();
    const callers = await tab.page.evaluate(() => window.__fetchCallers);
    const byRead = FIRST_READS.map((read) => callers
      .filter(({ url }) => firstReadOf({ url: () => url, method: () => 'GET' }) === read)
      .map(({ app }) => (app ? 'app' : 'prefetch')));
    assert.deepEqual(byRead, [['prefetch'], ['prefetch'], ['prefetch']],
      `the rail, the session and its first page, by who fetched them: ${JSON.stringify(byRead)}`);
    noErrors(tab);
  } finally {
    await tab.page.close();
  }
});

test('a prefetch that failed is not an answer: the app reads the page itself', async () => {
  const tab = await heldTab();
  try {
    // The first request of the first page is the prefetch's (the app's wasm is held).
    let aborted = 0;
    await tab.page.route(/\/rest\/v1\/generations\?/, (route) => {
      if (firstReadOf(route.request()) === 'first page' && aborted === 0) {
        aborted += 1;
        return route.abort('connectionreset');
      }
      return route.continue();
    });
    await tab.page.goto(`/app/generate/${sessionId}`, { waitUntil: 'commit' });
    await tab.prefetched;
    tab.release();
    await newestShown(tab.page);
    await tab.postsRead;
    assert.equal(aborted, 1, 'the prefetched first page was cut off');
    assert.deepEqual(heldFlags(tab.sent), [[true], [true], [true, false]],
      'the app read the first page again once it ran, and took the rail and the session');
    assert.equal(await errorToasts(tab.page).count(), 0, 'no error shown');
    noErrors(tab);
  } finally {
    await tab.page.close();
  }
});

test('a prefetched answer older than the freshness bound is not taken', async () => {
  const tab = await heldTab();
  try {
    await tab.page.goto(`/app/generate/${sessionId}`, { waitUntil: 'commit' });
    await tab.prefetched;
    await tab.page.waitForTimeout(FRESH_MS + 500); // the wasm held past the bound
    tab.release();
    await newestShown(tab.page);
    await tab.postsRead;
    assert.deepEqual(heldFlags(tab.sent), [[true, false], [true, false], [true, false]], 'each first read was sent again by the app');
    noErrors(tab);
  } finally {
    await tab.page.close();
  }
});

test('a stored token due for renewal is not used to prefetch: the app renews it, then reads once', async () => {
  const tab = await heldTab();
  try {
    // The app is held on /login: the token is aged there, on the app's origin.
    await tab.page.goto('/login', { waitUntil: 'commit' });
    await expireSessionIn(tab.page, 30);
    const stale = await tokenOf(tab.page);
    await tab.page.goto(`/app/generate/${sessionId}`, { waitUntil: 'domcontentloaded' });
    await prefetchDecided(tab.page);
    assert.equal(await tab.page.evaluate(() => window.__atelierPrefetch.size), 0, 'nothing prefetched');
    tab.release();
    await newestShown(tab.page);
    await tab.postsRead;
    const firstPages = tab.sent.filter((s) => s.read === 'first page');
    assert.deepEqual(firstPages.map((s) => s.held), [false], 'the first page was read once, by the app');
    assert.notEqual(firstPages[0].bearer, `Bearer ${stale}`, 'with the renewed token');
    noErrors(tab);
  } finally {
    await tab.page.close();
  }
});
