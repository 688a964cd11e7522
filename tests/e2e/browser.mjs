// Shared set-up for the journeys: Debian Chromium driven by playwright-core (never a
// downloaded browser), one fresh context per test, and every page error made fatal.
import { chromium } from 'playwright-core';

export const APP_URL = process.env.APP_URL ?? 'http://127.0.0.1:3000';

export async function launch() {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}

/** A new context and page; uncaught errors (a wasm panic, a failed load) are collected. */
export async function openPage(browser) {
  const context = await browser.newContext({ baseURL: APP_URL });
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
