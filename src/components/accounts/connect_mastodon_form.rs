//! "Connect Mastodon": the instance, then that instance's own authorization page. The page
//! finishes the connection when the instance sends the creator back; a refusal on the way out
//! or back is shown here.

use leptos::prelude::*;

use super::ConnectForms;
use crate::services::{self, Services};

/// Starts the Mastodon flow for `instance`, reporting in the Mastodon form; on success the
/// browser is leaving the page.
pub fn start_mastodon(app: Services, forms: ConnectForms, instance: String) {
    if forms.mastodon_busy.get_untracked() {
        return;
    }
    forms.mastodon_busy.set(true);
    forms.mastodon_error.set(None);
    leptos::task::spawn_local(async move {
        // On success the browser is on its way to the instance: the form stays busy.
        if let Err(e) = services::connections::start_mastodon(app, &instance).await {
            forms.mastodon_busy.set(false);
            forms.mastodon_error.set(Some(e.user_message()));
        }
    });
}

/// The Mastodon connection form on the accounts page.
#[component]
pub fn ConnectMastodonForm() -> impl IntoView {
    let app = Services::expect_context();
    let forms = ConnectForms::expect_context();
    let instance = RwSignal::new(String::new());
    let busy = forms.mastodon_busy;
    view! {
        <form class="card account-form" novalidate aria-labelledby="connect-mastodon-title"
            on:submit=move |ev| {
                ev.prevent_default();
                start_mastodon(app, forms, instance.get_untracked());
            }>
            <h2 id="connect-mastodon-title">"Connect Mastodon"</h2>
            <div class="field">
                <label for="mastodon-instance">"Instance"</label>
                <input id="mastodon-instance" type="text" inputmode="url" autocomplete="off" autocapitalize="none"
                    spellcheck="false" placeholder="mastodon.social" aria-describedby="mastodon-instance-help"
                    bind:value=instance />
                <p id="mastodon-instance-help" class="muted field-help">
                    "Your server's name or address. You approve Atelier on its own page, then come back here."
                </p>
            </div>
            {move || forms.mastodon_error.get().map(|t| view! { <p class="form-error" role="alert">{t}</p> })}
            <div class="form-actions">
                <button type="submit" class="button button-primary" disabled=move || busy.get()>"Connect Mastodon"</button>
                <span class="muted form-progress" aria-live="polite">{move || busy.get().then_some("Connecting…")}</span>
            </div>
        </form>
    }
}
