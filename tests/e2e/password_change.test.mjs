// Changing the password from the header: the dialog is reached and used with the keyboard
// alone; a mismatch, a too-short password and a server refusal are said inline and send
// nothing (or change nothing); Escape returns focus to the button; after a change the old
// password no longer signs in and the new one does.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch } from './support/chromium.mjs';
import { newCreator, PASSWORD, signIn } from './support/auth_page.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const NEW_PASSWORD = 'brand-new-horse-8';

/** The PUT /auth/v1/user requests the page sends (their JSON bodies). */
function watchPasswordUpdates(page) {
  const sent = [];
  page.on('request', (r) => {
    if (r.method() === 'PUT' && new URL(r.url()).pathname.endsWith('/auth/v1/user')) sent.push(r.postDataJSON());
  });
  return sent;
}

/** The accessible name of the focused element. */
const focusedName = (page) => page.evaluate(() => {
  const el = document.activeElement;
  return el?.labels?.[0]?.textContent.trim() ?? el?.textContent.trim();
});

test('Change password: mistakes are said inline and send nothing; the new password replaces the old one', async () => {
  const creator = await newCreator(browser, 'password');
  const { page } = creator;
  const sent = watchPasswordUpdates(page);
  const opener = page.getByRole('banner').getByRole('button', { name: 'Change password' });
  const dialog = page.getByRole('dialog', { name: 'Change password' });
  const newField = dialog.getByLabel('New password', { exact: true });
  const repeatField = dialog.getByLabel('Repeat new password', { exact: true });
  const alert = dialog.getByRole('alert');

  // Keyboard: focus the button, open it with Enter; focus lands in the first field.
  await opener.focus();
  await page.keyboard.press('Enter');
  await dialog.waitFor();
  assert.equal(await focusedName(page), 'New password');

  // Different passwords: said inline, nothing sent.
  await page.keyboard.type('first-choice-1');
  await page.keyboard.press('Tab');
  assert.equal(await focusedName(page), 'Repeat new password');
  await page.keyboard.type('second-choice-2');
  await page.keyboard.press('Tab');
  assert.equal(await focusedName(page), 'Save password');
  // Reached by keyboard: the focus ring shows.
  const ring = await page.evaluate(() => {
    const el = document.activeElement;
    return { visible: el.matches(':focus-visible'), outline: getComputedStyle(el).outlineStyle };
  });
  assert.ok(ring.visible && ring.outline !== 'none', `focus visible on Save password: ${JSON.stringify(ring)}`);
  await page.keyboard.press('Enter');
  await alert.getByText('The two passwords do not match', { exact: false }).waitFor();
  assert.equal(await repeatField.getAttribute('aria-invalid'), 'true');

  // Too short for the server's minimum (6): said inline, nothing sent.
  await newField.fill('abc');
  await repeatField.fill('abc');
  await dialog.getByRole('button', { name: 'Save password' }).click();
  await alert.getByText('use at least 6 characters', { exact: false }).waitFor();
  assert.equal(await newField.getAttribute('aria-invalid'), 'true');
  assert.deepEqual(sent, [], 'nothing was sent for a mismatch or a too-short password');

  // The server fails: said in words, the password unchanged (checked below by signing in).
  await page.route((url) => url.pathname.endsWith('/auth/v1/user'), (route) => (route.request().method() === 'PUT'
    ? route.fulfill({ status: 500, contentType: 'application/json', body: JSON.stringify({ code: 500, error_code: 'unexpected_failure', msg: 'Unexpected failure' }) })
    : route.continue()));
  await newField.fill(NEW_PASSWORD);
  await repeatField.fill(NEW_PASSWORD);
  await dialog.getByRole('button', { name: 'Save password' }).click();
  await alert.getByText('Your password was not changed', { exact: false }).waitFor();
  assert.equal(sent.length, 1);
  await page.unrouteAll();

  // The current password again: the server refuses it, said in words.
  await newField.fill(PASSWORD);
  await repeatField.fill(PASSWORD);
  await dialog.getByRole('button', { name: 'Save password' }).click();
  await alert.getByText('That is already your password', { exact: false }).waitFor();

  // Escape closes it and focus returns to the button.
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'hidden' });
  assert.equal(await focusedName(page), 'Change password');

  // Reopened: empty, no message left over. The new password, by keyboard.
  await page.keyboard.press('Enter');
  await dialog.waitFor();
  assert.equal(await newField.inputValue(), '');
  assert.equal(await alert.count(), 0);
  await page.keyboard.type(NEW_PASSWORD);
  await page.keyboard.press('Tab');
  await page.keyboard.type(NEW_PASSWORD);
  await page.keyboard.press('Enter');
  await page.getByRole('status').getByText('Password changed.', { exact: true }).waitFor();
  await dialog.waitFor({ state: 'hidden' });
  assert.equal(await focusedName(page), 'Change password');
  assert.deepEqual(sent.at(-1), { password: NEW_PASSWORD });

  // Signed out: the old password fails, the new one signs in.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL('**/login**');
  await signIn(page, creator.email, PASSWORD);
  await page.getByRole('alert').getByText('Invalid login credentials', { exact: false }).waitFor();
  await signIn(page, creator.email, NEW_PASSWORD);
  await page.waitForURL('**/app/generate**');
  assert.deepEqual(creator.errors, []);
  assert.deepEqual(creator.dialogs, []);
  await creator.context.close();
});
