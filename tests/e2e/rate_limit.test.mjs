// A 429 is "wait", never "no": a rate-limited sign-in or sign-up says how long to wait and
// stores nothing; a rate-limited token refresh keeps the creator signed in and is tried again
// once Retry-After has passed; a rate-limited REST read says the same where its error shows.
// The 429s are GoTrue's and a gateway's answers, played by page.route.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch } from './support/chromium.mjs';
import { until } from './support/wait.mjs';
import { openPage } from './support/tabs.mjs';
import { expireSessionIn, refreshTokenChanged, storedSession } from './support/session.mjs';
import { PASSWORD, signIn, signUp, uniqueEmail } from './support/auth_page.mjs';
import { sessionRail } from './support/generate_page.mjs';
import { signUpOverApi } from './support/data.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const GENERATE = /\/app\/generate(\/[0-9a-f-]{36})?$/;

/** What hosted Supabase Auth answers once a rate limit is reached. */
const GOTRUE_429 = { code: 429, error_code: 'over_request_rate_limit', msg: 'Request rate limit reached' };

/**
 * A 429 as the browser would get it cross-origin: `Retry-After` (when given) is listed in
 * Access-Control-Expose-Headers, or the app could not read it.
 */
function tooManyRequests(body, retryAfter) {
  const headers = { 'access-control-allow-origin': '*' };
  if (retryAfter !== undefined) {
    headers['retry-after'] = String(retryAfter);
    headers['access-control-expose-headers'] = 'Retry-After';
  }
  return { status: 429, contentType: 'application/json', headers, body: JSON.stringify(body) };
}

/** Matches POST /auth/v1/token?grant_type=<grant> (CORS preflights are let through). */
const tokenGrant = (grant) => (url) => url.pathname === '/auth/v1/token' && url.searchParams.get('grant_type') === grant;

/** Creates a confirmed account over the API, so a sign-in with it would succeed. */
const existingCreator = async (who) => (await signUpOverApi(who)).email;

test('a rate-limited sign-in or sign-up says when to try again and stores no session', async () => {
  const { context, page, errors } = await openPage(browser);
  const email = await existingCreator('limited');
  let signIns = 0;
  const password = tokenGrant('password');
  await page.route(password, (route) => {
    if (route.request().method() !== 'POST') return route.continue();
    signIns += 1;
    return route.fulfill(tooManyRequests(GOTRUE_429, 7));
  });
  await page.goto('/login');
  await signIn(page, email, PASSWORD);
  const alert = page.getByRole('alert');
  await alert.waitFor();
  const signInMessage = (await alert.textContent()).trim();
  assert.equal(signInMessage, 'Too many attempts — try again in 7 s');
  assert.equal(await storedSession(page), null, 'a rate-limited sign-in stores no session');
  assert.equal(new URL(page.url()).pathname, '/login');
  assert.equal(signIns, 1, 'the app does not hammer a rate-limited sign-in');

  // Sign-up, and a 429 without a readable Retry-After: a minute.
  await page.route((url) => url.pathname === '/auth/v1/signup', (route) => (route.request().method() === 'POST'
    ? route.fulfill(tooManyRequests(GOTRUE_429))
    : route.continue()));
  await page.getByLabel('Email').fill(uniqueEmail('limited-new'));
  await page.getByRole('button', { name: 'Create account' }).click();
  const signUpMessage = await until(async () => {
    const text = (await alert.count()) === 1 && (await alert.textContent()).trim();
    return text !== signInMessage && text;
  }, { what: 'the sign-up\'s message' });
  assert.equal(signUpMessage, 'Too many attempts — try again in 60 s');
  assert.equal(await storedSession(page), null);

  // Once the limit is lifted, the same form signs in.
  await page.unroute(password);
  await page.getByLabel('Email').fill(email);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(GENERATE);
  assert.ok((await storedSession(page))?.refresh_token, 'signed in once the limit is lifted');
  assert.deepEqual(errors, []);
  await context.close();
});

test('a rate-limited refresh keeps the creator signed in and is retried after Retry-After', async () => {
  const RETRY_AFTER_S = 3;
  const { context, page, errors } = await openPage(browser);
  await signUp(page, uniqueEmail('refresh-429'), PASSWORD);
  await page.waitForURL(GENERATE);
  await sessionRail(page).getByText('No sessions yet').waitFor();
  const first = await storedSession(page);

  // Every refresh the page sends, and when the 429 went back.
  const refresh = tokenGrant('refresh_token');
  const sent = [];
  page.on('request', (req) => {
    if (req.method() === 'POST' && refresh(new URL(req.url()))) sent.push(Date.now());
  });
  let limitedAt = null;
  await page.route(refresh, async (route) => {
    if (route.request().method() !== 'POST') return route.continue();
    limitedAt = Date.now();
    await route.fulfill(tooManyRequests(GOTRUE_429, RETRY_AFTER_S));
    // The limit is lifted at once: only the app's own wait keeps the retry back.
    await page.unroute(refresh);
  });

  await expireSessionIn(page, 20); // inside the 60 s refresh margin: refreshed on load
  await page.reload();
  await until(() => limitedAt, { what: 'the rate-limited refresh' });
  // The workspace loads with the held token (still valid for 20 s): the creator stays in.
  await Promise.race([sessionRail(page).getByText('No sessions yet').waitFor(), page.waitForURL('**/login**')]);
  assert.match(page.url(), GENERATE, 'still in the workspace, not sent to sign in');
  await sessionRail(page).getByText('No sessions yet').waitFor();
  // (The retry may already have rotated it on a slow machine: the same creator's session.)
  assert.equal((await storedSession(page))?.user.id, first.user.id, 'the session is still stored');
  await page.getByRole('button', { name: 'Sign out' }).waitFor();

  await until(() => sent.length >= 2, { timeout: 30_000, what: 'the retried refresh' });
  assert.ok(sent[1] - limitedAt >= RETRY_AFTER_S * 1000,
    `the retry waited Retry-After (${RETRY_AFTER_S} s), not ${sent[1] - limitedAt} ms`);
  await refreshTokenChanged(page, first.refresh_token);
  const renewed = await storedSession(page);
  assert.equal(renewed.user.id, first.user.id);
  assert.ok(renewed.expires_at > Math.floor(Date.now() / 1000) + 600, 'a fresh hour-long token');
  assert.equal(sent.length, 2, 'one rate-limited refresh, one retry: nothing in between');
  assert.match(page.url(), GENERATE);
  assert.equal(await page.getByText('You were signed out').count(), 0);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a rate-limited REST read says when to try again where its error shows', async () => {
  const { context, page, errors } = await openPage(browser);
  await signUp(page, uniqueEmail('rest-429'), PASSWORD);
  await page.waitForURL(GENERATE);
  const session = await storedSession(page);
  await page.route((url) => url.pathname === '/rest/v1/connected_accounts', (route) => (
    route.request().method() === 'GET'
      ? route.fulfill(tooManyRequests({ message: 'API rate limit exceeded' }, 5))
      : route.continue()));
  await page.goto('/app/accounts');
  const alert = page.getByRole('alert').filter({ hasText: 'Your accounts could not be loaded' });
  await alert.waitFor();
  assert.equal((await alert.textContent()).trim(),
    'Your accounts could not be loaded: Too many attempts — try again in 5 s');
  assert.equal(new URL(page.url()).pathname, '/app/accounts', 'a rate-limited read signs nobody out');
  assert.equal((await storedSession(page))?.refresh_token, session.refresh_token);
  assert.deepEqual(errors, []);
  await context.close();
});
