//! "Change password" in the header: a [`Modal`] (focus stays inside it, Escape closes it
//! unless saving, focus returns to the button) with the new password twice. Mistakes are said
//! inline and send nothing; success closes it with a toast.

use leptos::html;
use leptos::prelude::*;

use crate::components::{FocusFallback, Modal, ModalName};
use crate::services::auth::{self as auth_service, PasswordChangeError};
use crate::services::Services;

/// The header button and its dialog.
#[component]
pub fn ChangePassword() -> impl IntoView {
    let app = Services::expect_context();
    let shown = RwSignal::new(false);
    let opener = NodeRef::<html::Button>::new();
    let new_password = RwSignal::new(String::new());
    let repeat = RwSignal::new(String::new());
    let error = RwSignal::new(None::<PasswordChangeError>);
    let save = Action::new_local(move |(new, again): &(String, String)| {
        let (new, again) = (new.clone(), again.clone());
        async move {
            match auth_service::change_password(app.auth, app.ui, new, again).await {
                Ok(()) => {
                    app.ui.push_success("Password changed.");
                    shown.set(false);
                }
                Err(e) => error.set(Some(e)),
            }
        }
    });
    let busy = save.pending();
    let clear = move || {
        new_password.set(String::new());
        repeat.set(String::new());
        error.set(None);
    };
    let open = move |_| {
        clear();
        shown.set(true);
    };
    let button: FocusFallback = Callback::new(move |_| opener.get_untracked().map(|el| el.into()));
    // Which field the message is about (it is read with that field).
    let on_repeat = move || matches!(error.get(), Some(PasswordChangeError::Mismatch));
    let on_new = move || error.with(|e| e.is_some()) && !on_repeat();
    view! {
        <button type="button" class="button button-ghost" node_ref=opener aria-haspopup="dialog" on:click=open>
            "Change password"
        </button>
        <Modal
            open=shown
            on_close=move |_| shown.set(false)
            on_closed=move |_| clear()
            name=ModalName::LabelledBy("password-title".to_owned())
            busy
            return_focus=button
            class="password-dialog"
        >
            <form novalidate on:submit=move |ev| {
                ev.prevent_default();
                error.set(None);
                save.dispatch((new_password.get_untracked(), repeat.get_untracked()));
            }>
                <h2 id="password-title">"Change password"</h2>
                <p class="muted">{format!("At least {} characters. You stay signed in here.", auth_service::MIN_PASSWORD_LENGTH)}</p>
                <div class="field">
                    <label for="new-password">"New password"</label>
                    <input id="new-password" type="password" autocomplete="new-password" autofocus
                        aria-invalid=move || on_new().to_string()
                        aria-describedby=move || on_new().then_some("password-error")
                        bind:value=new_password />
                </div>
                <div class="field">
                    <label for="repeat-password">"Repeat new password"</label>
                    <input id="repeat-password" type="password" autocomplete="new-password"
                        aria-invalid=move || on_repeat().to_string()
                        aria-describedby=move || on_repeat().then_some("password-error")
                        bind:value=repeat />
                </div>
                {move || error.get().map(|e| view! { <p id="password-error" class="form-error" role="alert">{e.to_string()}</p> })}
                <div class="form-actions">
                    <button type="submit" class="button button-primary" disabled=move || busy.get()>"Save password"</button>
                    <button type="button" class="button" disabled=move || busy.get()
                        on:click=move |_| shown.set(false)>"Cancel"</button>
                </div>
            </form>
        </Modal>
    }
}
