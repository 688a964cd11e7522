// Accounts and posts journeys: mock accounts added, refused (a duplicate handle inline; a zone
// off the browser's list before anything is sent), re-zoned from the list and removed after a
// confirmation (kept, revoked, while posts use them);
// posts cancelled and filtered by status; and scheduled posts that really go out, shown live.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch } from './support/chromium.mjs';
import { noErrors } from './support/page_errors.mjs';
import { until } from './support/wait.mjs';
import { goTo, toasts } from './support/tabs.mjs';
import { newCreator } from './support/auth_page.mjs';
import { postList, postTime } from './support/posts_page.mjs';
import {
  addAccountAs, addMockAccount, completedGeneration, sql, sqlExec, sqlWrite, userRest, yearAhead,
} from './support/data.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/**
 * Records every update of `userId`'s posts from now on (who made it, the status and published_at
 * before and after), in a schema of its own: the evidence of how often each post was claimed,
 * whether by a sweep the journey calls or by pg_cron's. `drop()` removes the log and its trigger.
 */
function logPostUpdates(userId) {
  const schema = `e2e_post_log_${Date.now()}`;
  sqlExec(`create schema ${schema};
    create table ${schema}.updates (
      seq bigserial primary key, post_id uuid not null, by_role text not null, application text,
      old_status text not null, new_status text not null, old_published_at timestamptz, new_published_at timestamptz);
    create function ${schema}.record() returns trigger language plpgsql as $$
    begin
      insert into ${schema}.updates (post_id, by_role, application, old_status, new_status, old_published_at, new_published_at)
      values (new.id, current_user, current_setting('application_name', true), old.status, new.status,
              old.published_at, new.published_at);
      return new;
    end $$;
    create trigger ${schema}_record after update on public.posts
      for each row when (new.user_id = '${userId}') execute function ${schema}.record();`);
  return {
    rows: () => sql(`select * from ${schema}.updates order by seq`),
    drop: () => sqlExec(`drop schema ${schema} cascade`),
  };
}

/** The text of the elements `locator` names in aria-describedby. */
const describedBy = (locator) => locator.evaluate((el) => (el.getAttribute('aria-describedby') ?? '').split(' ')
  .map((id) => document.getElementById(id)?.textContent ?? '').join(' ').trim());

const accountsOf = (userId) => sql(`select platform, handle, status, timezone from public.connected_accounts
  where user_id = '${userId}' order by created_at`);

/** Every write the page sends to connected_accounts (method and body), in order. */
function accountWrites(page) {
  const writes = [];
  page.on('request', (request) => {
    if (request.url().includes('/rest/v1/connected_accounts') && request.method() !== 'GET') {
      writes.push(`${request.method()} ${request.postData() ?? ''}`);
    }
  });
  return writes;
}

