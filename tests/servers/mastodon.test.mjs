// The fake Mastodon (tests/servers/mastodon.mjs) checked with the official `masto` client: if a
// real client can register, sign in with PKCE through the fake's own authorization page, upload
// media and post through it, the connector tests against it exercise the documented protocol.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createOAuthAPIClient, createRestAPIClient, MastoHttpError } from 'masto';
import { start } from './mastodon.mjs';

const REDIRECT = 'http://127.0.0.1:3999/app/accounts';
const SCOPES = 'write:statuses write:media read:accounts';
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

let fake;
before(async () => {
  fake = await start({ maxCharacters: 120, mediaPolls: 2 });
});
after(() => fake.close());

const pkce = () => {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
};

async function registerApp() {
  const masto = createRestAPIClient({ url: fake.url });
  return masto.v1.apps.create({ clientName: 'Atelier test', redirectUris: REDIRECT, scopes: SCOPES, website: 'https://atelier.example' });
}

/** The authorize URL a client builds, as in https://docs.joinmastodon.org/methods/oauth/#authorize. */
function authorizeUrl(app, { state, challenge }) {
  const u = new URL('/oauth/authorize', fake.url);
  Object.entries({ response_type: 'code', client_id: app.clientId, redirect_uri: REDIRECT, scope: SCOPES, state, code_challenge: challenge, code_challenge_method: 'S256' })
    .forEach(([k, v]) => u.searchParams.set(k, v));
  return u;
}

