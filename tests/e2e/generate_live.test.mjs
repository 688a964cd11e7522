// Generate page journeys on the grid's liveness: completed outputs always render (after a
// reload, a session switch, and while the realtime socket was down), every canonical status
// renders, a change another writer makes reaches the card without a reload, a failed output
// explains itself and Retry completes it, a reload mid-generation continues, and a video
// plays inline. "Another writer" is the service role, so the page's own function response
// can never be what makes these pass.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch } from './support/chromium.mjs';
import { noErrors } from './support/page_errors.mjs';
import { until } from './support/wait.mjs';
import { newCreator } from './support/auth_page.mjs';
import {
  createSession, generate, imagesLoaded, resultCards, resultImages, results, sessionIdOf, sessionRail,
} from './support/generate_page.mjs';
import { patchGenerations, sql } from './support/data.mjs';
import { startDelayedStack } from './support/delayed_stack.mjs';
import { controlRealtime } from './support/realtime.mjs';

/**
 * The demo provider's pause per output on the mid-generation stack: 8 outputs run 4 at a time,
 * so the last ones finish two pauses after the claim, long after a reload has drawn the grid.
 */
const DEMO_DELAY_MS = 6_000;

let browser;
/** The stack of the mid-generation journey (started by that journey, stopped here). */
let delayed;
before(async () => { browser = await launch(); });
after(async () => {
  await browser?.close();
  await delayed?.stop();
});

/** The session's rows, newest first, as the database (by default the shared stack's) holds them. */
function rowsOf(sessionId, options) {
  return sql(`select id, status, media_url, thumbnail_url, width, height, prompt, error, params->>'seed' as seed
    from public.generations where session_id = '${sessionId}' order by created_at desc, id`, options);
}

/** The card of a row (outputs of one request share their prompt: each shows its own seed). */
function cardOf(page, row) {
  return resultCards(page).filter({ hasText: new RegExp(`Seed ${row.seed}\\b`) });
}

/** Values that put a row back to "queued" (as if it had not started). */
const QUEUED = { status: 'queued', media_url: null, media_path: null, thumbnail_url: null, width: null, height: null, completed_at: null, error: null };

/** Values that complete a row with another output's media. */
function completedLike(done) {
  return {
    status: 'completed', media_url: done.media_url, thumbnail_url: done.thumbnail_url,
    width: done.width, height: done.height, completed_at: new Date().toISOString(), error: null,
  };
}

test('Completed generations always render in the result grid', async () => {
  const creator = await newCreator(browser, 'always-render');
  const { page } = creator;
  // Every realtime socket goes through the test, which can close it and refuse reconnects.
  const realtime = await controlRealtime(page);
  const prompt = `Koi pond under maple leaves ${Date.now()}`;

  // 1. After generation.
  await generate(page, prompt, { count: 3 });
  await page.waitForURL(/\/app\/generate\/[0-9a-f-]{36}$/);
  const sessionId = sessionIdOf(page);
  await imagesLoaded(page, prompt, 3);

  // 2. After a reload.
  await page.reload();
  await imagesLoaded(page, prompt, 3);
  assert.equal(await resultCards(page).count(), 3);

  // 3. After switching to another session and back.
  await createSession(page, 'Another idea');
  await page.getByRole('heading', { level: 1, name: 'Another idea' }).waitFor();
  await results(page).getByText('No results yet').waitFor();
  assert.equal(await resultImages(page, prompt).count(), 0, 'the other session holds none of them');
  await sessionRail(page).getByRole('link', { name: prompt }).click();
  await page.waitForURL(`**/app/generate/${sessionId}`);
  await imagesLoaded(page, prompt, 3);

  // 4. While the socket is down, another writer re-queues two rows, then completes one of
  // them and fails the other; once the client is back, every card is right.
  const [a, b, c] = rowsOf(sessionId);
  await realtime.connected();
  // First, live: the re-queued rows turn back into placeholders (this also proves the
  // socket carries the session's changes before we cut it).
  await patchGenerations(`id=in.(${a.id},${b.id})`, QUEUED);
  await until(async () => (await resultCards(page).filter({ hasText: 'Queued' }).count()) === 2,
    { what: 'two cards back to Queued' });

  await realtime.goDown();
  await patchGenerations(`id=eq.${a.id}`, completedLike(c));
  await patchGenerations(`id=eq.${b.id}`, { status: 'failed', error: 'The provider refused this prompt — edit it and retry.' });
  await realtime.comeBack();

  await imagesLoaded(page, prompt, 2);
  const failed = resultCards(page).filter({ hasText: 'The provider refused this prompt' });
  await failed.waitFor();
  await failed.getByRole('button', { name: 'Retry' }).waitFor();
  assert.equal(await resultCards(page).filter({ hasText: 'Queued' }).count(), 0, 'no card stuck as Queued');
  assert.equal(await resultCards(page).count(), 3);
  noErrors(creator);
  await creator.context.close();
});

