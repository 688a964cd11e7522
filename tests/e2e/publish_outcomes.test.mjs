// Publishing journeys: what "Publish now" and "Schedule" tell the creator and what
// the database then holds; failures that leave the panel open with the reason and write
// nothing; a second click that never posts twice; a past time refused before anything is sent.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch } from './support/chromium.mjs';
import { noErrors } from './support/page_errors.mjs';
import { until } from './support/wait.mjs';
import { goTo, toasts } from './support/tabs.mjs';
import { newCreator, newCreatorIn } from './support/auth_page.mjs';
import { accountsGroup, openPostFor, toDistribution } from './support/post_dialog.mjs';
import { postList, postTime } from './support/posts_page.mjs';
import { addAccountAs, addMockAccount, completedGeneration, sql, yearAhead } from './support/data.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** How the app names a wall-clock date: "Fri 3 Dec, 14:00". */
function label(year, month, day, clock) {
  return `${DAYS[new Date(Date.UTC(year, month - 1, day)).getUTCDay()]} ${day} ${MONTHS[month - 1]}, ${clock}`;
}

function postsOf(userId) {
  return sql(`select p.status, p.hashtags, p.caption, p.scheduled_at, p.published_at, c.handle, c.platform
    from public.posts p join public.connected_accounts c on c.id = p.account_id
    where p.user_id = '${userId}' order by p.created_at, c.handle`);
}

test('Publish Now and Schedule return correct status messages and database states', async () => {
  const creator = await newCreator(browser, 'publish-now');
  const { page, userId } = creator;
  await addMockAccount(page, 'x', 'fox_x');
  await addMockAccount(page, 'linkedin', 'fox-in');
  await addMockAccount(page, 'instagram', 'fox.berlin', 'Europe/Berlin');
  const prompt = 'A red fox asleep in fresh snow, soft morning light';
  const generation = await completedGeneration(page, prompt, { seed: 4711 });

  // Now, to two mock accounts.
  let dialog = await openPostFor(page, generation);
  await dialog.getByRole('textbox', { name: 'Caption' }).fill('Quiet morning in the woods.');
  await dialog.getByRole('button', { name: 'Next' }).click();
  const tagInput = dialog.getByRole('textbox', { name: 'Add hashtag' });
  await tagInput.fill('winter');
  await tagInput.press('Enter');
  await tagInput.fill('RedFox');
  await tagInput.press('Enter');
  await dialog.getByRole('button', { name: 'Next' }).click();
  const accounts = accountsGroup(dialog);
  await accounts.getByRole('checkbox', { name: '@fox_x on X' }).check();
  await accounts.getByRole('checkbox', { name: '@fox-in on LinkedIn' }).check();
  await dialog.getByRole('button', { name: 'Publish now' }).click();
  await toasts(page).getByText('Published to 2 accounts', { exact: true }).waitFor();
  await dialog.waitFor({ state: 'hidden' });
  let posts = postsOf(userId);
  assert.equal(posts.length, 2);
  for (const post of posts) {
    assert.equal(post.status, 'published');
    assert.ok(post.published_at, 'published_at set');
    assert.equal(post.scheduled_at, null);
    assert.deepEqual(post.hashtags, ['#winter', '#RedFox'], 'hashtags stored with #');
    assert.equal(post.caption, 'Quiet morning in the woods.');
  }
  assert.deepEqual(posts.map((p) => p.platform).sort(), ['linkedin', 'x']);

  // Scheduled in the account's zone (Europe/Berlin): winter (UTC+1) and summer (UTC+2).
  const winter = yearAhead(12, 3, 13);
  const summer = yearAhead(7, 15, 12);
  for (const { year, month, day, utc } of [{ year: winter, month: 12, day: 3, utc: '13:00' }, { year: summer, month: 7, day: 15, utc: '12:00' }]) {
    dialog = await openPostFor(page, generation);
    await toDistribution(dialog);
    await accountsGroup(dialog).getByRole('checkbox', { name: '@fox.berlin on Instagram' }).check();
    await dialog.getByText('Times in Europe/Berlin').waitFor();
    const date = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
    await dialog.getByLabel('Schedule for').fill(`${date}T14:00`);
    await dialog.getByRole('button', { name: 'Schedule' }).click();
    const expected = `Scheduled for ${label(year, month, day, '14:00')} (Europe/Berlin) on 1 account`;
    await toasts(page).getByText(expected, { exact: true }).waitFor();
    await dialog.waitFor({ state: 'hidden' });
    const [row] = sql(`select p.status, to_char(p.scheduled_at at time zone 'UTC', 'YYYY-MM-DD HH24:MI') as utc
      from public.posts p join public.connected_accounts c on c.id = p.account_id
      where p.user_id = '${userId}' and c.handle = 'fox.berlin' and p.scheduled_at::date = '${date}'`);
    assert.deepEqual(row, { status: 'scheduled', utc: `${date} ${utc}` }, `14:00 in Berlin on ${date} is ${utc} UTC`);
  }

  // A connected (active) account on a platform Atelier cannot send to yet is offered disabled,
  // with the reason; the mock one still posts.
  await addAccountAs(userId, 'threads', 'fox.live', 'active');
  await page.reload();
  dialog = await openPostFor(page, generation);
  await toDistribution(dialog);
  const threads = accountsGroup(dialog).getByRole('checkbox', { name: '@fox.live on Threads' });
  assert.ok(await threads.isDisabled(), 'no connector for Threads');
  assert.equal(await threads.evaluate((box) => document.getElementById(box.getAttribute('aria-describedby')).textContent),
    'Atelier cannot publish to Threads yet');
  await accountsGroup(dialog).getByRole('checkbox', { name: '@fox_x on X' }).check();
  await dialog.getByRole('button', { name: 'Publish now' }).click();
  await toasts(page).getByText('Published to 1 account', { exact: true }).waitFor();
  posts = postsOf(userId).filter((p) => p.scheduled_at === null);
  assert.deepEqual(posts.map((p) => `${p.handle} ${p.status}`).sort(), ['fox-in published', 'fox_x published', 'fox_x published'],
    'nothing for Threads');
  // Straight on to the posts page (no reload since the last publish): all five posts, each
  // with where it came from (prompt, seed, model, thumbnail) and its time on the creator's clock.
  await goTo(page, 'Posts');
  await page.getByRole('heading', { name: 'Posts', level: 1 }).waitFor();
  const list = postList(page);
  const items = list.getByRole('listitem');
  await until(async () => (await items.count()) === 5, { what: 'five posts listed' });
  for (const who of ['@fox_x on X', '@fox-in on LinkedIn']) {
    const item = items.filter({ hasText: who }).filter({ hasText: 'Quiet morning in the woods.' });
    await item.getByText('Published', { exact: true }).waitFor();
    await item.getByText('#winter #RedFox', { exact: true }).waitFor();
  }
  // On the creator's clock, with the account's beside it (14:00 in Berlin).
  for (const at of [`${winter}-12-03T13:00:00Z`, `${summer}-07-15T12:00:00Z`]) {
    const when = await postTime(page, at, 'Europe/Berlin');
    await items.filter({ hasText: '@fox.berlin on Instagram' }).getByText(`Scheduled for ${when}`, { exact: true }).waitFor();
  }
  for (let i = 0; i < 5; i += 1) {
    const item = items.nth(i);
    await item.getByText(`From “${prompt}” · seed 4711 · atelier-demo-1`, { exact: true }).waitFor({ timeout: 5_000 })
      .catch(async () => assert.fail(`post ${i + 1} of 5 shows no provenance: ${JSON.stringify(await item.innerText())}`));
    const thumb = item.getByRole('img', { name: prompt, exact: true });
    await until(() => thumb.evaluate((img) => img.complete && img.naturalWidth > 0), { what: `post ${i + 1}'s thumbnail to load` });
  }
  noErrors(creator);
  await creator.context.close();
});

