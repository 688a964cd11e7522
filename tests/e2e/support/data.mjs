// Fixtures and checks outside the browser: REST as the service role (the "other writer") or as
// a creator (their own token, so RLS decides), SQL as the superuser, and the rows a journey
// starts from (accounts, completed generations, creators made over the API).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { PASSWORD, uniqueEmail } from './auth_page.mjs';
import { tokenOf } from './session.mjs';
import { until } from './wait.mjs';

const { API_URL, ANON_KEY, SERVICE_ROLE_KEY, DB_URL } = process.env;

/** REST with `token` under `apikey`; the parsed body; throws on an error status. */
async function rest(path, { apikey, token, method = 'GET', body, prefer = 'return=representation' }) {
  const res = await fetch(`${API_URL}/rest/v1/${path}`, {
    method,
    headers: { apikey, authorization: `Bearer ${token}`, 'content-type': 'application/json', prefer },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

/** REST as the service role: the "other writer" of the journeys. Returns the parsed body. */
export function serviceRest(path, options = {}) {
  return rest(path, { ...options, apikey: SERVICE_ROLE_KEY, token: SERVICE_ROLE_KEY });
}

/** REST (or `rpc/…`) as the creator of `page`. Returns the parsed body; throws on an error status. */
export async function userRest(page, path, options = {}) {
  return rest(path, { ...options, apikey: ANON_KEY, token: await tokenOf(page) });
}

/** Updates generation rows as the service role (`filter` e.g. "id=eq.X"). */
export function patchGenerations(filter, values) {
  return serviceRest(`generations?${filter}`, { method: 'PATCH', body: values });
}

/** psql on `dbUrl` as the superuser, stopping at the first error; its output. */
function psql(dbUrl, flags, statement) {
  return execFileSync('psql', [dbUrl, '-X', ...flags, '-v', 'ON_ERROR_STOP=1', '-c', statement], { encoding: 'utf8' });
}

/**
 * One SQL query on the stack's database (superuser); rows as JSON objects.
 * `dbUrl`: another stack's database than DB_URL.
 */
export function sql(query, { dbUrl = DB_URL } = {}) {
  return JSON.parse(psql(dbUrl, ['-A', '-t'], `select coalesce(json_agg(q), '[]') from (${query}) q`).trim());
}

/** One data-changing statement with `returning` (superuser); its rows as JSON objects. */
export function sqlWrite(statement) {
  return JSON.parse(psql(DB_URL, ['-A', '-t'], `with q as (${statement}) select coalesce(json_agg(q), '[]') from q`).trim());
}

/** Runs SQL statements (DML, several at once) on the stack's database as the superuser. */
export function sqlExec(statements) {
  psql(DB_URL, ['-q'], statements);
}

/**
 * The year in which `month`/`day` at `utcHour`:00 UTC next comes, at least an hour from now: a
 * date a post may be scheduled for, since publish_generation takes nothing more than 365 days
 * ahead (a fixed "next year" would be refused for most of the year).
 */
export function yearAhead(month, day, utcHour = 12) {
  const soon = Date.now() + 3_600_000;
  let year = new Date(soon).getUTCFullYear();
  while (Date.UTC(year, month - 1, day, utcHour) <= soon) year += 1;
  return year;
}

/** Creates a mock account as the creator (what "Add mock account" writes). */
export async function addMockAccount(page, platform, handle, timezone = null) {
  const [row] = await userRest(page, 'connected_accounts', {
    method: 'POST', body: { platform, handle, status: 'mock', timezone },
  });
  return row;
}

/** A connected account as a real connection flow would leave it (service role: clients make only mocks). */
export async function addAccountAs(userId, platform, handle, status, timezone = null) {
  const [row] = await serviceRest('connected_accounts', {
    method: 'POST', body: { user_id: userId, platform, handle, status, timezone },
  });
  return row;
}

/**
 * A completed generation of the creator's, made the app's way: a session and a queued row
 * inserted as the creator (with the params start_generation writes), then the demo provider
 * through `generate-media`, which stores real media in storage. Returns the completed row.
 */
export async function completedGeneration(page, prompt, { kind = 'image', seed = 777, targets = [], sessionId } = {}) {
  if (!sessionId) {
    [{ id: sessionId }] = await userRest(page, 'sessions', { method: 'POST', body: { title: prompt.slice(0, 60) } });
  }
  const params = { aspect_ratio: kind === 'video' ? '9:16' : '1:1', count: 1, seed, targets };
  if (kind === 'video') params.duration_ms = 1000;
  const [queued] = await userRest(page, 'generations', {
    method: 'POST', body: { session_id: sessionId, kind, prompt, params },
  });
  const token = await tokenOf(page);
  const res = await fetch(`${API_URL}/functions/v1/generate-media`, {
    method: 'POST',
    headers: { apikey: ANON_KEY, authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ generation_ids: [queued.id] }),
  });
  assert.equal(res.status, 200, `generate-media: ${res.status} ${await res.clone().text()}`);
  const row = await until(async () => {
    const [g] = await serviceRest(`generations?id=eq.${queued.id}&select=*`);
    if (g.status === 'failed') throw new Error(`generation failed: ${g.error}`);
    return g.status === 'completed' && g;
  }, { timeout: 20_000, what: 'the generation to complete' });
  return { ...row, session_id: sessionId };
}

/**
 * `count` completed outputs older than `like` (a completed generation's row) in its session,
 * showing its media, written as the service role in a few inserts; three at a time share
 * `created_at` (as the outputs of one Generate do), so the id breaks ties across page ends.
 * `prompt(i)` names the i-th, newest first.
 */
export async function seedOutputs(like, count, prompt) {
  const base = Date.parse(like.created_at) - 60_000;
  const rows = Array.from({ length: count }, (_, i) => ({
    session_id: like.session_id, user_id: like.user_id, kind: like.kind, prompt: prompt(i), status: 'completed',
    media_path: like.media_path, media_url: like.media_url, thumbnail_url: like.thumbnail_url,
    width: like.width, height: like.height, provider: like.provider, model: like.model, params: like.params,
    created_at: new Date(base - Math.floor(i / 3) * 1000).toISOString(),
  }));
  for (let i = 0; i < rows.length; i += 500) {
    await serviceRest('generations', { method: 'POST', body: rows.slice(i, i + 500), prefer: 'return=minimal' });
  }
}

/**
 * A confirmed creator signed up over the auth API (no browser), with PASSWORD; asserts the
 * sign-up answered 200. Resolves to `{ email, userId }`.
 */
export async function signUpOverApi(who) {
  const email = uniqueEmail(who);
  const res = await fetch(`${API_URL}/auth/v1/signup`, {
    method: 'POST',
    headers: { apikey: ANON_KEY, 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: PASSWORD }),
  });
  const text = await res.text();
  assert.equal(res.status, 200, `sign-up of ${email}: ${res.status} ${text}`);
  const body = JSON.parse(text);
  return { email, userId: body.user?.id ?? body.id };
}

/**
 * A creator made without the browser (signUpOverApi) with one mock Instagram account, written
 * as the server side would (service-role REST). Returns { email, password, userId, accountId }.
 */
export async function seedCreator(who) {
  const { email, userId } = await signUpOverApi(who);
  const [{ id: accountId }] = await serviceRest('connected_accounts', {
    method: 'POST',
    body: { user_id: userId, platform: 'instagram', handle: `${who}.test`, display_name: 'A11y', status: 'mock', timezone: 'Europe/Paris' },
  });
  return { email, password: PASSWORD, userId, accountId };
}
