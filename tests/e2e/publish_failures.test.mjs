// Publishing journeys: text that does not fit is stopped in the step, with the reason, before
// anything is sent; a publish the database refuses (an account disconnected meanwhile, in
// another tab) leaves the panel open with the reason, writes nothing and leaves no optimistic
// post behind; a double click never posts twice; a time in the past (or under a minute ahead)
// is refused before anything is sent.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch } from './support/chromium.mjs';
import { noErrors } from './support/page_errors.mjs';
import { until } from './support/wait.mjs';
import { goTo, toasts } from './support/tabs.mjs';
import { newCreator } from './support/auth_page.mjs';
import { accountsGroup, openPostFor, toDistribution } from './support/post_dialog.mjs';
import { postList } from './support/posts_page.mjs';
import { addMockAccount, completedGeneration, sql, sqlWrite } from './support/data.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const postCount = (userId) => sql(`select id from public.posts where user_id = '${userId}'`).length;

/** Records the publish_generation calls the page makes. */
function watchPublishCalls(page) {
  const calls = [];
  page.on('request', (r) => { if (r.url().includes('/rest/v1/rpc/publish_generation')) calls.push(r.postDataJSON()); });
  return calls;
}

test('Publish is optimistic but reversible, with explicit failure states', async () => {
  const creator = await newCreator(browser, 'publish-fail');
  const { page, userId } = creator;
  await addMockAccount(page, 'x', 'owl_x');
  await addMockAccount(page, 'tiktok', 'owl_tt');
  const generation = await completedGeneration(page, 'A snowy owl on a fence post at dusk');
  const calls = watchPublishCalls(page);

  // 300 characters to X (280 max): the step says so and sends nothing.
  const dialog = await openPostFor(page, generation);
  const caption = dialog.getByRole('textbox', { name: 'Caption' });
  await caption.fill('o'.repeat(300));
  await toDistribution(dialog);
  await accountsGroup(dialog).getByRole('checkbox', { name: '@owl_x on X' }).check();
  await accountsGroup(dialog).getByRole('checkbox', { name: '@owl_tt on TikTok' }).check();
  const publishNow = dialog.getByRole('button', { name: 'Publish now' });
  await until(() => publishNow.isDisabled(), { what: 'Publish now blocked by the text' });
  const why = await publishNow.evaluate((b) => document.getElementById(b.getAttribute('aria-describedby')).textContent);
  assert.match(why, /@owl_x on X/, `the reason names the account: ${why}`);
  assert.equal(calls.length, 0, 'nothing was sent');

  // Shortened; meanwhile the X account is disconnected elsewhere (another tab): the database
  // refuses the whole request, the panel says why, and nothing is written.
  await dialog.getByRole('button', { name: 'Back' }).click();
  await dialog.getByRole('button', { name: 'Back' }).click();
  await caption.fill('Dusk patrol.');
  await toDistribution(dialog);
  sqlWrite(`update public.connected_accounts set status = 'revoked' where user_id = '${userId}' and handle = 'owl_x' returning id`);
  await publishNow.click();
  const reason = 'The x account @owl_x is revoked. Reconnect it on the Accounts page, or leave it out.';
  await dialog.getByRole('alert').getByText(reason).waitFor();
  assert.ok(await dialog.isVisible(), 'the panel stays open');
  // Said once, in the dialog: not also as a toast.
  assert.deepEqual(await toasts(page).getByText('Nothing was posted', { exact: false }).allInnerTexts(), [],
    'an error shown in the dialog is not toasted too');
  await dialog.getByRole('heading', { name: 'Distribution', exact: true }).waitFor();
  assert.equal(calls.length, 1, 'the database was asked once');
  assert.equal(postCount(userId), 0, 'nothing was written: not even the TikTok post');

  // Reconnected and sent again (same draft, same request key): posted once, to both.
  sqlWrite(`update public.connected_accounts set status = 'mock' where user_id = '${userId}' and handle = 'owl_x' returning id`);
  await publishNow.dblclick();
  await toasts(page).getByText('Published to 2 accounts', { exact: true }).waitFor();
  await dialog.waitFor({ state: 'hidden' });
  assert.ok(calls.length >= 2 && calls.length <= 3, `publish_generation calls: ${calls.length}`);
  assert.equal(new Set(calls.map((c) => c.p_request_key)).size, 1, 'every try of one unchanged draft uses one request key');
  assert.equal(postCount(userId), 2, 'a double click posts once');

  // The posts page holds the two real posts and nothing optimistic (no "Sending…", no third row).
  await goTo(page, 'Posts');
  const list = postList(page);
  await list.getByRole('listitem').first().waitFor();
  assert.equal(await list.getByRole('listitem').count(), 2);
  assert.equal(await list.getByText('Sending…').count(), 0);
  noErrors(creator);
  await creator.context.close();
});

