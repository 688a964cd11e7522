// A session of 2,000 outputs: opening it reads one keyset page (and the server's count), the
// "Outputs" list says it has 2,000 items (aria-setsize) while only the cards near the viewport
// exist in the page, and the list is as tall as all of them (the scrollbar is the whole
// session's before its pages are read); the keyboard moves through all of them (End reads the
// pages it needs); scrolling with the wheel, or the scrollbar dragged to the end at once
// (placeholders there until its pages are read), reaches the oldest card with its image; the
// large view steps across a page boundary, reading the next page, and the last card opened in it
// steps back to the first (ArrowLeft, Home) and to the last again (End); a change another writer
// makes to a card that is not in the page shows once it is scrolled to; the Starred filter
// counts on the server.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch } from './support/chromium.mjs';
import { noErrors } from './support/page_errors.mjs';
import { until } from './support/wait.mjs';
import { newCreator } from './support/auth_page.mjs';
import { resultCards, results } from './support/generate_page.mjs';
import { assertFocusVisible, isFocused } from './support/a11y.mjs';
import { completedGeneration, patchGenerations, seedOutputs, sql } from './support/data.mjs';

const TOTAL = 2000;
/** Rows per keyset page the app reads, and of the first one (services/sessions/generations.rs). */
const PAGE = 200;
const FIRST_PAGE = 48;

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** The Outputs list's height, and its cards' columns and row pitch (from the first two rows). */
function outputsGeometry(page) {
  return page.getByRole('list', { name: 'Outputs' }).evaluate((list) => {
    const boxes = [...list.children].map((li) => li.getBoundingClientRect());
    const columns = boxes.filter((b) => Math.abs(b.top - boxes[0].top) < 1).length;
    return { listHeight: list.getBoundingClientRect().height, columns, pitch: boxes[columns].top - boxes[0].top };
  });
}

/** The focused card's place (`aria-posinset`), or null when focus is not on a card. */
function focusedPlace(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    return el?.tagName === 'LI' && el.hasAttribute('aria-posinset') ? Number(el.getAttribute('aria-posinset')) : null;
  });
}

/** Presses `key` until the focused card's place satisfies `ok`; returns it. */
async function pressUntilPlace(page, key, ok, what) {
  return until(async () => {
    const place = await focusedPlace(page);
    if (place !== null && ok(place)) return place;
    await page.keyboard.press(key);
    return false;
  }, { timeout: 30_000, every: 50, what });
}

