// What ships to the CDN holds no secret: the built app (dist/) and what the app server sends
// carry no service-role key, no JWT signing secret and no sb_secret_ key; the anon key is the
// only key, and only in config.js.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { APP_URL } from './support/tabs.mjs';

const DIST = process.env.DIST_DIR ?? 'dist';
const { ANON_KEY, SERVICE_ROLE_KEY } = process.env;

/** The local stack's JWT secret, read from its source so the two can never drift apart. */
function localJwtSecret() {
  const source = readFileSync('supabase/local/src/config.rs', 'utf8');
  const match = source.match(/pub const JWT_SECRET: &str = "([^"]+)"/);
  assert.ok(match, 'JWT_SECRET is declared in supabase/local/src/config.rs');
  return match[1];
}

function filesUnder(dir) {
  // .stage is Trunk's work folder while a build runs (renamed to dist/ at the end), not the build.
  return readdirSync(dir, { withFileTypes: true }).filter((e) => e.name !== '.stage').flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(path) : [path];
  });
}

/** Every file of the build, as text (binary files too: a key would show as plain bytes). */
const dist = filesUnder(DIST).map((path) => ({ name: relative(DIST, path), text: readFileSync(path).toString('latin1') }));

/** Every JWT-shaped string in a text, with its decoded payload. */
function jwtsIn(text) {
  return [...text.matchAll(/eyJ[\w-]+\.(eyJ[\w-]+)\.[\w-]+/g)].map(([token, payload]) => ({
    token, claims: JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')),
  }));
}

test('the build is there to check: index.html, the wasm and config.js', () => {
  const names = dist.map((f) => f.name);
  assert.ok(names.includes('index.html'), `files: ${names.join(', ')}`);
  assert.ok(names.includes('config.js'));
  assert.ok(names.some((n) => n.endsWith('.wasm')));
});

test('no file of the build holds the service-role key, the JWT secret or an sb_secret_ key', () => {
  assert.ok(SERVICE_ROLE_KEY, 'SERVICE_ROLE_KEY is set (scripts/test.sh passes the stack\'s)');
  const secret = localJwtSecret();
  // `supabase-local status -o env` also names the sb_secret_ key and the secret: checked when given.
  const others = [process.env.SECRET_KEY, process.env.JWT_SECRET].filter(Boolean);
  for (const { name, text } of dist) {
    assert.ok(!text.includes(SERVICE_ROLE_KEY), `${name} contains the service-role key`);
    for (const other of others) assert.ok(!text.includes(other), `${name} contains a secret from the stack's env`);
    assert.ok(!text.includes(secret), `${name} contains the JWT secret`);
    assert.ok(!/sb_secret_/.test(text), `${name} contains an sb_secret_ key`);
  }
});

/** The local stack's development key for sealing platform tokens (a function secret, never the app's). */
function localTokenKey() {
  const source = readFileSync('supabase/local/src/config.rs', 'utf8');
  const match = source.match(/pub const DEV_TOKEN_KEY: &str = "([^"]+)"/);
  assert.ok(match, 'DEV_TOKEN_KEY is declared in supabase/local/src/config.rs');
  return match[1];
}

test('no file of the build holds the key that seals Bluesky and Mastodon tokens', () => {
  const key = localTokenKey();
  for (const { name, text } of dist) {
    assert.ok(!text.includes(key), `${name} contains the token-sealing key`);
    assert.ok(!/ATELIER_TOKEN_KEY/.test(text), `${name} names the token-sealing secret`);
  }
});

test('the only key in the build is the anon key, and only in config.js', () => {
  const found = dist.flatMap(({ name, text }) => jwtsIn(text).map((jwt) => ({ name, ...jwt })));
  assert.ok(found.length > 0, 'config.js carries the anon key');
  for (const { name, token, claims } of found) {
    assert.equal(name, 'config.js', `a JWT in ${name}`);
    assert.equal(claims.role, 'anon', `a ${claims.role} JWT in ${name}`);
    if (ANON_KEY) assert.equal(token, ANON_KEY);
  }
});

test('the app server hands the browser the anon key and nothing stronger', async () => {
  const config = await (await fetch(`${APP_URL}/config.js`)).text();
  const tokens = jwtsIn(config);
  assert.equal(tokens.length, 1, config);
  assert.equal(tokens[0].claims.role, 'anon');
  if (ANON_KEY) assert.equal(tokens[0].token, ANON_KEY);
  assert.ok(!config.includes(SERVICE_ROLE_KEY));
});