// A busy main thread delivers queued clicks back to back, before the button re-renders as
// disabled: the post still goes once, and no toast may then claim that nothing was posted.
test('Clicks queued back to back on Publish now post once, and no toast says nothing was posted', async () => {
  const creator = await newCreator(browser, 'publish-queued');
  const { page, userId } = creator;
  await addMockAccount(page, 'x', 'wolf_x');
  const generation = await completedGeneration(page, 'A wolf howling under a full moon');
  const calls = watchPublishCalls(page);
  const dialog = await openPostFor(page, generation);
  await toDistribution(dialog);
  await accountsGroup(dialog).getByRole('checkbox', { name: '@wolf_x on X' }).check();
  await dialog.getByRole('button', { name: 'Publish now' }).evaluate((button) => { button.click(); button.click(); button.click(); });
  await toasts(page).getByText('Published to 1 account', { exact: true }).waitFor();
  await dialog.waitFor({ state: 'hidden' });
  assert.equal(calls.length, 1, 'one request');
  assert.equal(postCount(userId), 1, 'one post');
  const said = await toasts(page).getByRole('paragraph').allInnerTexts();
  assert.deepEqual(said.filter((t) => t.startsWith('Nothing was posted')), [],
    `no toast contradicts the database (toasts: ${JSON.stringify(said)})`);
  noErrors(creator);
  await creator.context.close();
});

test('A refused publish leaves no optimistic post on the posts page', async () => {
  const creator = await newCreator(browser, 'publish-rollback');
  const { page, userId } = creator;
  await addMockAccount(page, 'x', 'lynx_x');
  const generation = await completedGeneration(page, 'A lynx in a birch forest, first snow');
  const dialog = await openPostFor(page, generation);
  await dialog.getByRole('textbox', { name: 'Caption' }).fill('Birch and snow.');
  await toDistribution(dialog);
  await accountsGroup(dialog).getByRole('checkbox', { name: '@lynx_x on X' }).check();
  sqlWrite(`update public.connected_accounts set status = 'revoked' where user_id = '${userId}' and handle = 'lynx_x' returning id`);
  await dialog.getByRole('button', { name: 'Publish now' }).click();
  await dialog.getByRole('alert').getByText('The x account @lynx_x is revoked', { exact: false }).waitFor();
  await dialog.getByRole('button', { name: 'Close' }).click();
  await goTo(page, 'Posts');
  await page.getByText('No posts here yet', { exact: false }).waitFor();
  assert.equal(await postList(page).count(), 0);
  assert.equal(postCount(userId), 0);
  noErrors(creator);
  await creator.context.close();
});

/** Holds the page's publish_generation requests until `release()` (the answer itself is untouched). */
async function holdPublishing(page) {
  let release;
  const gate = new Promise((resolve) => { release = resolve; });
  await page.route('**/rest/v1/rpc/publish_generation', async (route) => { await gate; await route.continue(); });
  return release;
}

