// The accounts post-production offers follow the data whenever it arrives: "Made for" targets
// are preselected when the accounts load after the panel opened (and never over a choice the
// creator made); an account added since the page loaded (elsewhere, or on the Accounts page
// while its list was still loading) is offered. The accounts responses are held back on
// purpose here, as a busy machine or a slow network would.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch } from './support/chromium.mjs';
import { noErrors } from './support/page_errors.mjs';
import { until } from './support/wait.mjs';
import { goTo } from './support/tabs.mjs';
import { newCreator } from './support/auth_page.mjs';
import { accountsGroup, openPostFor, toDistribution } from './support/post_dialog.mjs';
import { addMockAccount, completedGeneration } from './support/data.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const accountsUrl = (url) => url.pathname.endsWith('/rest/v1/connected_accounts');
const isAccountsRead = (request) =>
  request.method() === 'GET' && new URL(request.url()).pathname.endsWith('/rest/v1/connected_accounts');

/**
 * Holds every answer to a read of the accounts list for `ms` after the database gave it (the
 * rows are those of the moment the read reached the database). Returns a function that waits
 * for the next held answer to reach the page.
 */
async function holdAccountsAnswers(page, ms) {
  await page.route(accountsUrl, async (route) => {
    if (!isAccountsRead(route.request())) return route.continue();
    const response = await route.fetch();
    await new Promise((r) => setTimeout(r, ms));
    await route.fulfill({ response }).catch(() => {});
  });
  return () => page.waitForResponse((r) => isAccountsRead(r.request()), { timeout: ms + 20_000 });
}

const checkedNames = (dialog) => accountsGroup(dialog).getByRole('checkbox', { checked: true })
  .evaluateAll((boxes) => boxes.map((b) => b.labels[0].textContent.trim()));

test('"Made for" targets are preselected when the accounts arrive after the panel opened', async () => {
  const creator = await newCreator(browser, 'race-preselect');
  const { page } = creator;
  await addMockAccount(page, 'instagram', 'stoat.ig');
  await addMockAccount(page, 'x', 'stoat_x');
  const generation = await completedGeneration(page, 'A stoat in its winter ermine coat', { targets: ['instagram'] });
  const answered = await holdAccountsAnswers(page, 4_000);
  const firstAnswer = answered();
  await page.goto(`/app/generate/${generation.session_id}`);
  // The panel opens (and reaches step 3) while the accounts are still on their way.
  const dialog = await openPostFor(page, generation);
  await toDistribution(dialog);
  await firstAnswer;
  const instagram = accountsGroup(dialog).getByRole('checkbox', { name: '@stoat.ig on Instagram' });
  await instagram.waitFor();
  await until(() => instagram.isChecked(), { timeout: 5_000, what: 'the Made for account preselected once the accounts arrived' });
  assert.deepEqual(await checkedNames(dialog), ['@stoat.ig on Instagram'], 'only the target platform');
  noErrors(creator);
  await creator.context.close();
});

test('A late accounts list never overrides the accounts the creator chose', async () => {
  const creator = await newCreator(browser, 'race-choice');
  const { page } = creator;
  await addMockAccount(page, 'instagram', 'mink.ig');
  await addMockAccount(page, 'x', 'mink_x');
  const generation = await completedGeneration(page, 'A mink on a riverbank stone', { targets: ['instagram'] });
  await page.goto(`/app/generate/${generation.session_id}`);
  await page.getByRole('button', { name: 'Post…' }).waitFor();
  // The page's own list is in; every read from now on answers late, and the late one brings a
  // second Instagram account the page has not seen.
  const answered = await holdAccountsAnswers(page, 3_000);
  await addMockAccount(page, 'instagram', 'mink.two');
  const late = answered();
  const dialog = await openPostFor(page, generation);
  await toDistribution(dialog);
  const instagram = accountsGroup(dialog).getByRole('checkbox', { name: '@mink.ig on Instagram' });
  const x = accountsGroup(dialog).getByRole('checkbox', { name: '@mink_x on X' });
  await until(() => instagram.isChecked(), { what: 'Instagram preselected' });
  await instagram.uncheck();
  await x.check();
  await late;
  await accountsGroup(dialog).getByRole('checkbox', { name: '@mink.two on Instagram' }).waitFor();
  assert.deepEqual(await checkedNames(dialog), ['@mink_x on X'], 'the creator\'s choice stands');
  noErrors(creator);
  await creator.context.close();
});

test('An account added after the Generate page loaded is offered when the panel opens', async () => {
  const creator = await newCreator(browser, 'race-added');
  const { page } = creator;
  const generation = await completedGeneration(page, 'A pine marten climbing a spruce');
  await page.goto(`/app/generate/${generation.session_id}`);
  await page.getByRole('button', { name: 'Post…' }).waitFor();
  // Added elsewhere (another tab, another device) while this page stays open.
  await addMockAccount(page, 'x', 'marten_x');
  const dialog = await openPostFor(page, generation);
  await toDistribution(dialog);
  await accountsGroup(dialog).getByRole('checkbox', { name: '@marten_x on X' }).waitFor({ timeout: 10_000 });
  noErrors(creator);
  await creator.context.close();
});

test('An account added on the Accounts page while its list is still loading stays, and post-production offers it', async () => {
  const creator = await newCreator(browser, 'race-accounts-page');
  const { page } = creator;
  const generation = await completedGeneration(page, 'A polecat peeking out of a hedge');
  const answered = await holdAccountsAnswers(page, 4_000);
  const stale = answered();
  await goTo(page, 'Accounts');
  const form = page.getByRole('form', { name: 'Add a mock account' });
  await form.getByRole('combobox', { name: 'Platform' }).selectOption({ label: 'X' });
  await form.getByRole('textbox', { name: 'Handle' }).fill('polecat_x');
  await form.getByRole('button', { name: 'Add mock account' }).click();
  await page.getByRole('status').getByText('Added @polecat_x on X.', { exact: true }).waitFor();
  // The list read before the account existed answers now: the account must not vanish.
  await stale;
  await page.unroute(accountsUrl);
  const list = page.getByRole('list', { name: 'Connected accounts' });
  await list.getByText('@polecat_x on X', { exact: false }).waitFor({ timeout: 10_000 });
  await goTo(page, 'Generate');
  await page.waitForURL(`**/app/generate/${generation.session_id}`);
  const dialog = await openPostFor(page, generation);
  await toDistribution(dialog);
  await accountsGroup(dialog).getByRole('checkbox', { name: '@polecat_x on X' }).waitFor({ timeout: 10_000 });
  noErrors(creator);
  await creator.context.close();
});
