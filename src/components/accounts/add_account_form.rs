//! "Add a mock account": platform, handle and time zone. The database's message (a duplicate
//! handle, an unknown zone) is shown inline.

use leptos::prelude::*;

use crate::domain::publishing::platform_name;
use crate::domain::{ConnectedAccount, Platform};
use crate::services::{self, Services};

/// The add form on the accounts page (and inside the post dialog, which passes `on_added` to
/// select the account it just added).
#[component]
pub fn AddAccountForm(
    /// Called with the account after a successful add, besides the success message.
    #[prop(optional)]
    on_added: Option<Callback<ConnectedAccount>>,
) -> impl IntoView {
    let app = Services::expect_context();
    let platform = RwSignal::new(Platform::Instagram);
    let handle = RwSignal::new(String::new());
    let zone = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let add = Action::new_local(move |_: &()| {
        let (p, h, z) = (platform.get_untracked(), handle.get_untracked(), zone.get_untracked());
        async move {
            match services::accounts::add_mock(app, p, h, Some(z)).await {
                Ok(account) => {
                    error.set(None);
                    handle.set(String::new());
                    app.ui.push_success(format!("Added {}.", account.label()));
                    if let Some(on_added) = on_added {
                        on_added.run(account);
                    }
                }
                Err(e) => error.set(Some(e.user_message())),
            }
        }
    });
    view! {
        <form class="card account-form" novalidate aria-labelledby="add-account-title"
            on:submit=move |ev| {
                ev.prevent_default();
                add.dispatch(());
            }>
            <h2 id="add-account-title">"Add a mock account"</h2>
            <p class="muted">"Mock accounts publish instantly inside Atelier, to try the whole flow without a real connection."</p>
            <div class="canvas-row">
                <div class="field field-small">
                    <label for="account-platform">"Platform"</label>
                    <select id="account-platform" on:change=move |ev| {
                        if let Ok(p) = event_target_value(&ev).parse() { platform.set(p) }
                    }>
                        {Platform::ALL.iter().map(|p| view! {
                            <option value=p.as_str() selected=move || platform.get() == *p>{platform_name(*p)}</option>
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="account-handle">"Handle"</label>
                    <input id="account-handle" type="text" autocomplete="off" maxlength="100" bind:value=handle />
                </div>
                <div class="field">
                    <label for="account-zone">"Time zone"</label>
                    <input id="account-zone" type="text" placeholder="Europe/Paris (empty: yours)" bind:value=zone />
                </div>
            </div>
            {move || error.get().map(|t| view! { <p class="form-error" role="alert">{t}</p> })}
            <div class="form-actions">
                <button type="submit" class="button button-primary" disabled=move || add.pending().get()>"Add mock account"</button>
            </div>
        </form>
    }
}
