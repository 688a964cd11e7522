// The keyboard-only journey: after page.goto, nothing but page.keyboard —
// sign in, generate two images, open one in the lightbox and move to the other, close it
// (focus back on Open), post it to a mock account. Every focus stop on the way must show a
// focus indicator (tabTo checks each one).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';

import { launch } from './support/chromium.mjs';
import { watchDialogs } from './support/page_errors.mjs';
import { until } from './support/wait.mjs';
import { openPage } from './support/tabs.mjs';
import { PASSWORD } from './support/auth_page.mjs';
import { results } from './support/generate_page.mjs';
import { seedCreator } from './support/data.mjs';
import { assertFocusVisible, focusState, isFocused, tabTo } from './support/a11y.mjs';

const PROMPT = 'Terracotta pots on a sunny windowsill, shot from above';
let browser;

before(async () => {
  browser = await launch();
});

after(async () => {
  await browser?.close();
});

test('keyboard only: sign in, generate, open a result, post it', async (t) => {
  const creator = await seedCreator('keys');
  const { context, page, errors } = await openPage(browser);
  const dialogs = watchDialogs(page);
  t.after(() => context.close());
  const keys = page.keyboard;
  /** Waits for `locator` to be shown (or hidden); a timeout names the page errors (a wasm panic). */
  const shown = (locator, what, state = 'visible') => locator.waitFor({ state }).catch((e) => {
    throw new Error(`${what} (${state}): ${e.message.split('\n')[0]}; page errors: ${JSON.stringify(errors)}`);
  });

  // --- sign in: the first Tab from the page's start lands on Email -------------------------
  await page.goto('/login');
  const email = page.getByRole('textbox', { name: 'Email' });
  await shown(email, 'the Email field');
  await keys.press('Tab');
  assert.ok(await isFocused(email), `the first Tab focuses Email, not ${(await focusState(page)).element}`);
  await assertFocusVisible(page, 'Email');
  await keys.type(creator.email);
  await tabTo(page, page.getByLabel('Password'), { max: 3, what: 'Password' });
  await keys.type(PASSWORD);
  await tabTo(page, page.getByRole('button', { name: 'Sign in' }), { max: 3, what: 'Sign in' });
  await keys.press('Enter');
  await page.waitForURL('**/app/generate');

  // --- generate: Prompt, Count 2 (ArrowUp), Generate ---------------------------------------
  const prompt = page.getByRole('textbox', { name: 'Prompt', exact: true });
  await shown(prompt, 'the Prompt field');
  await tabTo(page, prompt, { max: 40, what: 'Prompt' });
  await keys.type(PROMPT);
  const count = page.getByRole('spinbutton', { name: 'Count' });
  await tabTo(page, count, { max: 5, what: 'Count' });
  await keys.press('ArrowUp');
  assert.equal(await count.inputValue(), '2', 'ArrowUp on Count makes it 2');
  const generate = page.getByRole('button', { name: 'Generate', exact: true });
  // A disabled Generate is no Tab stop: say why rather than "Tab never reached Generate".
  await until(() => generate.isEnabled(), { timeout: 3_000, what: 'Generate to be enabled' }).catch(async () => {
    assert.fail(`Generate stays disabled after typing a prompt and Count 2: "${await page.getByRole('button', { name: 'Generate' }).evaluate((b) => document.getElementById(b.getAttribute('aria-describedby'))?.textContent)}"`);
  });
  await tabTo(page, generate, { max: 20, what: 'Generate' });
  await keys.press('Enter');

  const openButtons = results(page).getByRole('button', { name: 'Open' });
  await until(async () => (await openButtons.count()) === 2, { timeout: 30_000, what: 'two finished outputs (two Open buttons)' });
  assert.deepEqual(errors, [], 'no page errors while generating');

  // --- the lightbox: Enter on Open, → moves, Escape closes, focus back on Open ---------------
  const open = openButtons.first();
  await tabTo(page, open, { max: 60, what: 'the first card\'s Open' });
  await keys.press('Enter');
  const lightbox = page.getByRole('dialog', { name: PROMPT });
  await shown(lightbox, 'Enter on Open opens the lightbox');
  const inside = await focusState(page);
  assert.ok(await lightbox.evaluate((d) => d.contains(document.activeElement)), `focus moves into the lightbox, not onto ${inside.element}`);
  await assertFocusVisible(page, 'the lightbox on opening');
  const image = lightbox.getByRole('img', { name: PROMPT });
  const first = await image.getAttribute('src');
  await keys.press('ArrowRight');
  await until(async () => (await image.getAttribute('src')) !== first, { what: 'ArrowRight to show the other output' });
  await keys.press('Escape');
  await shown(lightbox, 'Escape closes the lightbox', 'hidden');
  assert.ok(await isFocused(open), `Escape returns focus to Open, not to ${(await focusState(page)).element}`);
  await assertFocusVisible(page, 'Open after the lightbox closed');

  // --- post it: Post…, a caption, Next twice, an account, Publish now ------------------------
  const postButton = results(page).getByRole('button', { name: 'Post…' }).first();
  await tabTo(page, postButton, { max: 10, what: 'Post…' });
  await keys.press('Enter');
  const panel = page.getByRole('dialog', { name: 'Post', exact: true });
  await shown(panel, 'Enter on Post… opens the post dialog');
  await assertFocusVisible(page, 'the post dialog on opening');
  const caption = panel.getByRole('textbox', { name: 'Caption' });
  await tabTo(page, caption, { max: 10, what: 'the Caption field' });
  await keys.type('Sun-warmed terracotta.');
  const next = panel.getByRole('button', { name: 'Next' });
  await tabTo(page, next, { max: 15, what: 'Next' });
  await keys.press('Enter');
  await shown(panel.getByRole('heading', { name: 'Hashtags' }), 'Enter on Next shows Hashtags');
  assert.ok(await isFocused(next), `focus stays on Next after the first step, not ${(await focusState(page)).element}`);
  await keys.press('Enter');
  await shown(panel.getByRole('heading', { name: 'Distribution' }), 'Enter on Next again shows Distribution');
  const account = panel.getByRole('checkbox', { name: 'keys.test on Instagram' });
  await tabTo(page, account, { max: 20, what: 'the account checkbox' });
  await keys.press('Space');
  assert.ok(await account.isChecked(), 'Space checks the account');
  await tabTo(page, panel.getByRole('button', { name: 'Publish now' }), { max: 5, what: 'Publish now' });
  await keys.press('Enter');
  await shown(page.getByRole('status').getByText('Published to 1 account'), 'Enter on Publish now: the toast');
  await shown(panel, 'publishing closes the post dialog', 'hidden');
  assert.ok(await isFocused(postButton), `closing the post dialog returns focus to Post…, not to ${(await focusState(page)).element}`);

  assert.deepEqual(dialogs, [], 'no native dialogs');
  assert.deepEqual(errors, [], 'no page errors');
});
