// The large view: clicking a card's image opens it (not only "Open"), and it carries the card's
// actions under the card's names — Post… (opens the post dialog as the card's button does),
// Download (the same file link) and Star (pressed state shared with the card, and saved).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch } from './support/chromium.mjs';
import { noErrors } from './support/page_errors.mjs';
import { until } from './support/wait.mjs';
import { screenshot } from './support/screenshots.mjs';
import { newCreator } from './support/auth_page.mjs';
import { resultImages, results } from './support/generate_page.mjs';
import { completedGeneration, sql } from './support/data.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('clicking the image opens the large view, which offers Post…, Download and Star like the card', async () => {
  const creator = await newCreator(browser, 'largeview');
  const { page } = creator;
  const generation = await completedGeneration(page, `Lanterns over a canal ${Date.now()}`);
  await page.goto(`/app/generate/${generation.session_id}`);
  const card = results(page).getByRole('listitem').filter({ hasText: generation.prompt });
  await resultImages(page, generation.prompt).click();
  const large = page.getByRole('dialog', { name: generation.prompt });
  await large.waitFor();

  // Download: the card's link.
  const cardHref = await card.getByRole('link', { name: 'Download' }).getAttribute('href');
  assert.ok(cardHref);
  assert.equal(await large.getByRole('link', { name: 'Download' }).getAttribute('href'), cardHref);

  // Star: pressed in the large view, saved, and the card says so too.
  const star = large.getByRole('button', { name: 'Star' });
  assert.equal(await star.getAttribute('aria-pressed'), 'false');
  await star.click();
  await until(async () => (await star.getAttribute('aria-pressed')) === 'true', { what: 'Star pressed' });
  await until(() => sql(`select starred from public.generations where id = '${generation.id}'`)[0]?.starred === true,
    { what: 'the star saved' });
  assert.equal(await page.evaluate(() => document.activeElement?.textContent?.trim()), '★ Star', 'focus stays on Star');
  await page.setViewportSize({ width: 1280, height: 800 });
  await screenshot(page, 'large-view-1280');
  await page.setViewportSize({ width: 360, height: 740 });
  await screenshot(page, 'large-view-360');
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.keyboard.press('Escape');
  await large.waitFor({ state: 'hidden' });
  assert.equal(await card.getByRole('button', { name: 'Star' }).getAttribute('aria-pressed'), 'true');

  // Post…: the large view gives way to the post dialog for this output.
  await resultImages(page, generation.prompt).click();
  await large.waitFor();
  await large.getByRole('button', { name: 'Post…' }).click();
  await large.waitFor({ state: 'hidden' });
  const post = page.getByRole('dialog', { name: /^Post(-production)?$/ });
  await post.getByRole('heading', { name: 'Caption', exact: true }).waitFor();
  noErrors(creator);
  await creator.context.close();
});
