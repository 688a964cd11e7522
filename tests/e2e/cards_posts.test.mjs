// Cards and posts: a card says where its output was posted, one badge per status (its own
// colour and icon, with the word); the posts of a page of cards come in one request; Delete is
// disabled with the reason while a post is on its way, refused with what to do while a post is
// published, and takes cancelled and failed posts along. On the Posts page, Cancel post and
// Remove ask first, and Remove says the post stays on the network.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch } from './support/chromium.mjs';
import { noErrors } from './support/page_errors.mjs';
import { until } from './support/wait.mjs';
import { toasts } from './support/tabs.mjs';
import { screenshot } from './support/screenshots.mjs';
import { newCreator } from './support/auth_page.mjs';
import { results } from './support/generate_page.mjs';
import { postList } from './support/posts_page.mjs';
import { addMockAccount, completedGeneration, sql, sqlWrite } from './support/data.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** Writes a post as the server side would (the worker or publish_generation). */
function postAs(userId, generationId, accountId, caption, status) {
  const times = {
    scheduled: `now() + interval '1 day', null, null`,
    publishing: `now(), null, null`,
    published: `null, now(), null`,
    failed: `null, null, 'The network refused it'`,
    cancelled: `null, null, null`,
  }[status];
  // A publishing post is held by a (pretend) worker, so no real one takes it meanwhile.
  const lease = status === 'publishing' ? `gen_random_uuid(), now() + interval '1 hour'` : 'null, null';
  return sqlWrite(`insert into public.posts
    (user_id, generation_id, account_id, caption, hashtags, status, scheduled_at, published_at, error, lease_owner, lease_until)
    values ('${userId}', '${generationId}', '${accountId}', '${caption}', '{}', '${status}', ${times}, ${lease})
    returning id`)[0].id;
}

async function describedBy(locator) {
  return locator.evaluate((el) => (el.getAttribute('aria-describedby') ?? '').split(' ')
    .map((id) => document.getElementById(id)?.textContent ?? '').join(' ').trim());
}

async function setUp(who) {
  const creator = await newCreator(browser, who);
  const { page, userId } = creator;
  const ig = await addMockAccount(page, 'instagram', `${who}.ig`);
  const x = await addMockAccount(page, 'x', `${who}_x`);
  const posted = await completedGeneration(page, `A heron on one leg ${Date.now()}`);
  const unsent = await completedGeneration(page, `A kestrel hovering ${Date.now()}`, { sessionId: posted.session_id });
  const ids = {
    scheduled: postAs(userId, posted.id, ig.id, 'Heron soon.', 'scheduled'),
    published: postAs(userId, posted.id, x.id, 'Heron out.', 'published'),
    cancelled: postAs(userId, unsent.id, ig.id, 'Kestrel called off.', 'cancelled'),
    failed: postAs(userId, unsent.id, x.id, 'Kestrel refused.', 'failed'),
  };
  return { creator, page, userId, ig, x, posted, unsent, ids };
}