test('While the database answers, the posts page shows the post at once, then the database\'s row or nothing', async () => {
  const creator = await newCreator(browser, 'publish-optimistic');
  const { page, userId } = creator;
  await addMockAccount(page, 'x', 'stoat_x');
  const generation = await completedGeneration(page, 'A stoat peeking out of a snowdrift');
  const list = postList(page);

  const setStatus = (status) => sqlWrite(`update public.connected_accounts set status = '${status}'
    where user_id = '${userId}' and handle = 'stoat_x' returning id`);
  for (const { caption, outcome } of [{ caption: 'Where did it go?', outcome: 'refused' }, { caption: 'Peekaboo.', outcome: 'published' }]) {
    const release = await holdPublishing(page);
    const dialog = await openPostFor(page, generation);
    await dialog.getByRole('textbox', { name: 'Caption' }).fill(caption);
    await toDistribution(dialog);
    await accountsGroup(dialog).getByRole('checkbox', { name: '@stoat_x on X' }).check();
    // Refused: the account is disconnected elsewhere after the panel offered it.
    if (outcome === 'refused') setStatus('revoked');
    await dialog.getByRole('button', { name: 'Publish now' }).click();
    await until(() => dialog.getByRole('button', { name: 'Publish now' }).isDisabled(), { what: 'Publish now busy' });
    // Leave the panel while the request is held, and look at the posts.
    await page.keyboard.press('Escape');
    await goTo(page, 'Posts');
    const pending = list.getByRole('listitem').filter({ hasText: caption });
    await pending.getByText('Sending…', { exact: true }).waitFor();
    release();
    if (outcome === 'refused') {
      await toasts(page).getByText('Nothing was posted: The x account @stoat_x is revoked', { exact: false }).waitFor();
      await pending.waitFor({ state: 'detached' });
      await page.getByText('No posts here yet', { exact: false }).waitFor();
      assert.equal(postCount(userId), 0);
      // Reconnected: the next panel (after a reload, as the app learns of it) offers it again.
      setStatus('mock');
      await page.reload();
    } else {
      await toasts(page).getByText('Published to 1 account', { exact: true }).waitFor();
      await pending.getByText('Published', { exact: true }).waitFor();
      assert.equal(await list.getByText('Sending…').count(), 0);
      assert.equal(await list.getByRole('listitem').count(), 1);
      assert.deepEqual(sql(`select status, caption from public.posts where user_id = '${userId}'`), [{ status: 'published', caption }]);
    }
    await page.unrouteAll({ behavior: 'wait' });
  }
  noErrors(creator);
  await creator.context.close();
});

