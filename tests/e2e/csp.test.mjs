// The release build runs under the production Content-Security-Policy (scripts/csp.mjs, sent
// by scripts/serve-dist.mjs): signing in, reaching /app/generate and showing a stored image in
// the grid raise no violation (the inlined stylesheets included), and an injected inline script
// or <style> is refused.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch } from './support/chromium.mjs';
import { APP_URL, openPage } from './support/tabs.mjs';
import { userIdOf } from './support/session.mjs';
import { signIn, signUp, uniqueEmail } from './support/auth_page.mjs';
import { createSession, sessionRail } from './support/generate_page.mjs';
import { serviceRest } from './support/data.mjs';

const { API_URL, SERVICE_ROLE_KEY } = process.env;

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** A CSP header value as { directive: [sources] }. */
function parsePolicy(value) {
  return Object.fromEntries(value.split(';').map((d) => d.trim().split(/\s+/)).filter((d) => d[0])
    .map(([name, ...sources]) => [name.toLowerCase(), sources]));
}

/** Every violation the page reports, across navigations: the DOM event and the console line. */
async function watchViolations(context, page) {
  const violations = [];
  await context.exposeBinding('__atelierCspViolation', (_source, v) => violations.push(v));
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__atelierCspViolation({ directive: e.violatedDirective, blocked: e.blockedURI, sample: e.sample });
    });
  });
  page.on('console', (msg) => {
    if (/Content Security Policy/i.test(msg.text())) violations.push({ console: msg.text() });
  });
  return violations;
}

/** Uploads a small PNG for a user to the public media bucket and returns its public URL. */
async function uploadImage(userId) {
  // 1x1 opaque PNG.
  const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
  const path = `${userId}/csp-check/pixel.png`;
  const res = await fetch(`${API_URL}/storage/v1/object/generated_assets/${path}`, {
    method: 'POST',
    headers: { apikey: SERVICE_ROLE_KEY, authorization: `Bearer ${SERVICE_ROLE_KEY}`, 'content-type': 'image/png' },
    body: png,
  });
  assert.equal(res.status, 200, await res.text());
  return `${API_URL}/storage/v1/object/public/generated_assets/${path}`;
}

test('the app is served with a strict CSP and the other security headers', async () => {
  for (const path of ['/', '/login', '/app/generate']) {
    const res = await fetch(`${APP_URL}${path}`);
    const csp = res.headers.get('content-security-policy');
    assert.ok(csp, `${path}: no Content-Security-Policy header`);
    const policy = parsePolicy(csp);
    assert.ok(policy['script-src'], 'script-src is set');
    assert.ok(!policy['script-src'].includes("'unsafe-inline'"), `script-src allows inline scripts: ${csp}`);
    assert.ok(!policy['script-src'].includes("'unsafe-eval'"), `script-src allows eval: ${csp}`);
    assert.ok(policy['script-src'].includes("'wasm-unsafe-eval'"));
    assert.deepEqual(policy['object-src'], ["'none'"]);
    assert.deepEqual(policy['frame-ancestors'], ["'none'"]);
    assert.ok(policy['connect-src'].includes(new URL(API_URL).origin), `connect-src names the project: ${csp}`);
    // Realtime's socket: ws:// on the API's host and port for this http stack (wss:// for https,
    // which tests/servers/csp_policy.test.mjs checks).
    const realtime = `ws://${new URL(API_URL).host}`;
    assert.ok(policy['connect-src'].includes(realtime), `connect-src names Realtime's ${realtime}: ${csp}`);
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    assert.ok(res.headers.get('referrer-policy'));
    assert.ok(res.headers.get('permissions-policy'));
  }
});

test('signing in, the workspace and a stored image in the grid raise no CSP violation; inline scripts do not run', async () => {
  const { context, page, errors } = await openPage(browser);
  const violations = await watchViolations(context, page);
  const email = uniqueEmail('csp');
  const password = 'correct-horse-7';

  await signUp(page, email, password);
  await page.waitForURL('**/app/generate');
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL('**/login**');
  await signIn(page, email, password);
  await page.waitForURL('**/app/generate');
  await createSession(page, 'Under the policy');
  await sessionRail(page).getByRole('listitem').filter({ hasText: 'Under the policy' }).waitFor();
  await page.goto('/app/generate');
  await sessionRail(page).getByRole('listitem').filter({ hasText: 'Under the policy' }).waitFor();
  assert.deepEqual(violations, [], 'the app itself triggers no violation');

  // The grid shows a finished image from the project's storage origin under the policy.
  const userId = await userIdOf(page);
  const src = await uploadImage(userId);
  const [session] = await serviceRest('sessions', { method: 'POST', body: { user_id: userId, title: 'Stored media' } });
  const prompt = `A pixel under the policy ${Date.now()}`;
  await serviceRest('generations', {
    method: 'POST',
    body: { session_id: session.id, user_id: userId, prompt, status: 'completed', media_url: src, width: 1, height: 1 },
  });
  await page.goto(`/app/generate/${session.id}`);
  const image = page.getByRole('region', { name: 'Results' }).getByRole('img', { name: prompt, exact: true });
  await image.waitFor();
  const width = await image.evaluate(async (img) => {
    try { await img.decode(); return img.naturalWidth; } catch (e) { return String(e); }
  });
  assert.equal(width, 1, `the stored image under the policy: ${width}`);
  assert.deepEqual(violations, [], 'the grid triggers no violation');

  // The policy is enforced, and the watcher sees it: an injected inline script is refused.
  const ran = await page.evaluate(async () => {
    const s = document.createElement('script');
    s.textContent = 'window.__injected = true;';
    document.head.append(s);
    await new Promise((r) => setTimeout(r, 100));
    return window.__injected === true;
  });
  assert.equal(ran, false, 'an inline script ran');
  await page.waitForTimeout(100);
  assert.ok(violations.some((v) => /script-src/.test(v.directive ?? v.console ?? '')),
    `the refusal is reported: ${JSON.stringify(violations)}`);

  // The inlined stylesheets are allowed by hash only: an injected <style> is refused.
  const styled = await page.evaluate(async () => {
    const s = document.createElement('style');
    s.textContent = 'body { outline: 7px solid rgb(255, 0, 255); }';
    document.head.append(s);
    await new Promise((r) => setTimeout(r, 100));
    return getComputedStyle(document.body).outlineWidth === '7px';
  });
  assert.equal(styled, false, 'an injected <style> applied');
  await page.waitForTimeout(100);
  assert.ok(violations.some((v) => /style-src/.test(v.directive ?? v.console ?? '')),
    `the style refusal is reported: ${JSON.stringify(violations)}`);
  assert.deepEqual(errors, []);
  await context.close();
});