/** Loads the authorization page and presses `button` the way a browser submits its form; returns the redirect. */
async function press(url, button) {
  const pageRes = await fetch(url);
  assert.equal(pageRes.status, 200);
  assert.match(pageRes.headers.get('content-type'), /^text\/html/);
  const html = await pageRes.text();
  const form = [...html.matchAll(/<form method="post" action="([^"]+)">([\s\S]*?)<\/form>/g)]
    .find((m) => m[2].includes(`>${button}</button>`));
  assert.ok(form, `no form with a ${button} button in ${html}`);
  const fields = new URLSearchParams([...form[2].matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)]
    .map((m) => [m[1], m[2].replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>')]));
  const res = await fetch(new URL(form[1], url), { method: 'POST', body: fields, redirect: 'manual' });
  assert.equal(res.status, 302);
  return new URL(res.headers.get('location'));
}

async function signIn() {
  const app = await registerApp();
  const { verifier, challenge } = pkce();
  const state = randomBytes(16).toString('hex');
  const back = await press(authorizeUrl(app, { state, challenge }), 'Authorize');
  assert.equal(`${back.origin}${back.pathname}`, REDIRECT);
  assert.equal(back.searchParams.get('state'), state);
  const oauth = createOAuthAPIClient({ url: fake.url });
  const token = await oauth.token.create({
    grantType: 'authorization_code', clientId: app.clientId, clientSecret: app.clientSecret, redirectUri: REDIRECT,
    code: back.searchParams.get('code'), codeVerifier: verifier,
  });
  return { app, token, masto: createRestAPIClient({ url: fake.url, accessToken: token.accessToken }) };
}

async function rejects(promise, statusCode, message) {
  await assert.rejects(promise, (e) => {
    assert.ok(e instanceof MastoHttpError, String(e));
    assert.equal(e.statusCode, statusCode);
    if (message) assert.match(e.message, message);
    return true;
  });
}

test('masto registers an app, signs in through the Authorize page with PKCE and reads the account and instance', async () => {
  const { app, token, masto } = await signIn();
  assert.ok(app.clientId && app.clientSecret);
  assert.deepEqual(app.redirectUris, [REDIRECT]);
  assert.equal(token.tokenType, 'Bearer');
  assert.equal(token.scope, SCOPES);
  const me = await masto.v1.accounts.verifyCredentials();
  assert.equal(me.username, 'alice');
  assert.equal(me.id, fake.accountId);
  const instance = await masto.v2.instance.fetch();
  assert.equal(instance.configuration.statuses.maxCharacters, 120);
  assert.equal(instance.configuration.statuses.charactersReservedPerUrl, 23);
});

test('the token endpoint checks the PKCE verifier and takes a code once', async () => {
  const app = await registerApp();
  const oauth = createOAuthAPIClient({ url: fake.url });
  const exchange = (code, codeVerifier) => oauth.token.create({
    grantType: 'authorization_code', clientId: app.clientId, clientSecret: app.clientSecret, redirectUri: REDIRECT, code, codeVerifier,
  });
  const { verifier, challenge } = pkce();
  const code = (await press(authorizeUrl(app, { state: 's1', challenge }), 'Authorize')).searchParams.get('code');
  await rejects(exchange(code, pkce().verifier), 400, /invalid_grant/);
  await rejects(exchange(code, undefined), 400, /invalid_grant/);
  const token = await exchange(code, verifier);
  assert.ok(token.accessToken);
  await rejects(exchange(code, verifier), 400, /invalid_grant/);
  await rejects(oauth.token.create({ grantType: 'authorization_code', clientId: app.clientId, clientSecret: 'wrong', redirectUri: REDIRECT, code, codeVerifier: verifier }), 401, /invalid_client/);
});

test('Deny sends the browser back with error=access_denied and the state', async () => {
  const app = await registerApp();
  const back = await press(authorizeUrl(app, { state: 'deny-state', challenge: pkce().challenge }), 'Deny');
  assert.equal(back.searchParams.get('error'), 'access_denied');
  assert.equal(back.searchParams.get('state'), 'deny-state');
  assert.equal(back.searchParams.get('code'), null);
});

test('an authorize request for another redirect URI or an unknown client gets an error page, not a redirect', async () => {
  const app = await registerApp();
  const foreign = authorizeUrl(app, { state: 's', challenge: pkce().challenge });
  foreign.searchParams.set('redirect_uri', 'https://evil.example/steal');
  const res = await fetch(foreign, { redirect: 'manual' });
  assert.equal(res.status, 400);
  assert.match(await res.text(), /redirect uri included is not valid/);
  const unknown = authorizeUrl({ clientId: 'nope' }, { state: 's', challenge: 'c' });
  assert.equal((await fetch(unknown, { redirect: 'manual' })).status, 400);
});

test('media is processed over polls (202 → 206 → 200) and masto waits for it before posting', async () => {
  const { masto } = await signIn();
  fake.reset();
  const attachment = await masto.v2.media.create({ file: new Blob([PNG], { type: 'image/png' }), description: 'a heron over still water' });
  assert.ok(attachment.url, 'masto returns the attachment once processed');
  const statuses = fake.received().requests.filter((r) => r.path === '/api/v2/media' || r.path.startsWith('/api/v1/media/')).map((r) => r.status);
  assert.deepEqual(statuses, [202, 206, 206, 200]);
  const [stored] = fake.received().media;
  assert.equal(stored.description, 'a heron over still water');
  assert.equal(stored.size, PNG.length);
  assert.equal(stored.content_type, 'image/png');
});

test('attaching media that is still processing is a 422 the client can wait out', async () => {
  const { masto } = await signIn();
  const early = await masto.v2.media.create({ file: new Blob([PNG], { type: 'image/png' }), skipPolling: true });
  assert.equal(early.url, null);
  await rejects(masto.v1.statuses.create({ status: 'too soon', mediaIds: [early.id] }), 422, /not finished processing/);
  await masto.v1.media.$select(early.id).fetch(); // 206
  await masto.v1.media.$select(early.id).fetch(); // processed
  const status = await masto.v1.statuses.create({ status: 'now', mediaIds: [early.id] });
  assert.equal(status.mediaAttachments[0].id, early.id);
});

test('a status posted twice with one Idempotency-Key exists once, with the exact text', async () => {
  const { masto } = await signIn();
  fake.reset();
  const media = await masto.v2.media.create({ file: new Blob([PNG], { type: 'image/png' }), description: 'alt' });
  const text = 'Café at dawn ☕️👩‍👩‍👧 https://example.com/a/very/long/path/that/counts/as/twenty-three\n\n#morning #café';
  const key = randomBytes(16).toString('hex');
  const meta = { requestInit: { headers: { 'Idempotency-Key': key } } };
  const first = await masto.v1.statuses.create({ status: text, mediaIds: [media.id], visibility: 'public' }, meta);
  const second = await masto.v1.statuses.create({ status: text, mediaIds: [media.id], visibility: 'public' }, meta);
  assert.equal(second.id, first.id);
  assert.equal(first.url, `${fake.url}/@alice/${first.id}`);
  assert.deepEqual(first.tags.map((t) => t.name), ['morning', 'café']);
  const { statuses, status_posts } = fake.received();
  assert.equal(statuses.length, 1);
  assert.equal(statuses[0].text, text);
  assert.equal(statuses[0].idempotency_key, key);
  assert.deepEqual(statuses[0].media_descriptions, ['alt']);
  assert.deepEqual(status_posts.map((p) => [p.status, Boolean(p.replayed)]), [[200, false], [200, true]]);
  const again = await masto.v1.statuses.$select(first.id).fetch();
  assert.equal(again.id, first.id);
});

test('max_characters counts graphemes and every URL as 23', async () => {
  const { masto } = await signIn();
  const url = `https://example.com/${'x'.repeat(200)}`;
  const fits = `${'é'.repeat(120 - 24)} ${url}`; // 96 + 1 + 23 = 120
  assert.ok((await masto.v1.statuses.create({ status: fits })).id);
  await rejects(masto.v1.statuses.create({ status: `!${fits}` }), 422, /character limit of 120 exceeded/);
  await rejects(masto.v1.statuses.create({ status: '👩‍👩‍👧'.repeat(121) }), 422, /character limit/);
  assert.ok((await masto.v1.statuses.create({ status: '👩‍👩‍👧'.repeat(120) })).id);
});

test('a revoked token answers 401, and only its own app may revoke it', async () => {
  const { app, token, masto } = await signIn();
  const other = await registerApp();
  const oauth = createOAuthAPIClient({ url: fake.url });
  await rejects(oauth.revoke({ clientId: other.clientId, clientSecret: other.clientSecret, token: token.accessToken }), 403, /unauthorized_client/);
  assert.equal((await masto.v1.accounts.verifyCredentials()).username, 'alice');
  await oauth.revoke({ clientId: app.clientId, clientSecret: app.clientSecret, token: token.accessToken });
  await rejects(masto.v1.accounts.verifyCredentials(), 401, /revoked/);
  await rejects(masto.v1.statuses.create({ status: 'after revoke' }), 401);
});

test('injected faults: 401, 429 with X-RateLimit-Reset, 503, each for the next N requests only', async () => {
  const { masto } = await signIn();
  fake.inject({ path: '/api/v1/statuses', status: 401 });
  await rejects(masto.v1.statuses.create({ status: 'a' }), 401);
  const resetAt = new Date(Date.now() + 90_000);
  fake.inject({ path: '/api/v1/statuses', status: 429, reset_at: resetAt.toISOString(), count: 2 });
  for (let i = 0; i < 2; i++) {
    const res = await fetch(`${fake.url}/api/v1/statuses`, { method: 'POST', headers: { Authorization: `Bearer x`, 'Content-Type': 'application/json' }, body: '{}' });
    assert.equal(res.status, 429);
    assert.equal(res.headers.get('x-ratelimit-remaining'), '0');
    assert.equal(new Date(res.headers.get('x-ratelimit-reset')).getTime(), resetAt.getTime());
    assert.match(res.headers.get('x-ratelimit-reset'), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
  }
  // Through the HTTP admin API, as the Deno tests use it.
  const injected = await fetch(`${fake.url}/__admin/faults`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ path: '/api/v1/statuses', status: 503 }) });
  assert.equal(injected.status, 200);
  const unavailable = await fetch(`${fake.url}/api/v1/statuses`, { method: 'POST', headers: { Authorization: 'Bearer x' } });
  assert.equal(unavailable.status, 503);
  assert.match(unavailable.headers.get('content-type'), /^text\/html/);
  await unavailable.body.cancel();
  const ok = await masto.v1.statuses.create({ status: 'c' });
  assert.ok(ok.id);
});

