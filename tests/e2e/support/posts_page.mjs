// The Posts page: its list, and how it writes a post's time — on the creator's clock (the
// browser's zone), with the account's clock beside it when the account lives in another zone — "Tue 8 Dec, 09:00 ·
// 10:00 in Europe/Paris", the account's date repeated only when it is another day there.
import { goTo } from './tabs.mjs';

/** The Posts page's list of posts. */
export function postList(page) {
  return page.getByRole('list', { name: 'Posts' });
}

/** Opens the Posts page from the main navigation; returns its list. */
export async function openPosts(page) {
  await goTo(page, 'Posts');
  return postList(page);
}

const parts = (iso, zone) => Object.fromEntries(new Intl.DateTimeFormat('en-GB', {
  timeZone: zone, weekday: 'short', day: 'numeric', month: 'short', year: 'numeric',
  hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
}).formatToParts(new Date(iso)).map((p) => [p.type, p.value]));

/** "Tue 8 Dec, 09:00": `iso`'s wall clock in `zone`. */
export function wallLabel(iso, zone) {
  const p = parts(iso, zone);
  return `${p.weekday} ${p.day} ${p.month}, ${p.hour}:${p.minute}`;
}

/** The browser zone of `page` (the creator's zone). */
export function browserZone(page) {
  return page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone);
}

/** The posts page's time of a post at `iso` on an account in `accountZone` (null: the creator's). */
export async function postTime(page, iso, accountZone = null) {
  const own = await browserZone(page);
  const mine = wallLabel(iso, own);
  if (!accountZone || accountZone === own) return mine;
  const [a, b] = [parts(iso, own), parts(iso, accountZone)];
  const sameDay = a.year === b.year && a.month === b.month && a.day === b.day;
  return `${mine} · ${sameDay ? `${b.hour}:${b.minute}` : wallLabel(iso, accountZone)} in ${accountZone}`;
}
