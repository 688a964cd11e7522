// Helpers of the publishing journeys (issue 11): fixtures made as the creator through REST
// (their own token, so RLS decides), completed generations from the demo provider, the
// post-production dialog and the app's toasts. The browser helpers live in browser.mjs.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import {
  APP_URL, PASSWORD, results, serviceRest, signUp, uniqueEmail, until, watchDialogs,
} from './browser.mjs';

const { API_URL, ANON_KEY, DB_URL } = process.env;

/** One data-changing statement with `returning` through psql (superuser); its rows as JSON objects. */
export function sqlWrite(statement) {
  const out = execFileSync('psql', [DB_URL, '-X', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-c',
    `with q as (${statement}) select coalesce(json_agg(q), '[]') from q`], { encoding: 'utf8' });
  return JSON.parse(out.trim());
}

/** The signed-in creator's access token, as the app stored it. */
export async function tokenOf(page) {
  return page.evaluate(() => JSON.parse(localStorage.getItem('atelier.auth')).access_token);
}

/** REST (or `rpc/…`) as the creator of `page`. Returns the parsed body; throws on an error status. */
export async function userRest(page, path, { method = 'GET', body, prefer = 'return=representation' } = {}) {
  const token = await tokenOf(page);
  const res = await fetch(`${API_URL}/rest/v1/${path}`, {
    method,
    headers: { apikey: ANON_KEY, authorization: `Bearer ${token}`, 'content-type': 'application/json', prefer },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : null;
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
 * Like browser.mjs's newCreator, in a browser whose own time zone is `timezoneId` (the zone a
 * schedule is read in when the selected accounts' zones differ).
 */
export async function newCreatorIn(browser, timezoneId, who = 'creator') {
  const context = await browser.newContext({ baseURL: APP_URL, timezoneId });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (err) => errors.push(err.message));
  page.setDefaultTimeout(15_000);
  const dialogs = watchDialogs(page);
  const email = uniqueEmail(who);
  await signUp(page, email, PASSWORD);
  await page.waitForURL('**/app/generate');
  const userId = await page.evaluate(() => JSON.parse(localStorage.getItem('atelier.auth')).user.id);
  return { context, page, errors, dialogs, email, userId };
}

/** The post dialog ("Post"). */
export function postProduction(page) {
  return page.getByRole('dialog', { name: 'Post', exact: true });
}

/** Opens the generate page on the generation's session, then "Post…" on its card. */
export async function openPostFor(page, generation) {
  if (!page.url().endsWith(`/app/generate/${generation.session_id}`)) {
    await page.goto(`/app/generate/${generation.session_id}`);
  }
  const card = results(page).getByRole('listitem').filter({ hasText: generation.prompt });
  await card.getByRole('button', { name: 'Post…' }).click();
  const dialog = postProduction(page);
  await dialog.getByRole('heading', { name: 'Caption', exact: true }).waitFor();
  return dialog;
}

/** Moves to step 3 with Next. */
export async function toDistribution(dialog) {
  for (const heading of ['Hashtags', 'Distribution']) {
    await dialog.getByRole('button', { name: 'Next' }).click();
    await dialog.getByRole('heading', { name: heading, exact: true }).waitFor();
  }
}

/** The accounts group of step 3. */
export function accountsGroup(dialog) {
  return dialog.getByRole('group', { name: 'Accounts' });
}

/** The app's toasts (the role=status region). */
export function toasts(page) {
  return page.getByRole('status');
}

/** Asserts the page raised no error and no native dialog. */
export function noErrors(opened) {
  assert.deepEqual(opened.errors, [], 'no page error');
  assert.deepEqual(opened.dialogs, [], 'no native dialog');
}

const SCREENSHOTS = fileURLToPath(new URL('../.artifacts/screenshots/', import.meta.url));

/**
 * Saves what the viewport shows (a modal dialog as the creator sees it, not the page scrolled
 * under it) to tests/.artifacts/screenshots/<name>.png; returns its path.
 */
export async function viewportShot(page, name) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = `${SCREENSHOTS}${name}.png`;
  await page.screenshot({ path, animations: 'disabled', caret: 'hide' });
  return path;
}

export { sql, serviceRest, until } from './browser.mjs';
