//! One connected account: handle, platform and status in words, its time zone, and what can
//! be done with it — connect it again when it expired or was revoked (Bluesky: the form above,
//! filled in; Mastodon: the instance's page again), or remove it (revoked at the platform where
//! possible; an account that posts use stays, as revoked).

use leptos::prelude::*;

use super::connect_mastodon_form::start_mastodon;
use super::ConnectForms;
use crate::domain::connect::{mastodon_instance, DisconnectResult};
use crate::domain::publishing::{account_status_label, platform_name};
use crate::domain::{ConnectedAccount, Platform};
use crate::services::{self, Services};

/// A row of the accounts list.
#[component]
pub fn AccountRow(
    /// The account to show.
    account: ConnectedAccount,
) -> impl IntoView {
    let app = Services::expect_context();
    let forms = ConnectForms::expect_context();
    let zone = RwSignal::new(account.timezone.clone().unwrap_or_default());
    let error = RwSignal::new(None::<String>);
    let id = account.id.clone();
    let label = account.label();
    let save = {
        let id = id.clone();
        Action::new_local(move |_: &()| {
            let (id, value) = (id.clone(), zone.get_untracked());
            async move {
                match services::accounts::set_timezone(app, id, Some(value)).await {
                    Ok(()) => {
                        error.set(None);
                        app.ui.push_success("Time zone saved.");
                    }
                    Err(e) => error.set(Some(e.user_message())),
                }
            }
        })
    };
    let remove = {
        let label = label.clone();
        Action::new_local(move |_: &()| {
            let (id, label) = (id.clone(), label.clone());
            async move {
                match services::connections::disconnect(app, id).await {
                    Ok(DisconnectResult::Deleted) => app.ui.push_success(format!("Removed {label}.")),
                    Ok(DisconnectResult::Revoked) => app.ui.push_success(format!(
                        "Disconnected {label}. It stays, revoked, for the posts that used it; its pending posts were cancelled."
                    )),
                    Err(e) => error.set(Some(e.user_message())),
                }
            }
        })
    };
    let reconnect = account.needs_reconnect().then(|| reconnect_button(app, forms, &account, error));
    let field = format!("zone-{}", account.id);
    view! {
        <li class="account-row" data-status=account.status.as_str()>
            <div class="account-who">
                <p class="account-handle">{account.at_handle()}</p>
                <p class="muted">{format!("{} · {}", platform_name(account.platform), account_status_label(account.status))}</p>
            </div>
            <form class="account-zone" novalidate on:submit=move |ev| {
                ev.prevent_default();
                save.dispatch(());
            }>
                <label for=field.clone()>{format!("Time zone of {label}")}</label>
                <input id=field type="text" placeholder="Yours" bind:value=zone />
                <button type="submit" class="button button-small" disabled=move || save.pending().get()>"Save zone"</button>
            </form>
            <div class="account-actions">
                {reconnect}
                <button type="button" class="button button-small button-ghost" aria-label=format!("Remove {label}")
                    disabled=move || remove.pending().get() on:click=move |_| { remove.dispatch(()); }>"Remove"</button>
            </div>
            {move || error.get().map(|t| view! { <p class="form-error" role="alert">{t}</p> })}
        </li>
    }
}

/// "Reconnect" for an account of a platform Atelier connects to; nothing for the others (a mock
/// account of another platform has nothing to connect to).
fn reconnect_button(
    app: Services,
    forms: ConnectForms,
    account: &ConnectedAccount,
    error: RwSignal<Option<String>>,
) -> Option<impl IntoView> {
    let name = format!("Reconnect {}", account.label());
    let on_click: Box<dyn Fn() + Send + Sync> = match account.platform {
        Platform::Bluesky => {
            let account = account.clone();
            Box::new(move || forms.reconnect_bluesky(&account))
        }
        Platform::Mastodon => {
            let instance = mastodon_instance(account);
            Box::new(move || match instance.clone() {
                Some(instance) => start_mastodon(app, forms, instance),
                None => error.set(Some("This account's instance is unknown: connect it with the form above.".into())),
            })
        }
        _ => return None,
    };
    Some(view! {
        <button type="button" class="button button-small" aria-label=name
            on:click=move |_| on_click()>"Reconnect"</button>
    })
}
