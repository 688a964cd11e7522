// The stored session survives its access token's expiry: the app refreshes it before it runs
// out, and a session the server has revoked sends the user back to sign in.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch } from './support/chromium.mjs';
import { openPage } from './support/tabs.mjs';
import { expireSessionIn, refreshTokenChanged, storedSession } from './support/session.mjs';
import { PASSWORD, signUp, uniqueEmail } from './support/auth_page.mjs';
import { sessionRail } from './support/generate_page.mjs';

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
