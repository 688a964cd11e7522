// What a page must never do, recorded as it happens and asserted at the end: an uncaught error
// (a wasm panic, a failed load) or a native dialog (alert/confirm/prompt).
import assert from 'node:assert/strict';

/** The messages of every uncaught error `page` raises from now on (the array fills as they come). */
export function collectPageErrors(page) {
  const errors = [];
  page.on('pageerror', (err) => errors.push(err.message));
  return errors;
}

/** Records (and dismisses, so the page does not hang) the native dialogs a page raises. */
export function watchDialogs(page) {
  const dialogs = [];
  page.on('dialog', (dialog) => {
    dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    dialog.dismiss().catch(() => {});
  });
  return dialogs;
}

/** Asserts each opened page (`{ errors, dialogs }`) raised no error and no native dialog. */
export function noErrors(...opened) {
  for (const o of opened) {
    assert.deepEqual(o.errors, [], 'no page error');
    assert.deepEqual(o.dialogs, [], 'no native dialog');
  }
}
