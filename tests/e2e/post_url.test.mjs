// The open post dialog lives in the URL: "Post…" puts `?post=<generation id>` on the
// session's Generate page; Back closes the dialog without leaving the page; Forward and a
// reload open it again with the kept draft and the output's image; Close, Escape and a
// successful publish take `post` out of the URL; an id that names no output of the creator's
// (another creator's, deleted, malformed) says "Output not found" and shows nothing of anyone's;
// leaving the page and coming back never reopens a dialog the URL does not name; an output the
// grid does not hold is read by its id.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch } from './support/chromium.mjs';
import { noErrors } from './support/page_errors.mjs';
import { until } from './support/wait.mjs';
import { toasts } from './support/tabs.mjs';
import { newCreator, PASSWORD, uniqueEmail } from './support/auth_page.mjs';
import { results } from './support/generate_page.mjs';
import { accountsGroup, postProduction, toDistribution } from './support/post_dialog.mjs';
import { addMockAccount, completedGeneration, serviceRest, sql } from './support/data.mjs';

let browser;
let creator;
let generation;
before(async () => {
  browser = await launch();
  creator = await newCreator(browser, 'post-url');
  generation = await completedGeneration(creator.page, `Harbour lights at dusk ${Date.now()}`);
});
after(async () => {
  noErrors(creator);
  await creator?.context.close();
  await browser?.close();
});

const sessionPath = () => `/app/generate/${generation.session_id}`;
/** The URL's `post` (null without). */
const postParam = (page) => new URL(page.url()).searchParams.get('post');
const card = (page) => results(page).getByRole('listitem').filter({ hasText: generation.prompt });
const captionBox = (dialog) => dialog.getByRole('textbox', { name: 'Caption' });

/** The dialog's image of the output, once decoded (its natural width). */
async function dialogImageShown(dialog) {
  const image = dialog.getByRole('img', { name: generation.prompt, exact: true });
  return until(() => image.evaluate((i) => i.complete && i.naturalWidth), { what: 'the output\'s image in the dialog' });
}

/** The session page, without `post`, with the card shown. */
async function onSessionPage(page) {
  await page.goto(sessionPath());
  await card(page).getByRole('button', { name: 'Post…' }).waitFor();
}

test('Post… puts the output in the URL, and Back closes the dialog on the same session page', async () => {
  const { page } = creator;
  await onSessionPage(page);
  await card(page).getByRole('button', { name: 'Post…' }).click();
  const dialog = postProduction(page);
  await captionBox(dialog).waitFor();
  await page.waitForURL((url) => url.searchParams.get('post') === generation.id);

  await page.goBack();
  await dialog.waitFor({ state: 'hidden' });
  assert.equal(postParam(page), null, 'Back takes post out of the URL');
  assert.equal(new URL(page.url()).pathname, sessionPath(), 'still on the session\'s Generate page');
  await card(page).getByRole('button', { name: 'Post…' }).waitFor();
});

test('Forward and a reload open the dialog again with the kept caption and the output\'s image', async () => {
  const { page } = creator;
  await onSessionPage(page);
  await card(page).getByRole('button', { name: 'Post…' }).click();
  const dialog = postProduction(page);
  const caption = 'Kept across Back, Forward and reload.';
  await captionBox(dialog).fill(caption);
  await page.goBack();
  await dialog.waitFor({ state: 'hidden' });

  await page.goForward();
  await captionBox(dialog).waitFor();
  assert.equal(postParam(page), generation.id);
  assert.equal(await captionBox(dialog).inputValue(), caption, 'Forward: the caption is kept');
  assert.ok(await dialogImageShown(dialog), 'Forward: the image is shown');

  await page.reload();
  await captionBox(dialog).waitFor();
  assert.equal(postParam(page), generation.id);
  assert.equal(await captionBox(dialog).inputValue(), caption, 'reload: the caption is kept');
  assert.ok(await dialogImageShown(dialog), 'reload: the image is shown');
  // The step still starts at 1: only the content is kept.
  await dialog.getByRole('heading', { name: 'Caption', exact: true }).waitFor();
});

test('Close, Escape and a successful publish take post out of the URL', async () => {
  const { page } = creator;
  const handle = `harbour.${Date.now()}`;
  await addMockAccount(page, 'instagram', handle);
  await onSessionPage(page);
  const dialog = postProduction(page);

  const named = (url) => url.searchParams.get('post') === generation.id;
  await card(page).getByRole('button', { name: 'Post…' }).click();
  await captionBox(dialog).waitFor();
  await page.waitForURL(named);
  await dialog.getByRole('button', { name: 'Close', exact: true }).click();
  await dialog.waitFor({ state: 'hidden' });
  await page.waitForURL((url) => url.pathname === sessionPath() && !url.searchParams.has('post'));

  // Opened by a link (no entry of its own below): closing replaces it.
  await page.goto(`${sessionPath()}?post=${generation.id}`);
  await captionBox(dialog).waitFor();
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'hidden' });
  await page.waitForURL((url) => url.pathname === sessionPath() && !url.searchParams.has('post'));

  await card(page).getByRole('button', { name: 'Post…' }).click();
  await captionBox(dialog).fill('Harbour lights, posted.');
  await page.waitForURL(named);
  await toDistribution(dialog);
  const account = accountsGroup(dialog).getByRole('checkbox', { name: `@${handle} on Instagram` });
  if (!(await account.isChecked())) await account.check();
  await dialog.getByRole('button', { name: 'Publish now' }).click();
  await toasts(page).getByText('Published to 1 account', { exact: true }).waitFor();
  await dialog.waitFor({ state: 'hidden' });
  await page.waitForURL((url) => url.pathname === sessionPath() && !url.searchParams.has('post'));
});

