//! What every dialog's `close` handler checks first.

use leptos::html;
use leptos::prelude::*;

/// Whether a `<dialog>`'s `close` event is stale: the event runs in a task after the dialog
/// closed, so when the dialog was opened again meanwhile (Escape, then Enter on the button
/// that opens it), acting on it would shut the new opening.
pub fn reopened_before_close_event(dialog: NodeRef<html::Dialog>) -> bool {
    dialog.get_untracked().is_some_and(|el| el.open())
}
