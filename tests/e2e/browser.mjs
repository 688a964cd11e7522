// Shared set-up for the journeys: Debian Chromium driven by playwright-core (never a
// downloaded browser), one fresh context per test, and every page error made fatal.
import { chromium } from 'playwright-core';

export const APP_URL = process.env.APP_URL ?? 'http://127.0.0.1:3000';

/**
 * How much slower than this machine every page's CPU runs: `E2E_CPU_THROTTLE=4` slows each
 * page the journeys open 4× (CDP `Emulation.setCPUThrottlingRate`), so races between the app
 * and its data show up as they do on a busy machine. Unset or 1: full speed.
 */
export const CPU_THROTTLE = Number(process.env.E2E_CPU_THROTTLE ?? 1);
if (!(CPU_THROTTLE >= 1)) throw new Error(`E2E_CPU_THROTTLE must be a number >= 1, got ${process.env.E2E_CPU_THROTTLE}`);

/** Slows `page`'s CPU by CPU_THROTTLE (once per page). */
const throttled = new WeakSet();
export async function throttle(page, rate = CPU_THROTTLE) {
  if (rate <= 1 || throttled.has(page)) return;
  throttled.add(page);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate });
}

export async function launch() {
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
  if (CPU_THROTTLE > 1) throttleEveryPage(browser);
  return browser;
}

/**
 * Every context the journeys make throttles each of its pages: `newPage` resolves only once the
 * page is slowed, and pages the app opens itself (popups) are slowed as they appear.
 */
function throttleEveryPage(browser) {
  const newContext = browser.newContext.bind(browser);
  browser.newContext = async (...args) => {
    const context = await newContext(...args);
    const newPage = context.newPage.bind(context);
    context.newPage = async (...pageArgs) => {
      const page = await newPage(...pageArgs);
      await throttle(page);
      return page;
    };
    context.on('page', (page) => { throttle(page).catch(() => {}); });
    return context;
  };
}

/**
 * A new context and page; uncaught errors (a wasm panic, a failed load) are collected.
 * `baseURL`: another app server than APP_URL (one in front of a stack of the journey's own).
 */
export async function openPage(browser, { baseURL = APP_URL } = {}) {
  const context = await browser.newContext({ baseURL });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (err) => errors.push(err.message));
  page.setDefaultTimeout(15_000);
  return { context, page, errors };
}

export function uniqueEmail(who) {
  return `${who}-${Date.now()}-${Math.floor(Math.random() * 1e6)}@atelier.test`;
}

export async function signUp(page, email, password) {
  await page.goto('/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Create account' }).click();
}

export async function signIn(page, email, password) {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

export function sessionRail(page) {
  return page.getByRole('navigation', { name: 'Sessions' });
}

export async function createSession(page, title) {
  await sessionRail(page).getByRole('button', { name: 'New session' }).click();
  await page.getByLabel('Session title').fill(title);
  await page.getByRole('button', { name: 'Create', exact: true }).click();
}

// --- helpers of the Generate journeys (issue 10) -------------------------------------------
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const PASSWORD = 'correct-horse-7';
const { API_URL, SERVICE_ROLE_KEY, DB_URL } = process.env;

/**
 * Like openPage, and also records every native dialog (alert/confirm/prompt), which the app
 * must never raise: a journey asserts `dialogs` stays empty. The dialog is dismissed so the
 * page does not hang.
 */
export async function openWatchedPage(browser, options = {}) {
  const opened = await openPage(browser, options);
  opened.dialogs = watchDialogs(opened.page);
  return opened;
}

/** Records (and dismisses) the native dialogs a page raises. */
export function watchDialogs(page) {
  const dialogs = [];
  page.on('dialog', (dialog) => {
    dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    dialog.dismiss().catch(() => {});
  });
  return dialogs;
}

/** A page of an existing context (a second tab), with its errors and native dialogs recorded. */
export async function openTab(context) {
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (err) => errors.push(err.message));
  page.setDefaultTimeout(15_000);
  return { page, errors, dialogs: watchDialogs(page) };
}

/** Signs a new creator up in a fresh context and waits for the workspace (`options` as openPage's). */
export async function newCreator(browser, who = 'creator', options = {}) {
  const opened = await openWatchedPage(browser, options);
  // Generations run on a shared, sometimes busy machine: allow for a slow provider.
  opened.page.setDefaultTimeout(25_000);
  opened.email = uniqueEmail(who);
  await signUp(opened.page, opened.email, PASSWORD);
  await opened.page.waitForURL('**/app/generate');
  opened.userId = await opened.page.evaluate(() => JSON.parse(localStorage.getItem('atelier.auth')).user.id);
  return opened;
}