test('Statuses come from the one shared definition; the grid renders every canonical status', async () => {
  const creator = await newCreator(browser, 'statuses');
  const { page } = creator;
  const prompt = `Four states of a paper boat ${Date.now()}`;
  await generate(page, prompt, { count: 4 });
  const sessionId = await until(() => sessionIdOf(page), { what: 'the session in the URL' });
  await imagesLoaded(page, prompt, 4);

  // The database's enum is exactly the four canonical statuses.
  const labels = sql(`select e.enumlabel as label from pg_enum e join pg_type t on t.oid = e.enumtypid
    where t.typname = 'generation_status' order by e.enumsortorder`).map((r) => r.label);
  assert.deepEqual(labels, ['queued', 'processing', 'completed', 'failed']);

  const [queued, processing, completed, failed] = rowsOf(sessionId);
  await patchGenerations(`id=eq.${queued.id}`, QUEUED);
  await patchGenerations(`id=eq.${processing.id}`, { ...QUEUED, status: 'processing' });
  await patchGenerations(`id=eq.${failed.id}`, { ...QUEUED, status: 'failed', error: 'Timed out after 120 s — try again' });
  // Reload so the grid renders them from a plain load, then check each card's state.
  await page.reload();
  await resultCards(page).first().waitFor();
  assert.equal(await resultCards(page).count(), 4);

  const queuedCard = cardOf(page, queued);
  await queuedCard.getByRole('img', { name: /^Queued, \d+ s$/ }).waitFor();
  assert.equal(await queuedCard.getByRole('button', { name: 'Retry' }).count(), 0);
  const processingCard = cardOf(page, processing);
  await processingCard.getByRole('img', { name: /^Generating, \d+ s$/ }).waitFor();
  // The elapsed time moves on.
  const label = () => processingCard.getByRole('img', { name: /^Generating/ }).getAttribute('aria-label');
  const first = await label();
  await until(async () => (await label()) !== first, { timeout: 5_000, what: 'the elapsed time to tick' });

  const completedCard = cardOf(page, completed);
  const img = completedCard.getByRole('img', { name: prompt, exact: true });
  await img.waitFor();
  assert.equal(completed.status, 'completed');
  await until(() => img.evaluate((i) => i.complete && i.naturalWidth > 0), { what: 'the completed image to load' });
  await completedCard.getByRole('button', { name: 'Open' }).waitFor();

  const failedCard = cardOf(page, failed);
  await failedCard.getByText('Timed out after 120 s — try again').waitFor();
  await failedCard.getByRole('button', { name: 'Retry' }).waitFor();
  assert.equal(await failedCard.getByRole('img', { name: prompt, exact: true }).count(), 0);
  noErrors(creator);
  await creator.context.close();
});

test('a status change written by another writer reaches the card without a reload', async () => {
  const creator = await newCreator(browser, 'live-change');
  const { page } = creator;
  const prompt = `Hot air balloons over dunes ${Date.now()}`;
  await generate(page, prompt, { count: 2 });
  const sessionId = await until(() => sessionIdOf(page), { what: 'the session in the URL' });
  await imagesLoaded(page, prompt, 2);
  const [a, b] = rowsOf(sessionId);
  let navigations = 0;
  page.on('framenavigated', () => { navigations += 1; });

  await patchGenerations(`id=eq.${a.id}`, { ...QUEUED, status: 'processing' });
  const card = cardOf(page, a);
  await card.getByRole('img', { name: /^Generating, \d+ s$/ }).waitFor();
  await patchGenerations(`id=eq.${a.id}`, completedLike(b));
  await card.getByRole('img', { name: prompt, exact: true }).waitFor();
  await patchGenerations(`id=eq.${a.id}`, { status: 'failed', media_url: null, thumbnail_url: null, error: 'Storage is full — free some space' });
  await card.getByText('Storage is full — free some space').waitFor();
  assert.equal(navigations, 0, 'no reload happened');
  noErrors(creator);
  await creator.context.close();
});