test('The accounts page adds mock accounts, picks zones from the list (refusing others before sending), changes zones and removes accounts after a confirmation', async () => {
  const creator = await newCreator(browser, 'accounts');
  const { page, userId } = creator;
  const writes = accountWrites(page);
  await goTo(page, 'Accounts');
  await page.waitForURL('**/app/accounts');
  await page.getByRole('heading', { name: 'Accounts', level: 1 }).waitFor();
  await page.getByText('No accounts yet', { exact: false }).waitFor();
  const form = page.getByRole('form', { name: 'Add a mock account' });
  const list = page.getByRole('list', { name: 'Connected accounts' });
  const add = async (platform, handle, zone) => {
    await form.getByRole('combobox', { name: 'Platform' }).selectOption({ label: platform });
    await form.getByRole('textbox', { name: 'Handle' }).fill(handle);
    await form.getByRole('combobox', { name: 'Time zone' }).fill(zone);
    await form.getByRole('button', { name: 'Add mock account' }).click();
  };

  await add('LinkedIn', 'robin-studio', 'Europe/Lisbon');
  await toasts(page).getByText('Added @robin-studio on LinkedIn.', { exact: true }).waitFor();
  await list.getByRole('listitem').filter({ hasText: '@robin-studio' }).getByText('LinkedIn · Mock', { exact: true }).waitFor();
  assert.equal(await list.getByRole('combobox', { name: 'Time zone of @robin-studio on LinkedIn' }).inputValue(), 'Europe/Lisbon');
  assert.deepEqual(accountsOf(userId), [{ platform: 'linkedin', handle: 'robin-studio', status: 'mock', timezone: 'Europe/Lisbon' }]);

  // The same handle on the same platform: refused inline, nothing written.
  await add('LinkedIn', 'robin-studio', '');
  await form.getByRole('alert').getByText('You already have an account with this handle on that platform.').waitFor();
  // A zone off the browser's list: refused under the field before anything is sent.
  const writesBefore = writes.length;
  await add('X', 'robin_x', 'Mars/Olympus');
  const zoneField = form.getByRole('combobox', { name: 'Time zone' });
  await form.getByText('“Mars/Olympus” is not a time zone from the list.', { exact: false }).waitFor();
  assert.equal(await zoneField.getAttribute('aria-invalid'), 'true');
  assert.match(await describedBy(zoneField), /“Mars\/Olympus” is not a time zone from the list/);
  await add('X', 'robin_x', '');
  await toasts(page).getByText('Added @robin_x on X.', { exact: true }).waitFor();
  assert.equal(writes.length, writesBefore + 1, `only the accepted add was sent: ${writes.slice(writesBefore).join(' | ')}`);
  assert.doesNotMatch(writes.at(-1), /Mars/);
  assert.equal(accountsOf(userId).length, 2, 'the refused account was not written');
  assert.equal(await form.getByRole('alert').count(), 0, 'the error goes once an add succeeds');

  // A row's zone: the browser's zone is the first suggestion; choosing Europe/Paris saves it; a
  // city typed as is ("paris") is refused with the zone it probably means, before any request.
  const zone = list.getByRole('combobox', { name: 'Time zone of @robin-studio on LinkedIn' });
  const linkedin = list.getByRole('listitem').filter({ hasText: '@robin-studio' });
  const suggestions = await zone.evaluate((input) => [...input.list.options].map((o) => o.value));
  const browserZone = await page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone);
  assert.equal(suggestions[0], browserZone, 'the browser\'s zone comes first');
  assert.ok(suggestions.includes('Europe/Paris') && suggestions.length > 300, `the browser's zones are offered (${suggestions.length})`);
  await zone.fill('Europe/Paris');
  await linkedin.getByRole('button', { name: 'Save zone' }).click();
  await toasts(page).getByText('Time zone saved.', { exact: true }).waitFor();
  await until(() => accountsOf(userId)[0].timezone === 'Europe/Paris', { what: 'the zone saved' });
  const writesBeforeParis = writes.length;
  await list.getByRole('combobox', { name: 'Time zone of @robin-studio on LinkedIn' }).fill('paris');
  await linkedin.getByRole('button', { name: 'Save zone' }).click();
  await linkedin.getByText('“paris” is not a time zone from the list. Did you mean Europe/Paris?', { exact: true }).waitFor();
  // The next save (a valid one) is the next request: the refused one sent nothing.
  await list.getByRole('combobox', { name: 'Time zone of @robin-studio on LinkedIn' }).fill('Asia/Tokyo');
  await linkedin.getByRole('button', { name: 'Save zone' }).click();
  await until(() => accountsOf(userId)[0].timezone === 'Asia/Tokyo', { what: 'the zone saved' });
  assert.deepEqual(writes.slice(writesBeforeParis).map((w) => w.replace(/^(\w+) .*"timezone":"([^"]*)".*$/, '$1 $2')), ['PATCH Asia/Tokyo'],
    'the refused zone was never sent');

  // Remove asks first: Cancel keeps the account; an account a post uses stays, revoked, for its
  // posts; an unused one goes.
  const generation = await completedGeneration(page, 'A robin on a frosted branch');
  const [used] = sql(`select id from public.connected_accounts where user_id = '${userId}' and handle = 'robin-studio'`);
  await userRest(page, 'rpc/publish_generation', {
    method: 'POST', body: { p_generation_id: generation.id, p_account_ids: [used.id], p_caption: 'Frost.', p_hashtags: [] },
  });
  const confirm = page.getByRole('dialog', { name: 'Remove @robin_x on X?' });
  await list.getByRole('button', { name: 'Remove @robin_x on X' }).click();
  await confirm.getByText('If posts used it, it stays, revoked, for them', { exact: false }).waitFor();
  await confirm.getByRole('button', { name: 'Cancel' }).click();
  await confirm.waitFor({ state: 'hidden' });
  assert.deepEqual(accountsOf(userId).map((a) => a.handle), ['robin-studio', 'robin_x'], 'Cancel kept the account');
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('aria-label')), 'Remove @robin_x on X',
    'focus is back on Remove');

  await list.getByRole('button', { name: 'Remove @robin-studio on LinkedIn' }).click();
  await page.getByRole('dialog', { name: 'Remove @robin-studio on LinkedIn?' }).getByRole('button', { name: 'Remove account' }).click();
  await toasts(page).getByText('Disconnected @robin-studio on LinkedIn.', { exact: false }).waitFor();
  await list.getByRole('listitem').filter({ hasText: '@robin-studio' }).getByText('LinkedIn · Revoked', { exact: true }).waitFor();
  await list.getByRole('button', { name: 'Remove @robin_x on X' }).click();
  await confirm.getByRole('button', { name: 'Remove account' }).click();
  await list.getByRole('button', { name: 'Remove @robin_x on X' }).waitFor({ state: 'detached' });
  await toasts(page).getByText('Removed @robin_x on X.', { exact: true }).waitFor();
  assert.deepEqual(accountsOf(userId).map((a) => [a.handle, a.status]), [['robin-studio', 'revoked']]);
  assert.deepEqual(sql(`select status from public.posts where user_id = '${userId}'`), [{ status: 'published' }],
    'the published post keeps its account');
  await page.reload();
  await list.getByRole('listitem').first().waitFor();
  assert.deepEqual(await list.getByRole('listitem').evaluateAll((items) => items.length), 1, 'after a reload: the used account only');
  noErrors(creator);
  await creator.context.close();
});

