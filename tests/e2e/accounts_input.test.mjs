// Account input: a handle is checked against its platform's rule as it is typed (the message
// under the field, which the field points at) and never sent while it breaks it; the database
// refuses the same handles itself (400, nothing written), and the app words that refusal. The
// accounts page lays every row out the same at 360 and 1280 px, and the Add button keeps clear
// of the fields. Screenshots: tests/.artifacts/screenshots/accounts-input-*.png.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch } from './support/chromium.mjs';
import { noErrors } from './support/page_errors.mjs';
import { until } from './support/wait.mjs';
import { toasts } from './support/tabs.mjs';
import { screenshot } from './support/screenshots.mjs';
import { tokenOf } from './support/session.mjs';
import { newCreator } from './support/auth_page.mjs';
import { openAccounts } from './support/accounts_page.mjs';
import { addMockAccount, sql } from './support/data.mjs';

const { API_URL, ANON_KEY } = process.env;

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const accountsOf = (userId) => sql(`select platform, handle from public.connected_accounts
  where user_id = '${userId}' order by created_at`);

/** The text of the elements `locator` names in aria-describedby. */
const describedBy = (locator) => locator.evaluate((el) => (el.getAttribute('aria-describedby') ?? '').split(' ')
  .map((id) => document.getElementById(id)?.textContent ?? '').join(' ').trim());

/** Every POST the page sends to connected_accounts (its body), in order. */
function accountPosts(page) {
  const posts = [];
  page.on('request', (request) => {
    if (request.url().includes('/rest/v1/connected_accounts') && request.method() === 'POST') posts.push(request.postData());
  });
  return posts;
}

test('A handle is checked against its platform as it is typed, and a refused one is never sent', async () => {
  const creator = await newCreator(browser, 'handles');
  const { page, userId } = creator;
  const posts = accountPosts(page);
  const form = await openAccounts(page);
  const platform = form.getByRole('combobox', { name: 'Platform' });
  const handle = form.getByRole('textbox', { name: 'Handle' });
  const addButton = form.getByRole('button', { name: 'Add mock account' });

  // Before anything is typed: the rule, not an error.
  assert.equal(await describedBy(handle), 'Instagram handles use letters, digits, periods and underscores (at most 30).');
  assert.equal(await handle.getAttribute('aria-invalid'), null);

  // Spaces: said as the creator types, and Add sends nothing (focus stays on the handle).
  await handle.fill('@my cool handle');
  assert.equal(await describedBy(handle),
    'A handle has no spaces. Instagram handles use letters, digits, periods and underscores (at most 30).');
  assert.equal(await handle.getAttribute('aria-invalid'), 'true');
  await addButton.click();
  await until(async () => (await page.evaluate(() => document.activeElement?.id)) === 'account-handle',
    { what: 'focus on the handle' });

  // The rule follows the platform: fine on Instagram, too long and wrong characters on X.
  await handle.fill('robin.studio');
  assert.equal(await handle.getAttribute('aria-invalid'), null);
  await platform.selectOption({ label: 'X' });
  assert.equal(await describedBy(handle), 'X handles use letters, digits and underscores (at most 15).');
  assert.equal(await handle.getAttribute('aria-invalid'), 'true');
  await handle.fill('robin_studio_official');
  assert.equal(await describedBy(handle), 'X handles are at most 15 characters.');
  await addButton.click();
  await platform.selectOption({ label: 'Mastodon' });
  await handle.fill('robin');
  assert.equal(await describedBy(handle), 'Mastodon handles are user@instance, like alice@mastodon.social.');
  await platform.selectOption({ label: 'Bluesky' });
  await handle.fill('robin');
  assert.equal(await describedBy(handle), 'Bluesky handles are domain names, like alice.bsky.social.');
  await addButton.click();

  // An empty handle is pointed out only once Add was tried.
  await handle.fill('');
  assert.equal(await handle.getAttribute('aria-invalid'), 'true');
  assert.equal(await describedBy(handle), 'Give the account a handle.');

  // A right one goes through, with its '@' dropped: the first and only request of the journey.
  await platform.selectOption({ label: 'Mastodon' });
  await handle.fill('@robin@masto.example');
  assert.equal(await handle.getAttribute('aria-invalid'), null);
  await addButton.click();
  await toasts(page).getByText('Added @robin@masto.example on Mastodon.', { exact: true }).waitFor();
  assert.equal(posts.length, 1, `only the valid handle was sent: ${posts.join(' | ')}`);
  assert.deepEqual(accountsOf(userId), [{ platform: 'mastodon', handle: 'robin@masto.example' }]);
  noErrors(creator);
  await creator.context.close();
});

