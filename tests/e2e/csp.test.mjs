// The release build runs under the production Content-Security-Policy (scripts/csp.mjs, sent
// by scripts/serve-dist.mjs): signing in and reaching /app/generate raise no violation, storage
// media load, and an injected inline script is refused.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { APP_URL, createSession, launch, openPage, sessionRail, signIn, signUp, uniqueEmail } from './browser.mjs';

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
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    assert.ok(res.headers.get('referrer-policy'));
    assert.ok(res.headers.get('permissions-policy'));
  }
});

test('signing in and opening the workspace raise no CSP violation; media load; inline scripts do not run', async () => {
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

  // Media from the project's storage origin are allowed (the grid shows them).
  const userId = await page.evaluate(() => JSON.parse(localStorage.getItem('atelier.auth')).user.id);
  const src = await uploadImage(userId);
  const decoded = await page.evaluate(async (url) => {
    const img = new Image();
    img.src = url;
    document.body.append(img);
    try { await img.decode(); return img.naturalWidth; } catch (e) { return String(e); }
  }, src);
  assert.equal(decoded, 1, `storage image under the policy: ${decoded}`);
  assert.deepEqual(violations, []);

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
  assert.deepEqual(errors, []);
  await context.close();
});
