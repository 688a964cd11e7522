//! "Connect Bluesky": handle or email, an app password (used once to connect, never stored)
//! and the hosting provider. A refusal (wrong password, unknown handle, unreachable provider)
//! is shown in the form as the function words it; nothing else changes.

use leptos::prelude::*;

use super::ConnectForms;
use crate::domain::connect::BlueskyLogin;
use crate::services::{self, Services};

/// The Bluesky connection form on the accounts page.
#[component]
pub fn ConnectBlueskyForm() -> impl IntoView {
    let app = Services::expect_context();
    let forms = ConnectForms::expect_context();
    let password = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let connect = Action::new_local(move |_: &()| {
        let typed = BlueskyLogin::new(
            &forms.bluesky_identifier.get_untracked(),
            &password.get_untracked(),
            &forms.bluesky_service.get_untracked(),
        );
        async move {
            let result = match typed {
                Ok(login) => services::connections::connect_bluesky(app, login).await,
                Err(e) => Err(services::ServiceError::Refused(e.to_string())),
            };
            match result {
                Ok(account) => {
                    error.set(None);
                    password.set(String::new());
                    forms.bluesky_identifier.set(String::new());
                    app.ui.push_success(format!("Connected {}.", account.label()));
                }
                Err(e) => error.set(Some(e.user_message())),
            }
        }
    });
    let busy = connect.pending();
    view! {
        <form class="card account-form" novalidate aria-labelledby="connect-bluesky-title"
            on:submit=move |ev| {
                ev.prevent_default();
                if !busy.get_untracked() {
                    connect.dispatch(());
                }
            }>
            <h2 id="connect-bluesky-title">"Connect Bluesky"</h2>
            <div class="connect-fields">
                <div class="field">
                    <label for="bluesky-identifier">"Handle or email"</label>
                    <input id="bluesky-identifier" type="text" autocomplete="username" autocapitalize="none"
                        spellcheck="false" placeholder="alice.bsky.social" bind:value=forms.bluesky_identifier />
                </div>
                <div class="field">
                    <label for="bluesky-password">"App password"</label>
                    <input id="bluesky-password" type="password" autocomplete="off" aria-describedby="bluesky-password-help"
                        node_ref=forms.bluesky_password bind:value=password />
                    <p id="bluesky-password-help" class="muted field-help">
                        "Create one in Bluesky → Settings → Privacy and security → App passwords. "
                        "Atelier uses it once to connect and never stores it."
                    </p>
                </div>
                <div class="field">
                    <label for="bluesky-service">"Hosting provider"</label>
                    <input id="bluesky-service" type="url" inputmode="url" autocomplete="off" spellcheck="false"
                        aria-describedby="bluesky-service-help" bind:value=forms.bluesky_service />
                    <p id="bluesky-service-help" class="muted field-help">"Keep https://bsky.social unless you host your own server."</p>
                </div>
            </div>
            {move || error.get().map(|t| view! { <p class="form-error" role="alert">{t}</p> })}
            <div class="form-actions">
                <button type="submit" class="button button-primary" disabled=move || busy.get()>"Connect Bluesky"</button>
                <span class="muted form-progress" aria-live="polite">{move || busy.get().then_some("Connecting…")}</span>
            </div>
        </form>
    }
}
