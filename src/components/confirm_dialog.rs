//! The page's own confirmation dialog (never `window.confirm`): a modal `<dialog>` with a
//! title, a message, the action and Cancel. Escape and Cancel close it; focus returns to
//! whatever opened it.

use leptos::html;
use leptos::prelude::*;

use crate::components::dialog_close::reopened_before_close_event;

/// A modal confirmation. Shown while `open` is true; `on_confirm` runs the action and
/// `on_close` is called when the dialog closes either way.
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
    /// Whether the action is running (the buttons are disabled).
    #[prop(into, optional)]
    busy: Signal<bool>,
    /// Runs the action.
    #[prop(into)]
    on_confirm: Callback<()>,
    /// Called when the dialog closes (cancelled or done).
    #[prop(into)]
    on_close: Callback<()>,
) -> impl IntoView {
    let dialog = NodeRef::<html::Dialog>::new();
    let opener: StoredValue<Option<web_sys::HtmlElement>, LocalStorage> = StoredValue::new_local(None);
    Effect::new(move |_| {
        let Some(el) = dialog.get() else { return };
        if open.get() && !el.open() {
            let active = document().active_element().and_then(|e| wasm_bindgen::JsCast::dyn_into(e).ok());
            opener.set_value(active);
            let _ = el.show_modal();
        } else if !open.get() && el.open() {
            el.close();
        }
    });
    let closed = move |_| {
        if reopened_before_close_event(dialog) {
            return;
        }
        if let Some(el) = opener.get_value() {
            let _ = el.focus();
        }
        on_close.run(());
    };
    let id = format!("confirm-{}", js_sys::Math::random().to_bits());
    let title_id = format!("{id}-title");
    let message_id = format!("{id}-message");
    view! {
        <dialog
            class="dialog confirm-dialog"
            node_ref=dialog
            aria-labelledby=title_id.clone()
            aria-describedby=message_id.clone()
            on:close=closed
        >
            <h2 id=title_id.clone()>{move || title.get()}</h2>
            <p id=message_id.clone()>{move || message.get()}</p>
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
                    on:click=move |_| {
                        if let Some(el) = dialog.get_untracked() {
                            el.close();
                        }
                    }
                >
                    {cancel_label.unwrap_or_else(|| "Cancel".to_owned())}
                </button>
            </div>
        </dialog>
    }
}