test('Scheduling to accounts in different zones reads the time in the creator\'s zone, with each account\'s local time beside it', async () => {
  const creator = await newCreatorIn(browser, 'Asia/Tokyo', 'publish-zones');
  const { page, userId } = creator;
  await addMockAccount(page, 'x', 'crane_x', 'Europe/Berlin');
  await addMockAccount(page, 'linkedin', 'crane-ny', 'America/New_York');
  await addMockAccount(page, 'threads', 'crane.home');
  const generation = await completedGeneration(page, 'Red-crowned cranes dancing in the snow');
  const dialog = await openPostFor(page, generation);
  await toDistribution(dialog);
  const accounts = accountsGroup(dialog);
  // An account without a zone is read in the creator's own.
  await accounts.getByText('@crane.home on Threads · Mock · Asia/Tokyo', { exact: false }).waitFor();
  await accounts.getByRole('checkbox', { name: '@crane_x on X' }).check();
  await accounts.getByRole('checkbox', { name: '@crane-ny on LinkedIn' }).check();
  await dialog.getByText('Times in Asia/Tokyo', { exact: true }).waitFor();
  const year = yearAhead(12, 3, 13);
  await dialog.getByLabel('Schedule for').fill(`${year}-12-03T22:00`);
  await accounts.getByText(`${label(year, 12, 3, '14:00')} (Europe/Berlin) there`, { exact: true }).waitFor();
  await accounts.getByText(`${label(year, 12, 3, '08:00')} (America/New_York) there`, { exact: true }).waitFor();
  await dialog.getByRole('button', { name: 'Schedule' }).click();
  await toasts(page).getByText(`Scheduled for ${label(year, 12, 3, '22:00')} (Asia/Tokyo) on 2 accounts`, { exact: true }).waitFor();
  assert.deepEqual(sql(`select status, to_char(scheduled_at at time zone 'UTC', 'YYYY-MM-DD HH24:MI') as utc
    from public.posts where user_id = '${userId}'`), [
    { status: 'scheduled', utc: `${year}-12-03 13:00` }, { status: 'scheduled', utc: `${year}-12-03 13:00` },
  ]);
  noErrors(creator);
  await creator.context.close();
});