test('The database refuses a handle off its platform\'s rule (400, nothing written), and the app says the rule', async () => {
  const creator = await newCreator(browser, 'handledb');
  const { page, userId } = creator;
  const token = await tokenOf(page);
  const insert = (body) => fetch(`${API_URL}/rest/v1/connected_accounts`, {
    method: 'POST',
    headers: { apikey: ANON_KEY, authorization: `Bearer ${token}`, 'content-type': 'application/json', prefer: 'return=representation' },
    body: JSON.stringify(body),
  });
  for (const [platform, bad] of [['instagram', 'my cool handle'], ['x', 'robin.studio'], ['mastodon', 'robin'], ['bluesky', 'robin']]) {
    const res = await insert({ platform, handle: bad });
    const body = await res.json();
    assert.equal(res.status, 400, `${platform} ${bad}: ${JSON.stringify(body)}`);
    assert.equal(body.code, '23514');
    assert.match(body.message, /connected_accounts_handle_format/);
  }
  assert.deepEqual(accountsOf(userId), [], 'nothing refused was written');
  const good = await insert({ platform: 'bluesky', handle: 'robin.bsky.social' });
  assert.equal(good.status, 201, await good.text());

  // Were the browser's rule ever looser than the database's, the creator reads the rule, not
  // the constraint's name: the request is changed on its way to the real database.
  const form = await openAccounts(page);
  await page.route('**/rest/v1/connected_accounts*', async (route) => {
    if (route.request().method() !== 'POST') return route.continue();
    const body = JSON.parse(route.request().postData());
    return route.continue({ postData: JSON.stringify({ ...body, handle: 'robin studio' }) });
  });
  await form.getByRole('textbox', { name: 'Handle' }).fill('robin.studio');
  await form.getByRole('button', { name: 'Add mock account' }).click();
  const alert = form.getByRole('alert');
  await alert.getByText('Instagram handles use letters, digits, periods and underscores (at most 30).', { exact: true }).waitFor();
  assert.doesNotMatch(await alert.innerText(), /constraint|violates/);
  assert.deepEqual(accountsOf(userId), [{ platform: 'bluesky', handle: 'robin.bsky.social' }]);
  noErrors(creator);
  await creator.context.close();
});

test('Every account row lays out the same at 360 and 1280 px, and the Add button keeps clear of the fields', async () => {
  const creator = await newCreator(browser, 'rows');
  const { page } = creator;
  await addMockAccount(page, 'x', 'wren_x');
  await addMockAccount(page, 'linkedin', 'wren-studio-photography-and-illustration-berlin-2026', 'Europe/Berlin');
  await addMockAccount(page, 'bluesky', 'wren.bsky.social');
  await addMockAccount(page, 'mastodon', 'wren_who_posts_a_lot@photography.example.social');
  const form = await openAccounts(page);
  const list = page.getByRole('list', { name: 'Connected accounts' });
  await list.getByText('@wren.bsky.social', { exact: true }).waitFor();
  const problems = [];
  for (const width of [360, 1280]) {
    await page.setViewportSize({ width, height: 900 });
    // Where each row's zone field, Save and Remove sit, relative to the row.
    const layouts = await list.getByRole('listitem').evaluateAll((rows) => rows.map((row) => {
      const box = row.getBoundingClientRect();
      const at = (el) => {
        const r = el.getBoundingClientRect();
        return [Math.round(r.left - box.left), Math.round(r.width)];
      };
      return {
        zone: at(row.querySelector('input')),
        save: at([...row.querySelectorAll('button')].find((b) => b.textContent === 'Save zone')),
        remove: at([...row.querySelectorAll('button')].find((b) => b.textContent === 'Remove')),
      };
    }));
    assert.equal(layouts.length, 4);
    if (layouts.some((layout) => JSON.stringify(layout) !== JSON.stringify(layouts[0]))) {
      problems.push(`at ${width} px the rows lay out differently: ${JSON.stringify(layouts)}`);
    }
    const gap = await form.evaluate((el) => {
      const button = [...el.querySelectorAll('button')].find((b) => b.textContent === 'Add mock account');
      const fieldsBottom = Math.max(...[...el.querySelectorAll('input, select, .field p')]
        .map((f) => f.getBoundingClientRect().bottom));
      return button.getBoundingClientRect().top - fieldsBottom;
    });
    if (gap < 16) problems.push(`at ${width} px the Add button is ${gap} px below the fields`);
    await screenshot(page, `accounts-input-${width}`);
  }
  assert.deepEqual(problems, []);
  noErrors(creator);
  await creator.context.close();
});
