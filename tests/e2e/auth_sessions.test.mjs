// Sign-up and sessions: sign up, create a session, reload, sign out, guards and isolation —
// on the release build, in Debian Chromium.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch } from './support/chromium.mjs';
import { openPage } from './support/tabs.mjs';
import { screenshot } from './support/screenshots.mjs';
import { signIn, signUp, uniqueEmail } from './support/auth_page.mjs';
import { createSession, sessionRail } from './support/generate_page.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const PASSWORD = 'correct-horse-7';
// The Generate page, with or without a session in the URL (it opens the newest one).
const GENERATE = /\/app\/generate(\/[0-9a-f-]{36})?$/;

test('a new creator signs up, creates a session, and finds it again after a reload', async () => {
  const { context, page, errors } = await openPage(browser);
  const email = uniqueEmail('ana');
  const title = `Spring campaign ${Date.now()}`;

  await signUp(page, email, PASSWORD);
  await page.waitForURL(GENERATE);
  await page.getByText(email).waitFor();
  await sessionRail(page).getByText('No sessions yet').waitFor();

  await createSession(page, title);
  await sessionRail(page).getByRole('listitem').filter({ hasText: title }).waitFor();

  await page.reload();
  await page.waitForURL(GENERATE);
  await sessionRail(page).getByRole('listitem').filter({ hasText: title }).waitFor();
  assert.equal(await sessionRail(page).getByRole('listitem').count(), 1);

  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL('**/login**');
  await page.goto('/app/generate');
  await page.waitForURL((url) => url.pathname === '/login' && url.searchParams.get('next') === '/app/generate');
  assert.deepEqual(errors, []);
  await context.close();
});

test('/generate redirects to /app/generate, and the guard returns you there after sign-in', async () => {
  const { context, page, errors } = await openPage(browser);
  const email = uniqueEmail('cy');
  await signUp(page, email, PASSWORD);
  await page.waitForURL(GENERATE);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL('**/login**');

  await page.goto('/generate');
  await page.waitForURL((url) => url.pathname === '/login' && url.searchParams.get('next') === '/app/generate');
  await signIn(page, email, PASSWORD);
  await page.waitForURL((url) => url.pathname === '/app/generate');

  await page.goto('/generate');
  await page.waitForURL((url) => url.pathname === '/app/generate');
  assert.deepEqual(errors, []);
  await context.close();
});

test('a second creator never sees the first creator\'s sessions', async () => {
  const first = await openPage(browser);
  const secret = `Private moodboard ${Date.now()}`;
  await signUp(first.page, uniqueEmail('first'), PASSWORD);
  await first.page.waitForURL(GENERATE);
  await createSession(first.page, secret);
  await sessionRail(first.page).getByRole('listitem').filter({ hasText: secret }).waitFor();

  const second = await openPage(browser);
  await signUp(second.page, uniqueEmail('second'), PASSWORD);
  await second.page.waitForURL(GENERATE);
  await sessionRail(second.page).getByText('No sessions yet').waitFor();
  assert.equal(await second.page.getByText(secret).count(), 0);
  assert.deepEqual([...first.errors, ...second.errors], []);
  await first.context.close();
  await second.context.close();
});

test('a wrong password and a taken email are explained inline, and nothing signs in', async () => {
  const { context, page } = await openPage(browser);
  await page.goto('/login');
  await signIn(page, 'demo@atelier.test', 'not-the-password');
  const alert = page.getByRole('alert');
  await alert.waitFor();
  assert.match(await alert.innerText(), /Invalid login credentials/);
  assert.equal(new URL(page.url()).pathname, '/login');

  await page.getByLabel('Password').fill('whatever-123');
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.getByRole('alert').filter({ hasText: 'User already registered' }).waitFor();
  assert.equal(new URL(page.url()).pathname, '/login');
  await context.close();
});

test('the demo creator sees the seeded sessions, newest first', async () => {
  const { context, page, errors } = await openPage(browser);
  await page.goto('/login');
  await signIn(page, 'demo@atelier.test', 'atelier-demo');
  await page.waitForURL(GENERATE);
  const items = sessionRail(page).getByRole('listitem');
  await items.filter({ hasText: 'Autumn lookbook' }).waitFor();
  const titles = await items.allInnerTexts();
  const coffee = titles.findIndex((t) => t.includes('Coffee shop reels'));
  const autumn = titles.findIndex((t) => t.includes('Autumn lookbook'));
  assert.ok(coffee >= 0 && autumn > coffee, `newest first, got ${JSON.stringify(titles)}`);
  assert.deepEqual(errors, []);
  await context.close();
});

test('the login page says whether it signs in or creates an account, and the password field follows', async () => {
  const { context, page, errors } = await openPage(browser);
  await page.goto('/login');
  const password = page.getByLabel('Password');
  await page.getByRole('heading', { level: 1, name: 'Sign in to your workspace' }).waitFor();
  assert.equal(await password.getAttribute('autocomplete'), 'current-password');

  // "Create account" with the fields empty switches to sign-up, and asks for nothing yet.
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.getByRole('heading', { level: 1, name: 'Create an account' }).waitFor();
  assert.equal(await password.getAttribute('autocomplete'), 'new-password');
  assert.equal(await page.getByRole('alert').count(), 0, 'switching is no error');
  const hint = await password.evaluate((el) => document.getElementById(el.getAttribute('aria-describedby'))?.textContent);
  assert.equal(hint, 'At least 6 characters.');
  for (const width of [360, 1280]) {
    await page.setViewportSize({ width, height: 800 });
    await screenshot(page, `login-sign-up-${width}`);
  }
  // "Sign in" switches back, and "Create account" again.
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { level: 1, name: 'Sign in to your workspace' }).waitFor();
  assert.equal(await password.getAttribute('autocomplete'), 'current-password');
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.getByRole('heading', { level: 1, name: 'Create an account' }).waitFor();

  // Enter in sign-up mode creates the account.
  const email = uniqueEmail('sign-up-mode');
  await page.getByLabel('Email').fill(email);
  await password.fill(PASSWORD);
  await password.press('Enter');
  await page.waitForURL(GENERATE);
  await page.getByText(email).waitFor();

  // Signed out, the login page starts in sign-in mode again.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL('**/login**');
  await page.getByRole('heading', { level: 1, name: 'Sign in to your workspace' }).waitFor();
  assert.equal(await password.getAttribute('autocomplete'), 'current-password');
  for (const width of [360, 1280]) {
    await page.setViewportSize({ width, height: 800 });
    await screenshot(page, `login-sign-in-${width}`);
  }
  assert.deepEqual(errors, []);
  await context.close();
});
