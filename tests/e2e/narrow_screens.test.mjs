// Every page holds a 360 px screen whatever it shows: long unbroken session titles, prompts,
// captions, handles, toasts and error text wrap instead of widening the page (no sideways
// scroll). Saves each page at 360 and 1280 px to tests/.artifacts/screenshots/narrow-*.png.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch } from './support/chromium.mjs';
import { noErrors } from './support/page_errors.mjs';
import { goTo, openWatchedPage } from './support/tabs.mjs';
import { screenshot, viewportShot } from './support/screenshots.mjs';
import { newCreator, signIn } from './support/auth_page.mjs';
import { resultCards } from './support/generate_page.mjs';
import { accountsGroup, openPostFor, toDistribution } from './support/post_dialog.mjs';
import { postList } from './support/posts_page.mjs';
import { addMockAccount, completedGeneration, userRest } from './support/data.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const WIDTHS = [360, 1280];
const word = (n, seed = 'Unbroken') => seed.repeat(Math.ceil(n / seed.length)).slice(0, n);
const TITLE = word(200, 'Sessiontitle');
const PROMPT = word(300, 'Promptword');
const HANDLE = word(100, 'handle');

/** How much wider than the screen the page is (0 when it fits). */
async function overflow(page) {
  return page.evaluate(() => Math.max(0, document.documentElement.scrollWidth - window.innerWidth));
}

/** The elements sticking out past the right edge (for the failure message). */
async function culprits(page) {
  return page.evaluate(() => [...document.querySelectorAll('body *')]
    .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 0.5)
    .slice(0, 5)
    .map((el) => `${el.tagName.toLowerCase()}.${el.className} (${Math.round(el.getBoundingClientRect().right)} px)`));
}

async function assertFits(page, what) {
  const over = await overflow(page);
  assert.equal(over, 0, `${what} at ${page.viewportSize().width} px is ${over} px too wide: ${(await culprits(page)).join(', ')}`);
}

test('The login page fits 360 px, with a long unbroken email and its error', async () => {
  const opened = await openWatchedPage(browser);
  const { page } = opened;
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: 800 });
    await page.goto('/login');
    await page.getByLabel('Email').fill(`${word(120, 'someone')}@atelier.test`);
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').waitFor();
    await assertFits(page, 'login');
    await screenshot(page, `narrow-login-${width}`);
  }
  noErrors(opened);
  await opened.context.close();
});

test('The demo user\'s first screen fits 360 px: cards with posts on their way (badges, the reason Delete waits)', async () => {
  const opened = await openWatchedPage(browser);
  const { page } = opened;
  await page.setViewportSize({ width: 360, height: 740 });
  await page.goto('/login');
  await signIn(page, 'demo@atelier.test', 'atelier-demo');
  await page.waitForURL('**/app/generate/**');
  // The newest seeded session opens first; its outputs have scheduled posts.
  await resultCards(page).first().getByText('Scheduled', { exact: true }).first().waitFor();
  await assertFits(page, 'the demo user\'s Generate page');
  await screenshot(page, 'narrow-demo-generate-360');
  noErrors(opened);
  await opened.context.close();
});

test('Generate, accounts, posts and post-production fit 360 px with long unbroken content', async () => {
  const creator = await newCreator(browser, 'narrow');
  const { page } = creator;
  // Generate without a session.
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: 900 });
    await page.getByRole('button', { name: 'New session' }).first().waitFor();
    await assertFits(page, 'generate without a session');
    await screenshot(page, `narrow-generate-empty-${width}`);
  }
  // The longest handles their platforms allow: LinkedIn's 100 characters, a Bluesky domain name.
  await addMockAccount(page, 'linkedin', HANDLE);
  await addMockAccount(page, 'bluesky', `${HANDLE.slice(0, 60)}.example`, 'America/Argentina/Buenos_Aires');
  const generation = await completedGeneration(page, PROMPT, { targets: ['linkedin'] });
  await userRest(page, `sessions?id=eq.${generation.session_id}`, { method: 'PATCH', body: { title: TITLE } });
  const [account] = await userRest(page, `connected_accounts?handle=eq.${HANDLE}&select=id`);
  const caption = word(200, 'Captionword');
  await userRest(page, 'rpc/publish_generation', {
    method: 'POST',
    body: { p_generation_id: generation.id, p_account_ids: [account.id], p_caption: caption, p_hashtags: [`#${word(50, 'tag')}`], p_scheduled_at: null, p_request_key: crypto.randomUUID() },
  });

  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: 900 });
    // Generate with a session: the long title, the long prompt on its card and in the canvas.
    await page.goto(`/app/generate/${generation.session_id}`);
    await page.getByRole('heading', { name: TITLE }).waitFor();
    await page.getByRole('img', { name: PROMPT, exact: true }).first().waitFor();
    await page.getByRole('textbox', { name: 'Prompt', exact: true }).fill(PROMPT);
    await assertFits(page, 'generate with a session');
    await screenshot(page, `narrow-generate-session-${width}`);

    // Post-production: the long prompt, caption and handles.
    const dialog = await openPostFor(page, generation);
    await dialog.getByRole('textbox', { name: 'Caption' }).fill(caption);
    await assertFits(page, 'post-production, caption');
    await viewportShot(page, `narrow-post-caption-${width}`);
    await toDistribution(dialog);
    await accountsGroup(dialog).getByRole('checkbox', { name: `@${HANDLE} on LinkedIn` }).waitFor();
    await assertFits(page, 'post-production, distribution');
    await viewportShot(page, `narrow-post-distribution-${width}`);
    await dialog.getByRole('button', { name: 'Close' }).click();

    // Accounts: long handles in the list, a long refused zone, and the toast of a long handle.
    await goTo(page, 'Accounts');
    const list = page.getByRole('list', { name: 'Connected accounts' });
    await list.getByText(`@${HANDLE}`, { exact: false }).first().waitFor();
    const form = page.getByRole('form', { name: 'Add a mock account' });
    await form.getByRole('combobox', { name: 'Platform' }).selectOption({ label: 'LinkedIn' });
    await form.getByRole('textbox', { name: 'Handle' }).fill(`${word(90, 'toast')}${width}`);
    await form.getByRole('combobox', { name: 'Time zone' }).fill(word(80, 'Nowhere'));
    await form.getByRole('button', { name: 'Add mock account' }).click();
    await form.getByText('is not a time zone from the list', { exact: false }).waitFor();
    await form.getByRole('combobox', { name: 'Time zone' }).fill('');
    await form.getByRole('button', { name: 'Add mock account' }).click();
    await page.getByRole('status').getByText(`${word(90, 'toast')}${width}`, { exact: false }).waitFor();
    await assertFits(page, 'accounts (with a toast)');
    await screenshot(page, `narrow-accounts-${width}`);

    // Posts: the long caption, hashtag, handle and prompt.
    await goTo(page, 'Posts');
    await postList(page).getByRole('listitem').first().waitFor();
    await assertFits(page, 'posts');
    await screenshot(page, `narrow-posts-${width}`);
  }
  noErrors(creator);
  await creator.context.close();
});