test('a session of 2,000 outputs opens on one page, windows its cards and reaches every one', async () => {
  const creator = await newCreator(browser, 'big', { defaultTimeout: 30_000 });
  const { page } = creator;
  // The newest output is a real one (its media served by the stack); 1,999 older ones share it.
  const newest = await completedGeneration(page, `Big session newest ${Date.now()}`);
  const sessionId = newest.session_id;
  await seedOutputs(newest, TOTAL - 1, (i) => `Big session output ${String(i + 2).padStart(4, '0')}`);
  // Three outputs starred, one of them far beyond the first page.
  const order = sql(`select id, prompt from public.generations where session_id = '${sessionId}'
    order by created_at desc, id desc`);
  assert.equal(order.length, TOTAL);
  await patchGenerations(`id=in.(${[order[3].id, order[150].id, order[1700].id].join(',')})`, { starred: true });

  // --- open: one page and the count, a window of cards ----------------------------------------
  const reads = [];
  const requests = [];
  page.on('request', (r) => {
    const url = new URL(r.url());
    if (url.pathname.includes('/v1/')) requests.push(`${r.method()} ${url.pathname}`);
    if (url.pathname.endsWith('/rest/v1/generations')) {
      reads.push({ query: decodeURIComponent(url.search.slice(1)), range: r.headers().range ?? null });
    }
  });
  await page.goto(`/app/generate/${sessionId}`);
  await results(page).getByText(`${TOTAL} outputs`, { exact: true }).waitFor();
  const cards = resultCards(page);
  await cards.first().getByRole('img', { name: newest.prompt }).waitFor();
  const rendered = await cards.count();
  const nodes = await page.evaluate(() => document.getElementsByTagName('*').length);
  console.log(`big session: opened with ${rendered} cards and ${nodes} elements; ${requests.length} API requests `
    + `(${JSON.stringify(requests)}); generations reads: ${JSON.stringify(reads)}`);
  assert.equal(await cards.first().getAttribute('aria-setsize'), String(TOTAL));
  assert.equal(await cards.first().getAttribute('aria-posinset'), '1');
  assert.ok(rendered > 0 && rendered < 100, `only the cards near the viewport are in the page: ${rendered}`);
  assert.ok(nodes <= 4000, `${nodes} elements in the page`);
  // postgrest-rs asks for a page with a Range header (`0-200`: one row more than a page, to
  // know whether another follows).
  for (const read of reads) {
    const [from, to] = (read.range ?? '').split('-').map(Number);
    assert.ok(from === 0 && to > 0 && to <= PAGE, `every read of the generations is one page: ${JSON.stringify(read)}`);
  }
  // The scrollbar is the whole session's from the start: the list is as tall as 2,000 cards,
  // though one page of them is read.
  const grid = await outputsGeometry(page);
  const rows = Math.ceil(TOTAL / grid.columns);
  assert.ok(grid.listHeight >= (rows - 1) * grid.pitch,
    `the list is as tall as ${rows} rows of ${grid.columns} (pitch ${grid.pitch} px): ${grid.listHeight} px`);

  // --- keyboard: one Tab stop, End, PageUp/PageDown, Home, arrows --------------------------------
  await results(page).getByRole('radio', { name: 'All' }).focus();
  await page.keyboard.press('Tab');
  assert.equal(await focusedPlace(page), 1, 'Tab from the filter lands on the first card');
  await assertFocusVisible(page, 'the first card');
  await page.keyboard.press('End');
  await until(async () => (await focusedPlace(page)) === TOTAL, { timeout: 60_000, what: 'End to reach the last card' });
  await assertFocusVisible(page, 'the last card');
  const oldest = order[TOTAL - 1].prompt;
  assert.match(await page.evaluate(() => document.activeElement.textContent), new RegExp(oldest));
  await page.keyboard.press('PageUp');
  const up = await until(async () => { const p = await focusedPlace(page); return p !== null && p < TOTAL && p; }, { what: 'PageUp' });
  await page.keyboard.press('PageDown');
  await until(async () => (await focusedPlace(page)) > up, { what: 'PageDown' });
  await page.keyboard.press('Home');
  await until(async () => (await focusedPlace(page)) === 1, { what: 'Home to reach the first card' });
  await page.keyboard.press('ArrowRight');
  await until(async () => (await focusedPlace(page)) === 2, { what: 'ArrowRight' });
  await page.keyboard.press('ArrowDown');
  const below = await until(async () => { const p = await focusedPlace(page); return p > 2 && p; }, { what: 'ArrowDown' });
  await page.keyboard.press('ArrowUp');
  await until(async () => (await focusedPlace(page)) === 2, { what: `ArrowUp from ${below}` });
  // Tab inside the card reaches its actions; the next Tab leaves the list.
  await page.keyboard.press('Tab');
  assert.ok(await isFocused(cards.filter({ hasText: order[1].prompt }).getByRole('button', { name: 'Open' })), 'Tab reaches the card\'s Open');
  await assertFocusVisible(page, 'the card\'s Open');
  assert.ok(await page.evaluate(() => document.querySelectorAll('[aria-label="Outputs"] > li[tabindex="0"]').length === 1), 'one Tab stop in the list');

  // --- the wheel: a fresh open, scrolled to the bottom in steps, reaches the oldest card --------
  await page.reload();
  await results(page).getByText(`${TOTAL} outputs`, { exact: true }).waitFor();
  await cards.first().waitFor();
  const box = await results(page).boundingBox();
  await page.mouse.move(box.x + box.width / 2, Math.min(box.y + 200, 700));
  const last = cards.filter({ hasText: oldest });
  await until(async () => {
    if (await last.count() === 1) return true;
    await page.mouse.wheel(0, 4000);
    return false;
  }, { timeout: 120_000, every: 50, what: 'the wheel to reach the oldest card' });
  assert.equal(await last.getAttribute('aria-posinset'), String(TOTAL));
  await until(() => last.getByRole('img').evaluate((i) => i.complete && i.naturalWidth > 0), { what: 'the oldest card\'s image' });
  const atBottom = await cards.count();
  assert.ok(atBottom < 100, `at the bottom, still a window of cards: ${atBottom}`);
  const bottomNodes = await page.evaluate(() => document.getElementsByTagName('*').length);
  console.log(`big session: at the bottom ${atBottom} cards and ${bottomNodes} elements`);
  assert.ok(bottomNodes <= 4000, `${bottomNodes} elements in the page`);

  // --- the scrollbar dragged to the end at once: the pages are read on until the oldest is there --
  await page.reload();
  await results(page).getByText(`${TOTAL} outputs`, { exact: true }).waitFor();
  await cards.first().waitFor();
  // Its pages held back: where the jump lands, placeholders (out of the accessibility tree) stand
  // in for the outputs not read yet.
  let release;
  const held = new Promise((resolve) => { release = resolve; });
  const generationReads = /\/rest\/v1\/generations\?/;
  await page.route(generationReads, async (route) => { await held; await route.continue(); });
  await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
  const placeholders = page.getByRole('list', { name: 'Outputs' }).locator('li[aria-hidden="true"]');
  await until(async () => (await placeholders.count()) > 0, { what: 'placeholders where the jump landed' });
  const inView = await placeholders.evaluateAll((items) => items.map((li) => li.getBoundingClientRect())
    .filter((r) => r.bottom > 0 && r.top < innerHeight && r.height > 100).length);
  assert.ok(inView > 0, `placeholders in view, with a card's size: ${inView} of ${await placeholders.count()}`);
  assert.equal(await last.count(), 0, 'the oldest card is not read yet');
  // Let them through; the route stays, passing later reads on at once.
  release();
  await last.waitFor({ timeout: 60_000 });
  assert.equal(await last.getAttribute('aria-posinset'), String(TOTAL));
  await until(async () => (await placeholders.count()) === 0, { what: 'the placeholders replaced by cards' });
  await until(() => last.getByRole('img').evaluate((i) => i.complete && i.naturalWidth > 0), { what: 'the oldest card\'s image after the jump' });
  assert.ok(await last.evaluate((li) => { const r = li.getBoundingClientRect(); return r.bottom > 0 && r.top < innerHeight; }),
    'the oldest card is in view where the jump landed');

  // --- a change to a card not in the page shows when it is scrolled to --------------------------
  const target = order[1000];
  assert.equal(await cards.filter({ hasText: target.prompt }).count(), 0, 'the card is not in the page');
  const patched = `Patched by another writer ${Date.now()}`;
  await patchGenerations(`id=eq.${target.id}`, { prompt: patched, starred: true });
  const patchedCard = cards.filter({ hasText: patched });
  await until(async () => {
    if (await patchedCard.count() === 1) return true;
    // Steps shorter than the window of cards, so none is scrolled past unseen.
    await page.mouse.wheel(0, -1200);
    return false;
  }, { timeout: 60_000, every: 50, what: 'the patched card scrolled to' });
  assert.equal(await patchedCard.getByRole('button', { name: 'Star' }).getAttribute('aria-pressed'), 'true');
  assert.equal(await patchedCard.getAttribute('aria-posinset'), '1001');

  // --- the starred filter counts on the server --------------------------------------------------
  await results(page).getByRole('radio', { name: 'Starred' }).check();
  await results(page).getByText(`4 starred of ${TOTAL} outputs`, { exact: true }).waitFor();
  await until(async () => (await cards.count()) === 4, { what: 'the four starred cards' });
  await results(page).getByRole('radio', { name: 'All' }).check();

  // --- the large view steps from the first page into the second, reading it -----------------------
  await page.reload();
  await results(page).getByText(`${TOTAL} outputs`, { exact: true }).waitFor();
  await cards.first().getByRole('button', { name: 'Open' }).click();
  const dialog = (name) => page.getByRole('dialog', { name, exact: true });
  await dialog(newest.prompt).waitFor();
  for (let i = 1; i <= FIRST_PAGE + 1; i += 1) {
    await page.keyboard.press('ArrowRight');
    await dialog(order[i].prompt).waitFor();
  }
  await page.keyboard.press('Escape');
  await dialog(order[FIRST_PAGE + 1].prompt).waitFor({ state: 'hidden' });

  // --- the last card opened in the large view, then back to the first ------------------------------
  await cards.first().focus();
  await page.keyboard.press('End');
  await until(async () => (await focusedPlace(page)) === TOTAL, { timeout: 60_000, what: 'End to reach the last card' });
  await page.keyboard.press('Enter');
  await dialog(order[TOTAL - 1].prompt).waitFor();
  await page.keyboard.press('ArrowLeft');
  await dialog(order[TOTAL - 2].prompt).waitFor();
  await page.keyboard.press('Home');
  await dialog(order[0].prompt).waitFor();
  await page.keyboard.press('End');
  await dialog(order[TOTAL - 1].prompt).waitFor();
  await page.keyboard.press('Escape');
  await dialog(order[TOTAL - 1].prompt).waitFor({ state: 'hidden' });

  noErrors(creator);
  await creator.context.close();
});