test('The posts page cancels a scheduled post and filters by status', async () => {
  const creator = await newCreator(browser, 'posts');
  const { page, userId } = creator;
  const paris = await addMockAccount(page, 'instagram', 'wren.paris', 'Europe/Paris');
  const x = await addMockAccount(page, 'x', 'wren_x');
  const generation = await completedGeneration(page, 'A wren singing on a mossy stone wall', { seed: 2024 });
  const publish = (accounts, caption, at = null) => userRest(page, 'rpc/publish_generation', {
    method: 'POST',
    body: { p_generation_id: generation.id, p_account_ids: accounts, p_caption: caption, p_hashtags: ['#wren'], p_scheduled_at: at },
  });
  const year = yearAhead(12, 3, 13);
  await publish([x.id], 'Out now.');
  await publish([paris.id], 'Later in Paris.', `${year}-12-03T13:00:00Z`);
  await publish([x.id], 'To be cancelled.', `${yearAhead(6, 1, 9)}-06-01T09:00:00Z`);
  sqlWrite(`insert into public.posts (user_id, generation_id, account_id, caption, hashtags, status, error)
    values ('${userId}', '${generation.id}', '${x.id}', 'It did not go.', '{}', 'failed',
            'The x account @wren_x is expired: reconnect it on the Accounts page and schedule again')
    returning id`);

  await goTo(page, 'Posts');
  await page.waitForURL('**/app/posts');
  const list = postList(page);
  const item = (caption) => list.getByRole('listitem').filter({ hasText: caption });
  await item('Later in Paris.').waitFor();
  assert.equal(await list.getByRole('listitem').count(), 4);
  // The time reads on the creator's clock, the account's beside it (13:00 UTC is 14:00 in Paris
  // in December).
  const when = await postTime(page, `${year}-12-03T13:00:00Z`, 'Europe/Paris');
  await item('Later in Paris.').getByText(`Scheduled for ${when}`, { exact: true }).waitFor();
  await item('Later in Paris.').getByText('@wren.paris on Instagram').waitFor();
  await item('It did not go.').getByText('The x account @wren_x is expired', { exact: false }).waitFor();

  // Cancel one scheduled post (it asks first).
  await item('To be cancelled.').getByRole('button', { name: 'Cancel post' }).click();
  await page.getByRole('dialog', { name: 'Cancel this post?' }).getByRole('button', { name: 'Cancel post' }).click();
  await toasts(page).getByText('Post cancelled.', { exact: true }).waitFor();
  await item('To be cancelled.').getByText('Cancelled', { exact: true }).waitFor();
  assert.equal(await item('To be cancelled.').getByRole('button', { name: 'Cancel post' }).count(), 0);
  assert.deepEqual(sql(`select status from public.posts where user_id = '${userId}' and caption = 'To be cancelled.'`),
    [{ status: 'cancelled' }]);

  // Filter by status.
  const status = page.getByRole('group', { name: 'Status' });
  const expect = { Scheduled: ['Later in Paris.'], Published: ['Out now.'], Failed: ['It did not go.'], Cancelled: ['To be cancelled.'] };
  for (const [choice, captions] of Object.entries(expect)) {
    await status.getByRole('radio', { name: choice, exact: true }).check();
    await until(async () => {
      const texts = await list.getByRole('listitem').allInnerTexts();
      return texts.length === captions.length && captions.every((c, i) => texts[i].includes(c));
    }, { what: `the ${choice} posts only` });
  }
  await status.getByRole('radio', { name: 'Publishing', exact: true }).check();
  await page.getByText('No posts here yet', { exact: false }).waitFor();
  await status.getByRole('radio', { name: 'All', exact: true }).check();
  await until(async () => (await list.getByRole('listitem').count()) === 4, { what: 'all four posts' });
  noErrors(creator);
  await creator.context.close();
});

