// What a creator sees first on the Generate page: a session that has results shows them on the
// first screen, at 1280 px and at 360 px (the canvas's options fold into one line, and on a
// phone the session list folds behind "All sessions"); a first session shows every option.
// Saves tests/.artifacts/screenshots/first-screen-*.png.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch } from './support/chromium.mjs';
import { noErrors } from './support/page_errors.mjs';
import { openWatchedPage } from './support/tabs.mjs';
import { viewportShot } from './support/screenshots.mjs';
import { newCreator, signIn } from './support/auth_page.mjs';
import { generate, resultCards, resultImages, sessionRail } from './support/generate_page.mjs';
import { until } from './support/wait.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const SCREENS = [{ width: 1280, height: 800 }, { width: 360, height: 740 }];

/** How many pixels of the first result card's image are on the first screen (unscrolled). */
async function firstImageOnScreen(page) {
  const image = resultCards(page).first().getByRole('img').first();
  return image.evaluate((img) => {
    const box = img.getBoundingClientRect();
    return Math.max(0, Math.min(box.bottom, window.innerHeight) - Math.max(box.top, 0));
  });
}

const optionsToggle = (page) => page.getByRole('button', { name: 'Options', exact: true });

for (const screen of SCREENS) {
  test(`The demo user's first screen at ${screen.width} px shows results, with the options folded into one line`, async () => {
    const opened = await openWatchedPage(browser, { viewport: screen });
    const { page } = opened;
    await page.goto('/login');
    await signIn(page, 'demo@atelier.test', 'atelier-demo');
    await page.waitForURL('**/app/generate/**');
    await resultCards(page).first().getByRole('img').first().waitFor();
    await until(async () => (await optionsToggle(page).getAttribute('aria-expanded')) === 'false', { what: 'options folded' });
    assert.equal(await page.evaluate(() => window.scrollY), 0, 'nothing scrolled');
    const visible = await firstImageOnScreen(page);
    assert.ok(visible >= 120, `at least 120 px of the first result on the first screen, got ${visible}`);
    assert.equal(await page.getByRole('spinbutton', { name: 'Count' }).isVisible(), false, 'Count is folded');
    // What Generate will use is still said, in one line beside "Options".
    const summary = await optionsToggle(page).evaluate((b) => document.getElementById(b.getAttribute('aria-describedby')).textContent);
    assert.match(summary, /^Image · 1 · \d+:\d+/, summary);
    await viewportShot(page, `first-screen-demo-${screen.width}`);
    assert.equal(await optionsToggle(page).getAttribute('aria-expanded'), 'false', 'the options stay folded once the session is open');

    // "Options" shows every option, and folds them again.
    await optionsToggle(page).click();
    await page.getByRole('spinbutton', { name: 'Count' }).waitFor();
    assert.equal(await optionsToggle(page).getAttribute('aria-expanded'), 'true');
    await optionsToggle(page).click();
    await page.getByRole('spinbutton', { name: 'Count' }).waitFor({ state: 'hidden' });

    const rail = sessionRail(page);
    const allSessions = rail.getByRole('button', { name: 'All sessions' });
    const sessionLinks = rail.getByRole('link');
    if (screen.width < 720) {
      // On a phone the list waits behind "All sessions"; picking a session folds it again.
      assert.equal(await allSessions.getAttribute('aria-expanded'), 'false');
      assert.equal(await sessionLinks.first().isVisible(), false, 'the list is folded');
      await allSessions.click();
      assert.equal(await allSessions.getAttribute('aria-expanded'), 'true');
      await sessionLinks.nth(1).click();
      await until(async () => (await allSessions.getAttribute('aria-expanded')) === 'false', { what: 'the list folded after the pick' });
      assert.equal(await sessionLinks.first().isVisible(), false);
    } else {
      assert.equal(await allSessions.count(), 0, 'no fold on a wide screen');
      assert.ok(await sessionLinks.first().isVisible(), 'the list is always there');
    }
    noErrors(opened);
    await opened.context.close();
  });
}

test('A first session shows every option, and a first batch does not fold them', async () => {
  const creator = await newCreator(browser, 'first-screen');
  const { page } = creator;
  await until(async () => (await optionsToggle(page).getAttribute('aria-expanded')) === 'true', { what: 'options shown' });
  await page.getByRole('spinbutton', { name: 'Count' }).fill('2');
  await page.getByRole('textbox', { name: 'Prompt', exact: true }).fill('A first batch of two');
  await page.getByRole('button', { name: 'Generate', exact: true }).click();
  await page.waitForURL('**/app/generate/**');
  await until(async () => (await resultImages(page, 'A first batch of two').count()) === 2, { what: 'two results' });
  assert.equal(await optionsToggle(page).getAttribute('aria-expanded'), 'true', 'still shown after the batch');
  // A second batch right away, without opening anything.
  await generate(page, 'A second batch', { count: 1 });
  await resultImages(page, 'A second batch').first().waitFor();
  noErrors(creator);
  await creator.context.close();
});
