// Scheduling across zones: with accounts in Paris and New York and a creator in
// Tokyo, "09:00 local time on each account" schedules each post at 09:00 on its account's clock
// (two instants, one call); "09:00 in Asia/Tokyo" schedules both at one instant. The database
// is read as the service role.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch } from './support/chromium.mjs';
import { noErrors } from './support/page_errors.mjs';
import { toasts } from './support/tabs.mjs';
import { viewportShot } from './support/screenshots.mjs';
import { newCreatorIn } from './support/auth_page.mjs';
import { accountsGroup, openPostFor, toDistribution } from './support/post_dialog.mjs';
import { addMockAccount, completedGeneration, serviceRest } from './support/data.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const OWN = 'Asia/Tokyo';

/** `YYYY-MM-DDTHH:MM`, the wall clock of an instant in `zone` (what a datetime-local holds). */
function wallClock(instant, zone) {
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-GB', {
    timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
  }).formatToParts(new Date(instant)).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}`;
}

/** A date about a month ahead (so 09:00 anywhere is well within the year a post may wait). */
function dateAMonthAhead() {
  return new Date(Date.now() + 30 * 24 * 3600_000).toISOString().slice(0, 10);
}

/** The creator's posts with their account's handle and zone, through REST as the service role. */
async function postsOf(userId) {
  return serviceRest(`posts?user_id=eq.${userId}&select=status,scheduled_at,connected_accounts(handle,timezone)`);
}

/** A Tokyo creator with a Paris and a New York account, at the Distribution step with both ticked. */
async function twoZones(who) {
  const creator = await newCreatorIn(browser, OWN, who);
  await addMockAccount(creator.page, 'x', 'owl_paris', 'Europe/Paris');
  await addMockAccount(creator.page, 'linkedin', 'owl-ny', 'America/New_York');
  const generation = await completedGeneration(creator.page, 'A snowy owl on a fence post at dusk');
  const dialog = await openPostFor(creator.page, generation);
  await toDistribution(dialog);
  await accountsGroup(dialog).getByRole('checkbox', { name: '@owl_paris on X' }).check();
  await accountsGroup(dialog).getByRole('checkbox', { name: '@owl-ny on LinkedIn' }).check();
  return { ...creator, dialog };
}

test('"09:00 local time on each account" schedules each post at 09:00 on its account\'s clock', async () => {
  const creator = await twoZones('zones-each');
  const { page, dialog, userId } = creator;
  const date = dateAMonthAhead();
  await dialog.getByLabel('Schedule for').fill(`${date}T09:00`);
  const choice = dialog.getByRole('group', { name: 'Time zone for this schedule' });
  await choice.getByRole('radio', { name: `09:00 in ${OWN}` }).waitFor();
  await choice.getByRole('radio', { name: '09:00 local time on each account' }).check();
  await dialog.getByText("Times on each account's own clock", { exact: true }).waitFor();
  // Each account says when its 09:00 is on the creator's clock.
  const parisInTokyo = wallClock(Date.parse(`${date}T09:00:00${offsetOf('Europe/Paris', date)}`), OWN);
  await accountsGroup(dialog).getByText(new RegExp(`, ${parisInTokyo.slice(11)} \\(Asia/Tokyo\\) your time$`)).first().waitFor();
  for (const width of [360, 1280]) {
    await page.setViewportSize({ width, height: 900 });
    await viewportShot(page, `schedule-zones-${width}`);
  }
  await dialog.getByRole('button', { name: 'Schedule' }).click();
  await toasts(page).getByText(/local time on 2 accounts$/).waitFor();
  const posts = await postsOf(userId);
  assert.equal(posts.length, 2);
  for (const post of posts) {
    const { handle, timezone } = post.connected_accounts;
    assert.equal(post.status, 'scheduled', handle);
    assert.equal(wallClock(post.scheduled_at, timezone), `${date}T09:00`, `${handle}: 09:00 in ${timezone}`);
  }
  assert.notEqual(Date.parse(posts[0].scheduled_at), Date.parse(posts[1].scheduled_at), 'two instants');
  noErrors(creator);
  await creator.context.close();
});

test('"09:00 in the creator\'s zone" schedules both posts at one instant', async () => {
  const creator = await twoZones('zones-one');
  const { page, dialog, userId } = creator;
  const date = dateAMonthAhead();
  await dialog.getByLabel('Schedule for').fill(`${date}T09:00`);
  const choice = dialog.getByRole('group', { name: 'Time zone for this schedule' });
  await choice.getByRole('radio', { name: '09:00 local time on each account' }).check();
  await choice.getByRole('radio', { name: `09:00 in ${OWN}` }).check();
  await dialog.getByText(`Times in ${OWN}`, { exact: true }).waitFor();
  await dialog.getByRole('button', { name: 'Schedule' }).click();
  await toasts(page).getByText(/\(Asia\/Tokyo\) on 2 accounts$/).waitFor();
  const posts = await postsOf(userId);
  assert.equal(posts.length, 2);
  for (const post of posts) {
    assert.equal(post.status, 'scheduled');
    assert.equal(wallClock(post.scheduled_at, OWN), `${date}T09:00`, `${post.connected_accounts.handle}: 09:00 in Tokyo`);
  }
  assert.equal(Date.parse(posts[0].scheduled_at), Date.parse(posts[1].scheduled_at), 'one instant');
  noErrors(creator);
  await creator.context.close();
});

/** `+01:00`: the UTC offset of `zone` at noon UTC on `date`. */
function offsetOf(zone, date) {
  const noon = Date.parse(`${date}T12:00:00Z`);
  const minutes = Math.round((Date.parse(`${wallClock(noon, zone)}:00Z`) - noon) / 60_000);
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}