test('Scheduled posts really go out', async () => {
  const creator = await newCreator(browser, 'posts-due');
  const { page, userId } = creator;
  const mock = await addMockAccount(page, 'threads', 'kite.threads');
  const expired = await addAccountAs(userId, 'facebook', 'kite.page', 'expired');
  const generation = await completedGeneration(page, 'A red kite soaring over chalk hills');
  await goTo(page, 'Posts');
  await page.getByText('No posts here yet', { exact: false }).waitFor();
  await page.evaluate(() => { window.__samePage = true; });

  // Two posts scheduled through the service side (not yet due), shown live as Scheduled.
  const insert = (account, caption) => sqlWrite(`insert into public.posts
    (user_id, generation_id, account_id, caption, hashtags, status, scheduled_at)
    values ('${userId}', '${generation.id}', '${account}', '${caption}', '{#kite}', 'scheduled', now() + interval '1 hour')
    returning id`)[0].id;
  const due = insert(mock.id, 'Due now.');
  const blocked = insert(expired.id, 'Cannot go.');
  const list = postList(page);
  const item = (caption) => list.getByRole('listitem').filter({ hasText: caption });
  await item('Due now.').getByText('Scheduled', { exact: true }).waitFor();
  await item('Cannot go.').getByText('Scheduled', { exact: true }).waitFor();

  // Their time comes; the sweep (pg_cron's function, called here rather than waiting for the
  // minute) publishes the mock account's and fails the expired one's with a reason. pg_cron
  // may claim them first, so the sweep returns both, one or none of them: every update of the
  // posts is logged, and each post must leave `scheduled` exactly once, by whichever claim.
  const log = logPostUpdates(userId);
  let claims;
  let swept;
  let settled;
  let again;
  try {
    sqlWrite(`update public.posts set scheduled_at = now() - interval '1 minute' where id in ('${due}', '${blocked}') returning id`);
    swept = sql(`select id, status, published_at from public.publish_due_posts() where user_id = '${userId}'`);
    settled = sql(`select id, status, published_at, error from public.posts where user_id = '${userId}' order by caption`);
    // The next run, as pg_cron's next minute would make it; the log read after it holds every
    // update up to that run.
    again = sql(`select id from public.publish_due_posts() where user_id = '${userId}'`);
    claims = log.rows().filter((u) => u.old_status !== 'scheduled' || u.new_status !== 'scheduled');
  } finally {
    log.drop();
  }
  assert.deepEqual(settled.map((p) => [p.id, p.status]), [[blocked, 'failed'], [due, 'published']]);
  assert.ok(settled[1].published_at, 'published_at set');
  assert.equal(settled[0].error, 'The facebook account @kite.page is expired: reconnect it on the Accounts page and schedule again');
  // Each post was claimed once (scheduled → its outcome) and never updated after its claim.
  assert.deepEqual(claims.map((u) => [u.post_id, u.old_status, u.new_status]).sort(),
    [[blocked, 'scheduled', 'failed'], [due, 'scheduled', 'published']].sort(),
    `one claim per post, by the sweep or pg_cron: ${JSON.stringify(claims)}`);
  // published_at was set once, by that claim: the value the posts hold now.
  const claimOf = (id) => claims.find((u) => u.post_id === id);
  assert.equal(claimOf(due).old_published_at, null);
  assert.equal(Date.parse(claimOf(due).new_published_at), Date.parse(settled[1].published_at));
  assert.equal(claimOf(blocked).new_published_at, null, 'a failed post is never published');
  assert.deepEqual(again, [], 'the next run claims nothing');
  // The sweep returned only the posts it claimed itself, as it left them.
  assert.ok(swept.length <= 2, 'at most both posts (pg_cron may have taken them first)');
  for (const row of swept) {
    const now = settled.find((p) => p.id === row.id);
    assert.deepEqual([row.status, row.published_at && Date.parse(row.published_at)],
      [now.status, now.published_at && Date.parse(now.published_at)], `the sweep's ${row.id} is the settled post`);
  }

  // The page follows without a reload (Realtime).
  await item('Due now.').getByText('Published', { exact: true }).waitFor();
  await item('Cannot go.').getByText('Failed', { exact: true }).waitFor();
  await item('Cannot go.').getByText(settled[0].error, { exact: true }).waitFor();
  assert.equal(await page.evaluate(() => window.__samePage), true, 'no reload happened');
  noErrors(creator);
  await creator.context.close();
});