/**
 * The result grid's region, and its cards: the items of its "Outputs" list, one per generation,
 * newest first (a card's own "Posted to" list is not a card).
 */
export function results(page) {
  return page.getByRole('region', { name: 'Results' });
}
export function resultCards(page) {
  return results(page).getByRole('list', { name: 'Outputs', exact: true }).locator(':scope > li');
}

/** Fills the canvas and presses Generate. `kind` is "Image" or "Video". */
export async function generate(page, prompt, { count = 1, kind = 'Image' } = {}) {
  await page.getByRole('group', { name: 'Kind' }).getByRole('radio', { name: kind }).check();
  await page.getByRole('spinbutton', { name: 'Count' }).fill(String(count));
  await page.getByRole('textbox', { name: 'Prompt', exact: true }).fill(prompt);
  await page.getByRole('button', { name: 'Generate', exact: true }).click();
}

/** The session id the URL names (/app/generate/<uuid>), or null. */
export function sessionIdOf(page) {
  const m = new URL(page.url()).pathname.match(/^\/app\/generate\/([0-9a-f-]{36})$/);
  return m ? m[1] : null;
}

/** Polls `check` (sync or async) until it returns a truthy value; that value is returned. */
export async function until(check, { timeout = 15_000, every = 100, what = 'condition' } = {}) {
  const end = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      last = await check();
      if (last) return last;
    } catch (e) { last = e; }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what} (last: ${last instanceof Error ? last.message : JSON.stringify(last)})`);
    await new Promise((r) => setTimeout(r, every));
  }
}

/** The grid's finished images of `prompt` (an <img> whose alt is the prompt). */
export function resultImages(page, prompt) {
  return results(page).getByRole('img', { name: prompt, exact: true });
}

/** Waits until `count` images of `prompt` are in the grid and decoded; returns their natural widths. */
export async function imagesLoaded(page, prompt, count) {
  const images = resultImages(page, prompt);
  return until(async () => {
    // Images load lazily: bring the first one still waiting into view.
    const widths = await images.evaluateAll((els) => {
      const waiting = els.find((i) => !(i.complete && i.naturalWidth > 0));
      waiting?.scrollIntoView({ block: 'center' });
      return els.map((i) => (i.complete ? i.naturalWidth : 0));
    });
    return widths.length === count && widths.every((w) => w > 0) && widths;
  }, { timeout: 30_000, what: `${count} decoded images of "${prompt}"` });
}

/** REST as the service role: the "other writer" of the journeys. Returns the parsed body. */
export async function serviceRest(path, { method = 'GET', body, prefer = 'return=representation' } = {}) {
  const res = await fetch(`${API_URL}/rest/v1/${path}`, {
    method,
    headers: {
      apikey: SERVICE_ROLE_KEY,
      authorization: `Bearer ${SERVICE_ROLE_KEY}`,
      'content-type': 'application/json',
      prefer,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

/** Updates generation rows as the service role (`filter` e.g. "id=eq.X"). */
export function patchGenerations(filter, values) {
  return serviceRest(`generations?${filter}`, { method: 'PATCH', body: values });
}

/**
 * One SQL statement through psql on the stack's database (superuser); rows as JSON objects.
 * `dbUrl`: another stack's database than DB_URL.
 */
export function sql(query, { dbUrl = DB_URL } = {}) {
  const out = execFileSync('psql', [dbUrl, '-X', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-c',
    `select coalesce(json_agg(q), '[]') from (${query}) q`], { encoding: 'utf8' });
  return JSON.parse(out.trim());
}

/** Runs SQL statements (DML, several at once) on the stack's database as the superuser. */
export function sqlExec(statements) {
  execFileSync('psql', [DB_URL, '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-c', statements], { encoding: 'utf8' });
}

const SCREENSHOTS = fileURLToPath(new URL('../.artifacts/screenshots/', import.meta.url));

/** Saves a full-page screenshot to tests/.artifacts/screenshots/<name>.png; returns its path. */
export async function screenshot(page, name) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = `${SCREENSHOTS}${name}.png`;
  await page.screenshot({ path, fullPage: true });
  return path;
}
