// A fresh browser context and page per test on the app (APP_URL), with its page errors and
// native dialogs recorded (page_errors.mjs), and the app-wide parts every page shares: the
// main navigation and the toasts.
import { collectPageErrors, watchDialogs } from './page_errors.mjs';

export const APP_URL = process.env.APP_URL ?? 'http://127.0.0.1:3000';

/**
 * A new context and page; uncaught errors are collected in `errors`.
 * `baseURL`: another app server than APP_URL (one in front of a stack of the journey's own);
 * the other options go to `browser.newContext` (viewport, timezoneId, …).
 */
export async function openPage(browser, { baseURL = APP_URL, ...contextOptions } = {}) {
  const context = await browser.newContext({ baseURL, ...contextOptions });
  const page = await context.newPage();
  const errors = collectPageErrors(page);
  page.setDefaultTimeout(15_000);
  return { context, page, errors };
}

/** Like openPage, and also records every native dialog in `dialogs`, which must stay empty. */
export async function openWatchedPage(browser, options = {}) {
  const opened = await openPage(browser, options);
  opened.dialogs = watchDialogs(opened.page);
  return opened;
}

/** A page of an existing context (a second tab), with its errors and native dialogs recorded. */
export async function openTab(context) {
  const page = await context.newPage();
  const errors = collectPageErrors(page);
  page.setDefaultTimeout(15_000);
  return { page, errors, dialogs: watchDialogs(page) };
}

/** Follows the main navigation's link `name` ("Generate", "Posts", "Accounts"). */
export function goTo(page, name) {
  return page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name }).click();
}

/** The app's toasts (the role=status region). */
export function toasts(page) {
  return page.getByRole('status');
}