test('an id that names no output of the creator\'s says "Output not found", shows nothing and posts nothing', async () => {
  const { page } = creator;
  // Another creator's finished output, written as the server side would.
  const email = uniqueEmail('post-url-other');
  const res = await fetch(`${process.env.API_URL}/auth/v1/admin/users`, {
    method: 'POST',
    headers: {
      apikey: process.env.SERVICE_ROLE_KEY,
      authorization: `Bearer ${process.env.SERVICE_ROLE_KEY}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify({ email, password: PASSWORD, email_confirm: true }),
  });
  const other = await res.json();
  assert.ok(res.ok, `admin createUser: ${res.status} ${JSON.stringify(other)}`);
  const [session] = await serviceRest('sessions', { method: 'POST', body: { user_id: other.id, title: 'Not yours' } });
  const foreignPrompt = `Someone else's secret storyboard ${Date.now()}`;
  const [foreign] = await serviceRest('generations', {
    method: 'POST',
    body: {
      user_id: other.id, session_id: session.id, kind: 'image', prompt: foreignPrompt, status: 'completed',
      media_url: `${process.env.API_URL}/storage/v1/object/public/media/${other.id}/secret.png`, width: 64, height: 64,
    },
  });

  const dialog = postProduction(page);
  const cases = [foreign.id, '00000000-0000-4000-8000-000000000000', 'not-a-generation'];
  for (const id of cases) {
    await page.goto(`${sessionPath()}?post=${encodeURIComponent(id)}`);
    await dialog.getByText('Output not found').waitFor();
    assert.equal(await dialog.getByRole('img').count(), 0, `${id}: no image in the dialog`);
    assert.equal(await page.getByText(foreignPrompt).count(), 0, `${id}: nothing of the other creator's`);
    assert.equal(await dialog.getByRole('textbox').count(), 0, `${id}: no draft to write`);
    assert.equal(await dialog.getByRole('button', { name: 'Publish now' }).count(), 0, `${id}: nothing to publish`);
  }
  await dialog.getByRole('button', { name: 'Close', exact: true }).click();
  await dialog.waitFor({ state: 'hidden' });
  await page.waitForURL((url) => url.pathname === sessionPath() && !url.searchParams.has('post'));
  assert.deepEqual(sql(`select id from public.posts where generation_id = '${foreign.id}'`), [], 'nothing posted');
});

test('leaving the Generate page and coming back opens no dialog the URL does not name', async () => {
  const { page } = creator;
  // Arrive from the Accounts page, so Back from the session page would leave it.
  await page.goto('/app/accounts');
  await page.getByRole('link', { name: 'Generate', exact: true }).click();
  // The creator's newest session is the output's.
  await page.waitForURL((url) => url.pathname === sessionPath());
  const dialog = postProduction(page);
  await card(page).getByRole('button', { name: 'Post…' }).click();
  await captionBox(dialog).fill('A draft left behind.');
  await page.goBack();
  await dialog.waitFor({ state: 'hidden' });

  await page.getByRole('link', { name: 'Accounts', exact: true }).click();
  await page.waitForURL('**/app/accounts');
  await page.getByRole('link', { name: 'Generate', exact: true }).click();
  await page.waitForURL((url) => url.pathname === sessionPath());
  await card(page).getByRole('button', { name: 'Post…' }).waitFor();
  await results(page).getByRole('img', { name: generation.prompt, exact: true }).waitFor();
  assert.equal(await dialog.count(), 0, 'no dialog after coming back');
  assert.equal(postParam(page), null);
});

test('an output the grid does not hold (another session\'s) opens by its id, with its image', async () => {
  const { page } = creator;
  const elsewhere = await completedGeneration(page, `Fog over the quay, another session ${Date.now()}`, { seed: 778 });
  assert.notEqual(elsewhere.session_id, generation.session_id);
  await page.goto(`${sessionPath()}?post=${elsewhere.id}`);
  const dialog = postProduction(page);
  await captionBox(dialog).waitFor();
  await dialog.getByText(elsewhere.prompt, { exact: true }).waitFor();
  const image = dialog.getByRole('img', { name: elsewhere.prompt, exact: true });
  assert.ok(await until(() => image.evaluate((i) => i.complete && i.naturalWidth), { what: 'its image' }));
  await dialog.getByRole('button', { name: 'Close', exact: true }).click();
  await page.waitForURL((url) => url.pathname === sessionPath() && !url.searchParams.has('post'));
});
