//! "Add an account" inside the Distribution step: the Accounts page's mock-account form, shown
//! in the dialog, so the draft never has to be left; the account it adds comes back selected.

use leptos::prelude::*;

use crate::components::accounts::AddAccountForm;
use crate::domain::ConnectedAccount;
use crate::services::Services;

/// The button and, once pressed, the form.
#[component]
pub fn AddAccountInline() -> impl IntoView {
    let publish = Services::expect_context().publish;
    let adding = RwSignal::new(false);
    let added = Callback::new(move |account: ConnectedAccount| {
        publish.choose_account(&account.id, true);
        adding.set(false);
        // The form goes away: focus returns to the button that opened it, not to the page.
        request_animation_frame(|| {
            if let Some(el) = document().get_element_by_id("pp-add-account") {
                let _ = wasm_bindgen::JsCast::unchecked_into::<web_sys::HtmlElement>(el).focus();
            }
        });
    });
    view! {
        <div class="pp-add-account">
            <button id="pp-add-account" type="button" class="button button-small"
                aria-expanded=move || adding.get().to_string()
                on:click=move |_| adding.update(|a| *a = !*a)>"Add an account"</button>
            <Show when=move || adding.get()>
                <AddAccountForm on_added=added />
            </Show>
        </div>
    }
}
