// Generate page journeys on a result card's actions: Star survives a reload and the Starred
// filter shows it ("N starred of M outputs"); the lightbox opens, moves with ←/→ and closes with Escape; Delete asks
// first in the page's own dialog, and a deleted output's media stop answering.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch } from './support/chromium.mjs';
import { noErrors } from './support/page_errors.mjs';
import { until } from './support/wait.mjs';
import { newCreator } from './support/auth_page.mjs';
import { generate, imagesLoaded, resultCards, results, sessionIdOf } from './support/generate_page.mjs';
import { sql } from './support/data.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('Star survives a reload, and the Starred filter shows it', async () => {
  const creator = await newCreator(browser, 'star');
  const { page } = creator;
  const liked = `Moss-covered stone bridge ${Date.now()}`;
  const other = `Rusty bicycle by a wall ${Date.now()}`;
  await generate(page, liked, { count: 1 });
  await imagesLoaded(page, liked, 1);
  await generate(page, other, { count: 1 });
  await imagesLoaded(page, other, 1);

  const star = () => resultCards(page).filter({ hasText: liked }).getByRole('button', { name: 'Star' });
  assert.equal(await star().getAttribute('aria-pressed'), 'false');
  await star().click();
  await until(async () => (await star().getAttribute('aria-pressed')) === 'true', { what: 'Star pressed' });

  await page.reload();
  await imagesLoaded(page, liked, 1);
  assert.equal(await star().getAttribute('aria-pressed'), 'true', 'still starred after a reload');
  assert.equal(await resultCards(page).filter({ hasText: other }).getByRole('button', { name: 'Star' }).getAttribute('aria-pressed'), 'false');

  await results(page).getByRole('radio', { name: 'Starred' }).check();
  await until(async () => (await resultCards(page).count()) === 1, { what: 'only the starred card' });
  assert.match(await resultCards(page).first().innerText(), new RegExp(liked));
  // The counter says what the filter shows, out of how many.
  await results(page).getByText('1 starred of 2 outputs', { exact: true }).waitFor();
  // Unstar it: the starred view empties.
  await star().click();
  await results(page).getByText('No starred outputs yet').waitFor();
  await results(page).getByText('0 starred of 2 outputs', { exact: true }).waitFor();
  await results(page).getByRole('radio', { name: 'All' }).check();
  await until(async () => (await resultCards(page).count()) === 2, { what: 'both cards again' });
  await results(page).getByText('2 outputs', { exact: true }).waitFor();
  const starred = sql(`select starred from public.generations where user_id = '${creator.userId}'`);
  assert.ok(starred.every((r) => r.starred === false), JSON.stringify(starred));
  noErrors(creator);
  await creator.context.close();
});

test('the lightbox opens with Open, moves with ArrowRight/ArrowLeft and closes with Escape', async () => {
  const creator = await newCreator(browser, 'lightbox');
  const { page } = creator;
  const older = `Snowy owl on a fence post ${Date.now()}`;
  const newer = `Red tram in a narrow street ${Date.now()}`;
  await generate(page, older, { count: 1 });
  await imagesLoaded(page, older, 1);
  await generate(page, newer, { count: 1 });
  await imagesLoaded(page, newer, 1);

  const open = resultCards(page).filter({ hasText: newer }).getByRole('button', { name: 'Open' });
  await open.click();
  const dialog = (name) => page.getByRole('dialog', { name, exact: true });
  await dialog(newer).waitFor();
  // It shows the output large, decoded.
  const big = dialog(newer).getByRole('img', { name: newer, exact: true });
  await until(() => big.evaluate((i) => i.complete && i.naturalWidth > 0), { what: 'the large image' });

  await page.keyboard.press('ArrowRight');
  await dialog(older).waitFor();
  await page.keyboard.press('ArrowLeft');
  await dialog(newer).waitFor();
  await dialog(newer).getByRole('button', { name: 'Next' }).click();
  await dialog(older).waitFor();
  await dialog(older).getByRole('button', { name: 'Previous' }).click();
  await dialog(newer).waitFor();

  await page.keyboard.press('Escape');
  await dialog(newer).waitFor({ state: 'hidden' });
  assert.equal(await page.getByRole('dialog').count(), 0, 'no dialog left open');
  // Focus returns to the card's Open button.
  assert.equal(await open.evaluate((b) => b === document.activeElement), true);
  // And Close closes it too.
  await open.click();
  await dialog(newer).getByRole('button', { name: 'Close' }).click();
  await dialog(newer).waitFor({ state: 'hidden' });
  noErrors(creator);
  await creator.context.close();
});

test('Delete asks first: Cancel keeps the output, "Delete output" removes it and its media', async () => {
  const creator = await newCreator(browser, 'delete-output');
  const { page } = creator;
  const prompt = `Teapot steaming on a stove ${Date.now()}`;
  await generate(page, prompt, { count: 2 });
  const sessionId = await until(() => sessionIdOf(page), { what: 'the session in the URL' });
  await imagesLoaded(page, prompt, 2);
  const rows = sql(`select id, media_url, thumbnail_url, params->>'seed' as seed from public.generations where session_id = '${sessionId}'`);
  const [gone, kept] = rows;
  const card = resultCards(page).filter({ hasText: new RegExp(`Seed ${gone.seed}\\b`) });
  assert.equal((await fetch(gone.media_url)).status, 200, 'the media answer before');

  await card.getByRole('button', { name: 'Delete' }).click();
  const confirm = page.getByRole('dialog', { name: 'Delete this output?' });
  await confirm.waitFor();
  await confirm.getByRole('button', { name: 'Cancel' }).click();
  await confirm.waitFor({ state: 'hidden' });
  assert.equal(await resultCards(page).count(), 2, 'Cancel keeps it');
  assert.equal(sql(`select id from public.generations where id = '${gone.id}'`).length, 1);

  await card.getByRole('button', { name: 'Delete' }).click();
  await confirm.waitFor();
  await confirm.getByRole('button', { name: 'Delete output' }).click();
  await confirm.waitFor({ state: 'hidden' });
  await until(async () => (await resultCards(page).count()) === 1, { what: 'the card to go' });
  await page.getByRole('status').getByText('Output deleted.').waitFor();
  assert.equal(sql(`select id from public.generations where id = '${gone.id}'`).length, 0);
  for (const url of [gone.media_url, gone.thumbnail_url].filter(Boolean)) {
    const status = (await fetch(url)).status;
    assert.ok(status >= 400 && status < 500, `${url} answers ${status} after the delete`);
  }
  assert.equal((await fetch(kept.media_url)).status, 200, 'the other output is untouched');
  await page.reload();
  await imagesLoaded(page, prompt, 1);
  noErrors(creator);
  await creator.context.close();
});
