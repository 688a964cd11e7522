// Error toasts from a refused action (Generate into a session another tab deleted): an error
// stays while the pointer is over it or focus is in it, past the time an unwatched error of the
// same kind is gone; once left, it goes; a later success on the same thing removes it; leaving
// the page removes it. Two tabs of one creator: one watched (hovered or focused), one not.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch } from './support/chromium.mjs';
import { until } from './support/wait.mjs';
import { goTo, openTab } from './support/tabs.mjs';
import { screenshot } from './support/screenshots.mjs';
import { newCreator } from './support/auth_page.mjs';
import { createSession, imagesLoaded, sessionIdOf } from './support/generate_page.mjs';
import { sql, sqlExec } from './support/data.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const REFUSAL = 'Could not generate';

/** The toast region's error about Generate. */
function errorToast(page) {
  return page.getByRole('status').filter({ has: page.locator('button[aria-label="Dismiss notification"]') })
    .getByText(REFUSAL);
}

/** Asks for one image in the (deleted) session; returns when the refusal is shown. */
async function refusedGenerate(page, prompt) {
  await page.getByRole('textbox', { name: 'Prompt', exact: true }).fill(prompt);
  await page.getByRole('button', { name: 'Generate', exact: true }).click();
  await errorToast(page).waitFor();
  return Date.now();
}

/** Waits until `page`'s error toast is gone; returns when that was seen. */
async function gone(page, what) {
  await until(async () => (await errorToast(page).count()) === 0, { timeout: 90_000, what });
  return Date.now();
}

test('an error outlives its time while hovered or focused, goes once left, and goes when resolved or when its page is left', async () => {
  const creator = await newCreator(browser, 'toasts');
  const watched = creator.page;
  await createSession(watched, 'Soon deleted');
  await watched.waitForURL((url) => sessionIdOf(watched) !== null);
  const sessionId = sessionIdOf(watched);
  const other = await openTab(creator.context);
  await other.page.goto(`/app/generate/${sessionId}`);
  await other.page.getByRole('textbox', { name: 'Prompt', exact: true }).waitFor();
  // Another writer deletes the session: inserting into it is refused by the database.
  sqlExec(`delete from public.sessions where id = '${sessionId}'`);

  // Hovered: the watched tab's error is raised first, the other tab's after it.
  await refusedGenerate(watched, 'Hovered error');
  await errorToast(watched).hover();
  const raised = await refusedGenerate(other.page, 'Unwatched error');
  const unwatchedGone = await gone(other.page, 'the unwatched error to time out');
  assert.ok(unwatchedGone - raised >= 10_000, `an error stays at least 10 s, it stayed ${unwatchedGone - raised} ms`);
  assert.equal(await errorToast(watched).count(), 1, 'the hovered error, older than the one that timed out, is still shown');
  for (const width of [1280, 360]) {
    await watched.setViewportSize({ width, height: 800 });
    await errorToast(watched).hover();
    await screenshot(watched, `toast-error-${width}`);
  }
  await watched.getByRole('heading', { level: 1 }).hover();
  await gone(watched, 'the error to go once the pointer left it');

  // Focused (the pointer elsewhere): the same.
  await refusedGenerate(watched, 'Focused error');
  await watched.getByRole('button', { name: 'Dismiss notification' }).focus();
  const raisedAgain = await refusedGenerate(other.page, 'Unwatched error again');
  await gone(other.page, 'the second unwatched error to time out');
  assert.equal(await errorToast(watched).count(), 1, 'the focused error is still shown');
  await watched.getByRole('textbox', { name: 'Prompt', exact: true }).focus();
  await gone(watched, 'the error to go once focus left it');
  assert.ok(Date.now() - raisedAgain > 0);

  // Resolved: the session is back, and the next Generate there succeeds: the error goes with it.
  await refusedGenerate(watched, 'Error then success');
  sqlExec(`insert into public.sessions (id, user_id, title) values ('${sessionId}', '${creator.userId}', 'Back again')`);
  const prompt = `Success after an error ${Date.now()}`;
  await watched.getByRole('textbox', { name: 'Prompt', exact: true }).fill(prompt);
  await watched.getByRole('button', { name: 'Generate', exact: true }).click();
  await until(() => sql(`select id from public.generations where prompt = '${prompt}'`).length === 1, { what: 'the batch' });
  await imagesLoaded(watched, prompt, 1);
  assert.equal(await errorToast(watched).count(), 0, 'a batch that started in the session removes its Generate error');

  // Left: the error belongs to the Generate page; on the Posts page it is gone.
  sqlExec(`delete from public.sessions where id = '${sessionId}'`);
  await refusedGenerate(watched, 'Error left behind');
  await goTo(watched, 'Posts');
  await watched.waitForURL('**/app/posts');
  await watched.getByRole('heading', { level: 1, name: 'Posts' }).waitFor();
  assert.equal(await errorToast(watched).count(), 0, 'leaving the page removes its errors');

  assert.deepEqual([...creator.errors, ...other.errors], []);
  await creator.context.close();
});