test('a failed generation shows its reason, and Retry completes it', async () => {
  const creator = await newCreator(browser, 'retry');
  const { page } = creator;
  const prompt = `Glass terrarium with moss ${Date.now()}`;
  await generate(page, prompt, { count: 1 });
  const sessionId = await until(() => sessionIdOf(page), { what: 'the session in the URL' });
  await imagesLoaded(page, prompt, 1);
  const [row] = rowsOf(sessionId);
  await patchGenerations(`id=eq.${row.id}`, { ...QUEUED, status: 'failed', error: 'The provider is busy — retry in a minute' });
  const card = resultCards(page).first();
  await card.getByText('The provider is busy — retry in a minute').waitFor();
  assert.equal(await resultImages(page, prompt).count(), 0);

  await card.getByRole('button', { name: 'Retry' }).click();
  await imagesLoaded(page, prompt, 1);
  assert.equal(await card.getByText('The provider is busy').count(), 0);
  const [after] = rowsOf(sessionId);
  assert.equal(after.status, 'completed');
  assert.ok(after.media_url);
  noErrors(creator);
  await creator.context.close();
});

test('a reload in the middle of a generation: the cards continue and complete', async () => {
  // A stack of this journey's own, whose outputs take DEMO_DELAY_MS each: the reload below
  // lands while they run, whatever the machine's speed.
  delayed = await startDelayedStack({ delayMs: DEMO_DELAY_MS });
  const onDelayed = { dbUrl: delayed.dbUrl };
  const creator = await newCreator(browser, 'mid-reload', { baseURL: delayed.appUrl });
  const { page } = creator;
  const prompt = `Night market lanterns in rain ${Date.now()}`;
  // The function call reaches the server (Playwright sends it), but its answer never
  // reaches this page: only what the page loads after the reload can complete the cards.
  await page.route('**/functions/v1/generate-media', async (route) => {
    const response = await route.fetch().catch(() => null);
    if (response) await route.fulfill({ response }).catch(() => {});
  });
  await generate(page, prompt, { count: 8 });
  const sessionId = await until(() => sessionIdOf(page), { what: 'the session in the URL' });
  // Reload once the server has started on them.
  await until(() => {
    const rows = rowsOf(sessionId, onDelayed);
    return rows.length === 8 && rows.some((r) => r.status === 'processing');
  }, { every: 20, what: 'the server to start the outputs' });
  await page.reload();
  // The reloaded page shows outputs still on their way: the reload came mid-generation, and
  // the grid draws unfinished outputs from a plain load.
  await resultCards(page).getByRole('img', { name: /^(Queued|Generating), \d+ s$/ }).first().waitFor();
  await imagesLoaded(page, prompt, 8);
  assert.equal(await resultCards(page).count(), 8);
  const rows = rowsOf(sessionId, onDelayed);
  assert.ok(rows.every((r) => r.status === 'completed'), JSON.stringify(rows.map((r) => r.status)));
  noErrors(creator);
  await creator.context.close();
});

test('a video generation completes and plays inline', async () => {
  const creator = await newCreator(browser, 'video');
  const { page } = creator;
  const prompt = `Waves folding onto black sand ${Date.now()}`;
  await generate(page, prompt, { count: 1, kind: 'Video' });
  const video = results(page).getByLabel(prompt, { exact: true });
  await video.waitFor({ timeout: 30_000 });
  assert.equal(await video.evaluate((v) => v.tagName), 'VIDEO');
  await video.scrollIntoViewIfNeeded();
  // The creator starts it with the video's own controls, from the keyboard: Chromium's native
  // controls have no role to find them by, and a click on the middle of a desktop video does
  // not play it (only its play button in the bar does). Nothing here calls play() for them.
  await video.evaluate((v) => { v.muted = true; });
  await video.focus();
  await page.keyboard.press('Space');
  await until(() => video.evaluate((v) => !v.paused), { timeout: 10_000, what: 'Space on the focused video to start it' });
  const t0 = await until(() => video.evaluate((v) => (v.currentTime > 0 ? v.currentTime : 0)), { timeout: 15_000, what: 'playback to start' });
  const t1 = await until(async () => {
    const t = await video.evaluate((v) => v.currentTime);
    return t > t0 + 0.2 ? t : 0;
  }, { timeout: 10_000, what: 'playback to advance' });
  assert.ok(t1 > t0, `currentTime advanced from ${t0} to ${t1}`);
  assert.ok(await video.evaluate((v) => v.videoWidth > 0 && !v.error), 'decoded without error');
  noErrors(creator);
  await creator.context.close();
});
