// The stored session survives its access token's expiry: the app refreshes it before it runs
// out, a token renewed while the creator works leaves the page as it is, and a session the
// server has revoked sends the user back to sign in.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch } from './support/chromium.mjs';
import { openPage } from './support/tabs.mjs';
import { expireSessionIn, refreshTokenChanged, storedSession } from './support/session.mjs';
import { PASSWORD, signUp, uniqueEmail } from './support/auth_page.mjs';
import { createSession, results, sessionRail } from './support/generate_page.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });


test('an access token close to expiry is refreshed on load, and the user stays signed in', async () => {
  const { context, page, errors } = await openPage(browser);
  await signUp(page, uniqueEmail('refresh'), PASSWORD);
  await page.waitForURL('**/app/generate');
  const first = await storedSession(page);

  await expireSessionIn(page, 20); // inside the 60 s margin
  await page.reload();
  await refreshTokenChanged(page, first.refresh_token);
  // The rotated refresh token shows the refresh happened (a JWT issued in the same second as
  // the first can be byte-identical to it); the stored expiry is the new token's again.
  const second = await storedSession(page);
  assert.ok(second.expires_at > Math.floor(Date.now() / 1000) + 600, 'a fresh hour-long token');
  await sessionRail(page).getByText('No sessions yet').waitFor();
  assert.equal(new URL(page.url()).pathname, '/app/generate');
  assert.deepEqual(errors, []);
  await context.close();
});

test('a token renewed while the creator works keeps the page as it is: the half-written prompt stays', async () => {
  const { context, page, errors } = await openPage(browser);
  await signUp(page, uniqueEmail('renewed'), PASSWORD);
  await page.waitForURL('**/app/generate');
  await createSession(page, 'Kept through a renewal');
  await page.getByRole('heading', { level: 1, name: 'Kept through a renewal' }).waitFor();
  const prompt = page.getByRole('textbox', { name: 'Prompt', exact: true });
  await prompt.fill('a lighthouse at dusk, half-written');
  const before = await storedSession(page);

  // The server refuses the token once (as it does an expired one): the app renews it and
  // sends the read again.
  let refused = 0;
  await page.route(/\/rest\/v1\/generations\?.*starred=is\.true/, (route) => {
    if (refused > 0) return route.continue();
    refused += 1;
    return route.fulfill({
      status: 401,
      headers: { 'content-type': 'application/json', 'access-control-allow-origin': '*' },
      body: JSON.stringify({ code: 'PGRST303', message: 'JWT expired', details: null, hint: null }),
    });
  });
  const answered = page.waitForResponse((r) => /starred=is\.true/.test(r.url()) && r.status() === 200);
  await results(page).getByRole('radio', { name: 'Starred' }).check();
  await refreshTokenChanged(page, before.refresh_token);
  await answered;
  assert.equal(refused, 1, 'the Starred read was refused once, then answered with the renewed token');

  assert.equal(await prompt.inputValue(), 'a lighthouse at dusk, half-written', 'the typed prompt is still there');
  assert.equal(await results(page).getByRole('radio', { name: 'Starred' }).isChecked(), true, 'the filter picked stays');
  await results(page).getByText('No starred outputs yet — star the ones you like.').waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});

test('an expired token with a revoked refresh token sends the user to sign in', async () => {
  const { context, page, errors } = await openPage(browser);
  await signUp(page, uniqueEmail('revoked'), PASSWORD);
  await page.waitForURL('**/app/generate');
  const session = await storedSession(page);
  // Sign out elsewhere: the server revokes every refresh token of this user.
  const res = await fetch(`${process.env.API_URL}/auth/v1/logout?scope=global`, {
    method: 'POST',
    headers: { apikey: process.env.ANON_KEY, authorization: `Bearer ${session.access_token}` },
  });
  assert.equal(res.status, 204);

  await expireSessionIn(page, -10);
  await page.reload();
  await page.waitForURL((url) => url.pathname === '/login');
  assert.equal(await storedSession(page), null, 'the dead session is forgotten');
  assert.deepEqual(errors, []);
  await context.close();
});
