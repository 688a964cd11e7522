// The sign-in page (/login): signing up and in through its form, and a new creator signed up
// in a fresh context of their own.
import { openWatchedPage } from './tabs.mjs';
import { userIdOf } from './session.mjs';

/** The password every journey's creators use. */
export const PASSWORD = 'correct-horse-7';

/** An address no other test (or run) uses. */
export function uniqueEmail(who) {
  return `${who}-${Date.now()}-${Math.floor(Math.random() * 1e6)}@atelier.test`;
}

/** Opens /login and creates an account. */
export async function signUp(page, email, password) {
  await page.goto('/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Create account' }).click();
}

/** Signs in on the sign-in form the page shows. */
export async function signIn(page, email, password) {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/**
 * Signs a new creator up in a fresh context and waits for the workspace; resolves to
 * `{ context, page, errors, dialogs, email, userId }`. `options` go to openPage (baseURL,
 * timezoneId, …); `defaultTimeout`: the page's, by default 25 s, since generations run on a
 * shared, sometimes busy machine and a provider may be slow.
 */
export async function newCreator(browser, who = 'creator', { defaultTimeout = 25_000, ...options } = {}) {
  const opened = await openWatchedPage(browser, options);
  opened.page.setDefaultTimeout(defaultTimeout);
  opened.email = uniqueEmail(who);
  await signUp(opened.page, opened.email, PASSWORD);
  await opened.page.waitForURL('**/app/generate');
  opened.userId = await userIdOf(opened.page);
  return opened;
}

/**
 * Like newCreator, in a browser whose own time zone is `timezoneId` (the zone a schedule is
 * read in when the selected accounts' zones differ).
 */
export function newCreatorIn(browser, timezoneId, who = 'creator') {
  return newCreator(browser, who, { timezoneId, defaultTimeout: 15_000 });
}
