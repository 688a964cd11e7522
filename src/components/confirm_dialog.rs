//! The page's own confirmation dialog (never `window.confirm`): a [`Modal`] with a title, a
//! message, the action and Cancel. Escape and Cancel close it (not while the action runs);
//! focus returns to whatever opened it.

use leptos::prelude::*;

use crate::components::{Modal, ModalName};

/// A modal confirmation. Shown while `open` is true; `on_confirm` runs the action and
/// `on_close` is called when the dialog closes either way (the owner sets `open` to false).
#[component]
pub fn ConfirmDialog(
    /// Whether the dialog is shown.
    #[prop(into)]
    open: Signal<bool>,
    /// The dialog's title (its accessible name).
    #[prop(into)]
    title: Signal<String>,
    /// What will happen, in a sentence.
    #[prop(into)]
    message: Signal<String>,
    /// The label of the confirming button ("Delete").
    #[prop(into)]
    confirm_label: String,
    /// The label of the dismissing button ("Cancel" unless given: "Keep it" reads better
    /// when the action itself is a cancel).
    #[prop(into, optional)]
    cancel_label: Option<String>,
    /// An error to show inside the dialog (the action failed; the dialog stays open).
    #[prop(into, optional)]
    error: Signal<Option<String>>,
    /// Whether the action is running (the buttons are disabled, Escape does nothing).
    #[prop(into, optional)]
    busy: Signal<bool>,
    /// Runs the action.
    #[prop(into)]
    on_confirm: Callback<()>,
    /// Called when the dialog closes (cancelled or done).
    #[prop(into)]
    on_close: Callback<()>,
) -> impl IntoView {
    let id = format!("confirm-{}", js_sys::Math::random().to_bits());
    let title_id = format!("{id}-title");
    let message_id = format!("{id}-message");
    view! {
        <Modal
            open
            on_close
            on_closed=on_close
            name=ModalName::LabelledBy(title_id.clone())
            described_by=message_id.clone()
            busy
            class="confirm-dialog"
        >
            <h2 id=title_id>{move || title.get()}</h2>
            <p id=message_id>{move || message.get()}</p>
            {move || error.get().map(|text| view! { <p class="form-error" role="alert">{text}</p> })}
            <div class="form-actions">
                <button
                    type="button"
                    class="button button-danger"
                    disabled=move || busy.get()
                    on:click=move |_| on_confirm.run(())
                >
                    {confirm_label}
                </button>
                <button
                    type="button"
                    class="button"
                    autofocus
                    disabled=move || busy.get()
                    on:click=move |_| on_close.run(())
                >
                    {cancel_label.unwrap_or_else(|| "Cancel".to_owned())}
                </button>
            </div>
        </Modal>
    }
}
