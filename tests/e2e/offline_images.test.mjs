// Images that failed while the browser was offline load once it is back online, without a
// reload: the card's image and the rail's thumbnail are asked for again on `online`.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch } from './support/chromium.mjs';
import { noErrors } from './support/page_errors.mjs';
import { until } from './support/wait.mjs';
import { newCreator } from './support/auth_page.mjs';
import { resultImages, sessionRail } from './support/generate_page.mjs';
import { completedGeneration } from './support/data.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const widths = (locator) => locator.evaluateAll((els) => els.map((i) => (i.complete ? i.naturalWidth : -1)));

test('a card image and a rail thumbnail broken while offline load when the connection returns', async () => {
  const creator = await newCreator(browser, 'offline-images');
  const { page, context } = creator;
  const generation = await completedGeneration(page, `Fog rolling over hills ${Date.now()}`);
  // The network drops just as the images are asked for: every media request fails.
  const media = /\/storage\/v1\/(object|render)\//;
  let refused = 0;
  await page.route(media, (route) => { refused += 1; return route.abort('internetdisconnected'); });
  await page.goto(`/app/generate/${generation.session_id}`);
  const card = resultImages(page, generation.prompt);
  const thumb = sessionRail(page).locator('img');
  await until(async () => {
    const [c] = await widths(card);
    const [t] = await widths(thumb);
    return c === 0 && t === 0;
  }, { what: 'the card image and the rail thumbnail to have failed' });
  assert.ok(refused >= 1, `media requests were refused (${refused})`);
  await context.setOffline(true);
  await page.unroute(media);

  await page.evaluate(() => { window.__samePage = true; });
  await context.setOffline(false);
  const [cardWidth, thumbWidth] = await until(async () => {
    const [c] = await widths(card);
    const [t] = await widths(thumb);
    return c > 0 && t > 0 && [c, t];
  }, { what: 'both images to load after the connection returned' });
  assert.ok(cardWidth > 0 && thumbWidth > 0);
  assert.equal(await page.evaluate(() => window.__samePage), true, 'no reload happened');
  noErrors(creator);
  await creator.context.close();
});