/** The wall clock of `zone` at `ms`, as a datetime-local value ("2026-12-01T23:05"). */
function localValue(ms, zone) {
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-GB', {
    timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
  }).formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}`;
}

test('A schedule time in the past, less than a minute or more than a year ahead, is refused before anything is sent', async () => {
  const creator = await newCreator(browser, 'publish-past');
  const { page, userId } = creator;
  await addMockAccount(page, 'linkedin', 'heron-in', 'America/New_York');
  const generation = await completedGeneration(page, 'A grey heron fishing at sunrise');
  const calls = watchPublishCalls(page);
  const dialog = await openPostFor(page, generation);
  await toDistribution(dialog);
  await accountsGroup(dialog).getByRole('checkbox', { name: '@heron-in on LinkedIn' }).check();
  await dialog.getByText('Times in America/New_York').waitFor();
  const when = dialog.getByLabel('Schedule for');
  const schedule = dialog.getByRole('button', { name: 'Schedule' });

  // Yesterday, in the account's zone.
  await when.fill(localValue(Date.now() - 24 * 3600_000, 'America/New_York'));
  await schedule.click();
  await dialog.getByRole('alert').getByText(/has already passed: pick a later time, or publish now$/).waitFor();

  // A mistyped year: more than 365 days ahead would be a post that waits that long (or forever).
  await when.fill(localValue(Date.now() + 400 * 24 * 3600_000, 'America/New_York'));
  await schedule.click();
  await dialog.getByRole('alert').getByText(/^Schedule within a year: .* is more than 365 days ahead\. Pick an earlier time$/).waitFor();

  // The next minute on the account's clock: less than a minute ahead. (Keep 10 s of margin so
  // the minute cannot turn while the journey types.)
  while (new Date().getSeconds() >= 50) await new Promise((r) => setTimeout(r, 250));
  await when.fill(localValue(Date.now() + 60_000, 'America/New_York'));
  await schedule.click();
  await dialog.getByRole('alert').getByText(/^Schedule at least one minute ahead: .* is too soon\. Pick a later time, or publish now$/).waitFor();

  // A time the clocks skip (spring forward) does not exist in the zone.
  // (New York: the second Sunday of March, 02:00 → 03:00.)
  const secondSunday = (y) => 1 + ((7 - new Date(Date.UTC(y, 2, 1)).getUTCDay()) % 7) + 7;
  let year = new Date().getUTCFullYear();
  // The next one to come (02:30 there is 07:30 UTC), within the year a post may be scheduled.
  while (Date.UTC(year, 2, secondSunday(year), 7, 30) <= Date.now() + 3_600_000) year += 1;
  const springForward = secondSunday(year);
  await when.fill(`${year}-03-${String(springForward).padStart(2, '0')}T02:30`);
  await schedule.click();
  await dialog.getByRole('alert').getByText(`Sun ${springForward} Mar, 02:30 does not exist in America/New_York: the clocks go forward from 02:00 to 03:00 that day. Pick 03:00 or later, or a time before 02:00.`, { exact: true }).waitFor();

  // Nothing picked at all.
  await when.fill('');
  await schedule.click();
  await dialog.getByRole('alert').getByText('Pick a date and time to schedule for.').waitFor();

  assert.ok(await dialog.isVisible(), 'the panel stays open');
  assert.equal(calls.length, 0, 'nothing was sent');
  assert.equal(sql(`select id from public.posts where user_id = '${userId}'`).length, 0, 'nothing was written');
  noErrors(creator);
  await creator.context.close();
});

test('A server fault is said in Atelier\'s words, once, in the dialog: never the server\'s own text', async () => {
  const creator = await newCreator(browser, 'publish-fault');
  const { page, userId } = creator;
  await addMockAccount(page, 'x', 'crane_x');
  const generation = await completedGeneration(page, 'A crane dancing in the snow');
  await page.route('**/rest/v1/rpc/publish_generation', (route) => route.fulfill({
    status: 500, contentType: 'application/json',
    body: JSON.stringify({ code: 'XX000', message: 'internal: tuple concurrently updated in private.insert_posts', details: null, hint: null }),
  }));
  const dialog = await openPostFor(page, generation);
  await toDistribution(dialog);
  await accountsGroup(dialog).getByRole('checkbox', { name: '@crane_x on X' }).check();
  await dialog.getByRole('button', { name: 'Publish now' }).click();
  const alert = dialog.getByRole('alert');
  await alert.getByText('Nothing was posted', { exact: false }).waitFor();
  const said = await alert.innerText();
  assert.doesNotMatch(said, /tuple|insert_posts|internal|XX000/, `no server text: ${said}`);
  assert.deepEqual(await toasts(page).getByText('Nothing was posted', { exact: false }).allInnerTexts(), [], 'not toasted too');
  assert.equal(postCount(userId), 0);
  noErrors(creator);
  await creator.context.close();
});

// The connection drops after the request went out: the posts were written, the answer never
// came. Edited and sent again, the draft would take a new request key, so the app first reads
// the posts of the lost one and shows them instead of posting a second time.
test('After a lost answer, an edited draft shows what went out instead of posting twice', async () => {
  const creator = await newCreator(browser, 'publish-lost');
  const { page, userId } = creator;
  await addMockAccount(page, 'x', 'heron_lost');
  const generation = await completedGeneration(page, 'A heron at the edge of a frozen pond');
  const calls = watchPublishCalls(page);
  let dropped = 0;
  await page.route('**/rest/v1/rpc/publish_generation', async (route) => {
    if (dropped > 0) return route.continue();
    dropped += 1;
    await route.fetch(); // reaches the database, which writes the posts
    await route.abort('connectionreset');
  });
  const dialog = await openPostFor(page, generation);
  const caption = dialog.getByRole('textbox', { name: 'Caption' });
  await caption.fill('Frozen.');
  await toDistribution(dialog);
  await accountsGroup(dialog).getByRole('checkbox', { name: '@heron_lost on X' }).check();
  await dialog.getByRole('button', { name: 'Publish now' }).click();
  await dialog.getByRole('alert').getByText('Could not reach the server', { exact: false }).waitFor();
  assert.equal(postCount(userId), 1, 'the first send was written');
  // Edited, then sent again: nothing new goes out; what exists is shown.
  await dialog.getByRole('button', { name: 'Back' }).click();
  await dialog.getByRole('button', { name: 'Back' }).click();
  await caption.fill('Frozen solid.');
  await toDistribution(dialog);
  await dialog.getByRole('button', { name: 'Publish now' }).click();
  await toasts(page).getByText('Already sent earlier: Published to 1 account', { exact: true }).waitFor();
  await dialog.waitFor({ state: 'hidden' });
  assert.equal(calls.length, 1, 'no second publish_generation');
  assert.equal(postCount(userId), 1, 'posted once');
  noErrors(creator);
  await creator.context.close();
});