test('a dropped connection after the status is created, then a retry with the same key, leaves one status', async () => {
  const { masto } = await signIn();
  fake.reset();
  fake.inject({ path: '/api/v1/statuses', drop: true });
  const key = 'lost-response-key';
  const meta = { requestInit: { headers: { 'Idempotency-Key': key } } };
  await assert.rejects(masto.v1.statuses.create({ status: 'lost answer' }, meta));
  assert.equal(fake.received().statuses.length, 1, 'the status was created before the connection dropped');
  const retried = await masto.v1.statuses.create({ status: 'lost answer' }, meta);
  const { statuses } = fake.received();
  assert.equal(statuses.length, 1);
  assert.equal(retried.id, statuses[0].id);
});

test('as a program it prints its URL once listening and stops when its stdin closes', async () => {
  const child = spawn(process.execPath, [fileURLToPath(new URL('./mastodon.mjs', import.meta.url)), '--max-characters', '777'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const line = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (c) => {
      out += c;
      if (out.includes('\n')) resolve(out.split('\n')[0]);
    });
    child.once('exit', () => reject(new Error(`exited before printing: ${out}`)));
  });
  const { url } = JSON.parse(line);
  assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);
  const instance = await (await fetch(`${url}/api/v2/instance`)).json();
  assert.equal(instance.configuration.statuses.max_characters, 777);
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.stdin.end();
  assert.equal(await exited, 0);
});
