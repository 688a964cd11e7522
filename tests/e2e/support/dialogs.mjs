// A modal dialog's keyboard path: opened with Enter on its opener (reached by Tab), focus inside
// it, Tab and Shift+Tab going round its controls without ever reaching the page behind, and
// Escape closing it with focus back on the opener.
import assert from 'node:assert/strict';
import { focusState, isFocused, tabTo } from './a11y.mjs';

/** Whether `dialog` is open as a modal (the page behind it inert) and holds the focus. */
export function focusIsInside(dialog) {
  return dialog.evaluate((d) => d.matches(':modal') && d.contains(document.activeElement));
}

/**
 * Tabs to `opener` (at most `max` presses; none when it has focus already) and presses Enter;
 * waits for `dialog` and checks that it is modal and that focus moved into it.
 */
export async function openWithKeyboard(page, opener, dialog, { what, max = 80 } = {}) {
  await opener.waitFor();
  if (!(await isFocused(opener))) await tabTo(page, opener, { max, what: `the opener of ${what}` });
  await page.keyboard.press('Enter');
  await dialog.waitFor();
  assert.ok(await focusIsInside(dialog),
    `${what}: opening puts focus inside the modal dialog, not on ${(await focusState(page)).element}`);
}

/**
 * Presses `key` until focus is back where it started, checking after every press that it is
 * still inside `dialog`; fails when it leaves or never comes back in `max` presses. Returns
 * the stops made.
 */
export async function cycleFocus(page, dialog, { key = 'Tab', what, max = 40 } = {}) {
  const start = await page.evaluateHandle(() => document.activeElement);
  const stops = [];
  for (let i = 0; i < max; i += 1) {
    await page.keyboard.press(key);
    stops.push((await focusState(page)).element);
    assert.ok(await focusIsInside(dialog),
      `${what}: ${key} left the dialog for ${stops.at(-1)}; stops: ${stops.join(' → ')}`);
    if (await start.evaluate((el) => el === document.activeElement)) return stops;
  }
  assert.fail(`${what}: ${key} did not come round to where it started in ${max} presses; stops: ${stops.join(' → ')}`);
}

/**
 * The whole path for one dialog: open it from `opener` with the keyboard, go round it with Tab
 * and with Shift+Tab, close it with Escape, and find focus back on `opener` (or on
 * `returnsTo` when the opener is redrawn or another control takes it).
 */
export async function keyboardPath(page, opener, dialog, { what, max, returnsTo = opener } = {}) {
  await openWithKeyboard(page, opener, dialog, { what, max });
  const forward = await cycleFocus(page, dialog, { what });
  assert.ok(forward.length > 1, `${what}: Tab goes round more than one control (${forward.join(' → ')})`);
  await cycleFocus(page, dialog, { key: 'Shift+Tab', what });
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'hidden' });
  assert.ok(await isFocused(returnsTo),
    `${what}: Escape returns focus to its opener, not to ${(await focusState(page)).element}`);
}