test('a card shows where its output was posted; Delete waits for posts on their way and takes cancelled and failed ones along', async () => {
  const { creator, page, posted, unsent, ids, ig, x } = await setUp('cardposts');
  const postReads = [];
  page.on('request', (r) => {
    if (r.method() === 'GET' && new URL(r.url()).pathname.endsWith('/rest/v1/posts')) postReads.push(r.url());
  });
  await page.goto(`/app/generate/${posted.session_id}`);
  const card = (g) => results(page).getByRole('listitem').filter({ hasText: g.prompt }).first();
  const postedTo = (g) => card(g).getByRole('list', { name: 'Posted to' });
  const heron = postedTo(posted);
  await heron.getByRole('listitem').filter({ hasText: `Instagram @${ig.handle}` }).getByText('Scheduled').waitFor();
  await heron.getByRole('listitem').filter({ hasText: `X @${x.handle}` }).getByText('Published').waitFor();
  await postedTo(unsent).getByText('Cancelled').waitFor();
  await postedTo(unsent).getByText('Failed').waitFor();

  // The posts come with the page of cards: each read (one per listing of the session: on open
  // and on the realtime join) names every output of the page, never one card's.
  assert.ok(postReads.length >= 1);
  for (const url of postReads.map(decodeURIComponent)) {
    assert.match(url, /generation_id=in\.\(/);
    assert.ok(url.includes(posted.id) && url.includes(unsent.id), url);
  }

  // Each status has its own colour and icon, and its word.
  const badges = await results(page).locator('[data-status]').filter({ hasText: /^(Scheduled|Published|Cancelled|Failed)$/ })
    .evaluateAll((els) => els.map((el) => ({
      word: el.textContent, icon: getComputedStyle(el, '::before').content,
      colour: getComputedStyle(el).color, background: getComputedStyle(el).backgroundColor,
    })));
  const byWord = Object.fromEntries(badges.map((b) => [b.word, b]));
  assert.deepEqual(Object.keys(byWord).sort(), ['Cancelled', 'Failed', 'Published', 'Scheduled']);
  assert.ok(Object.values(byWord).every((b) => b.icon && b.icon !== 'none'), 'every badge has an icon');
  for (const key of ['icon', 'colour', 'background']) {
    assert.equal(new Set(Object.values(byWord).map((b) => b[key])).size, 4, `each status has its own ${key}: ${JSON.stringify(byWord)}`);
  }

  // A scheduled post holds its output: Delete is disabled, and says why.
  const heronDelete = card(posted).getByRole('button', { name: 'Delete' });
  assert.equal(await heronDelete.isDisabled(), true, 'Delete is disabled while a post is scheduled');
  assert.match(await describedBy(heronDelete), /scheduled or publishing: cancel it on the Posts page/);

  // The scheduler's side cancels it: the card follows live, and Delete is enabled again…
  sqlWrite(`update public.posts set status = 'cancelled' where id = '${ids.scheduled}' returning id`);
  await heron.getByRole('listitem').filter({ hasText: `Instagram @${ig.handle}` }).getByText('Cancelled').waitFor();
  await until(async () => !(await heronDelete.isDisabled()), { what: 'Delete to be enabled' });
  assert.equal(await heronDelete.getAttribute('aria-describedby'), null);
  // …but the published post still keeps the output, and the refusal says what to do.
  await heronDelete.click();
  const confirm = page.getByRole('dialog', { name: 'Delete this output?' });
  await confirm.getByRole('button', { name: 'Delete output' }).click();
  const refusal = confirm.getByRole('alert');
  await refusal.waitFor();
  assert.match(await refusal.innerText(), /was published: remove its post on the Posts page first \(the post stays on the network\)/);
  await confirm.getByRole('button', { name: 'Cancel' }).click();
  await confirm.waitFor({ state: 'hidden' });
  assert.equal(sql(`select id from public.generations where id = '${posted.id}'`).length, 1);

  // An output whose posts were all cancelled or failed is deleted, its posts with it.
  await card(unsent).getByRole('button', { name: 'Delete' }).click();
  await confirm.getByRole('button', { name: 'Delete output' }).click();
  await card(unsent).waitFor({ state: 'detached' });
  assert.deepEqual(sql(`select id from public.generations where id = '${unsent.id}'`), []);
  assert.deepEqual(sql(`select id from public.posts where id in ('${ids.cancelled}', '${ids.failed}')`), []);
  noErrors(creator);
  await creator.context.close();
});

test('Posts page: Cancel post and Remove ask first; Remove says the post stays on the network; then the output can go', async () => {
  const { creator, page, posted, ids, userId, x } = await setUp('removeposts');
  const publishing = postAs(userId, posted.id, x.id, 'Heron going.', 'publishing');
  await page.goto('/app/posts');
  const list = postList(page);
  const item = (caption) => list.getByRole('listitem').filter({ hasText: caption });
  await item('Heron out.').getByText('Published', { exact: true }).waitFor();
  assert.equal(await item('Heron soon.').getByRole('button', { name: 'Remove' }).count(), 0, 'a scheduled post has no Remove');
  assert.equal(await item('Heron going.').getByRole('button', { name: 'Remove' }).count(), 0, 'a publishing post has no Remove');

  // Cancel post asks first; "Keep it" keeps it scheduled.
  await item('Heron soon.').getByRole('button', { name: 'Cancel post' }).click();
  const cancelDialog = page.getByRole('dialog', { name: 'Cancel this post?' });
  await cancelDialog.getByRole('button', { name: 'Keep it' }).click();
  await cancelDialog.waitFor({ state: 'hidden' });
  assert.deepEqual(sql(`select status from public.posts where id = '${ids.scheduled}'`), [{ status: 'scheduled' }]);
  await item('Heron soon.').getByRole('button', { name: 'Cancel post' }).click();
  await cancelDialog.getByRole('button', { name: 'Cancel post' }).click();
  await toasts(page).getByText('Post cancelled.', { exact: true }).waitFor();
  await item('Heron soon.').getByText('Cancelled', { exact: true }).waitFor();
  assert.deepEqual(sql(`select status from public.posts where id = '${ids.scheduled}'`), [{ status: 'cancelled' }]);

  // Remove a published post: the dialog and the toast say it stays on X.
  await item('Heron out.').getByRole('button', { name: 'Remove' }).click();
  const removeDialog = page.getByRole('dialog', { name: 'Remove this post?' });
  assert.match(await removeDialog.innerText(), /removed from Atelier only: it stays on X/);
  await screenshot(page, 'posts-remove-confirm');
  await removeDialog.getByRole('button', { name: 'Remove post' }).click();
  await toasts(page).getByText('Removed from Atelier; it stays on X.', { exact: true }).waitFor();
  await item('Heron out.').waitFor({ state: 'detached' });
  assert.deepEqual(sql(`select id from public.posts where id = '${ids.published}'`), []);

  // A cancelled one goes too (it never went out).
  await item('Heron soon.').getByRole('button', { name: 'Remove' }).click();
  assert.match(await removeDialog.innerText(), /never went out/);
  await removeDialog.getByRole('button', { name: 'Remove post' }).click();
  await toasts(page).getByText('Post removed.', { exact: true }).waitFor();
  await item('Heron soon.').waitFor({ state: 'detached' });

  // With only a publishing post left, the card's Delete waits for it; once it failed, the output goes.
  await page.goto(`/app/generate/${posted.session_id}`);
  const card = results(page).getByRole('listitem').filter({ hasText: posted.prompt });
  await card.getByRole('list', { name: 'Posted to' }).getByText('Publishing').waitFor();
  assert.equal(await card.getByRole('button', { name: 'Delete' }).isDisabled(), true);
  sqlWrite(`update public.posts set status = 'failed', error = 'The network refused it', lease_owner = null, lease_until = null where id = '${publishing}' returning id`);
  await card.getByRole('list', { name: 'Posted to' }).getByText('Failed').waitFor();
  await card.getByRole('button', { name: 'Delete' }).click();
  await page.getByRole('dialog', { name: 'Delete this output?' }).getByRole('button', { name: 'Delete output' }).click();
  await card.waitFor({ state: 'detached' });
  assert.deepEqual(sql(`select id from public.posts where generation_id = '${posted.id}'`), []);
  noErrors(creator);
  await creator.context.close();
});
