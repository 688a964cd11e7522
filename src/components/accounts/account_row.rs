//! One connected account: handle, platform and status in words, its time zone, and what can
//! be done with it — pick its zone from the browser's list, connect it again when it expired or
//! was revoked (Bluesky: the form above, filled in; Mastodon: the instance's page again), or
//! remove it after a confirmation (revoked at the platform where possible; an account that posts
//! use stays, as revoked).

use leptos::prelude::*;

use super::connect_mastodon_form::start_mastodon;
use super::ConnectForms;
use crate::components::time_zone_picker::{choose_time_zone, TimeZonePicker};
use crate::components::ConfirmDialog;
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
    let zone_error = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<String>);
    let confirming = RwSignal::new(false);
    let remove_error = RwSignal::new(None::<String>);
    let id = account.id.clone();
    let label = account.label();
    let save = {
        let id = id.clone();
        Action::new_local(move |picked: &Option<String>| {
            let (id, picked) = (id.clone(), picked.clone());
            async move {
                match services::accounts::set_timezone(app, id, picked).await {
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
                    Err(e) => return remove_error.set(Some(e.user_message())),
                }
                // The row is usually gone by now (the list dropped or renewed it).
                let _ = confirming.try_set(false);
            }
        })
    };
    let reconnect = account.needs_reconnect().then(|| reconnect_button(app, forms, &account, error));
    let field = format!("zone-{}", account.id);
    let removing = remove.pending();
    let confirm_title = format!("Remove {label}?");
    let confirm_message = format!(
        "{label} leaves Atelier and is disconnected where {} allows it. If posts used it, it stays, revoked, for them, and its scheduled posts are cancelled.",
        platform_name(account.platform)
    );
    view! {
        <li class="account-row" data-status=account.status.as_str()>
            <div class="account-who">
                <p class="account-handle">{account.at_handle()}</p>
                <p class="muted">{format!("{} · {}", platform_name(account.platform), account_status_label(account.status))}</p>
            </div>
            <form class="account-zone" novalidate on:submit=move |ev| {
                ev.prevent_default();
                match choose_time_zone(&zone.get_untracked()) {
                    Ok(picked) => {
                        zone_error.set(None);
                        save.dispatch(picked);
                    }
                    Err(message) => zone_error.set(Some(message)),
                }
            }>
                <TimeZonePicker id=field label=format!("Time zone of {label}") value=zone error=zone_error placeholder="Yours" />
                <button type="submit" class="button button-small" disabled=move || save.pending().get()>"Save zone"</button>
            </form>
            <div class="account-actions">
                {reconnect}
                <button type="button" class="button button-small button-ghost" aria-label=format!("Remove {label}")
                    disabled=move || removing.get() on:click=move |_| {
                        remove_error.set(None);
                        confirming.set(true);
                    }>"Remove"</button>
            </div>
            {move || error.get().map(|t| view! { <p class="form-error" role="alert">{t}</p> })}
            // Mounted only while asked, so the list holds no hidden copy of every row's question.
            <Show when=move || confirming.get()>
                <ConfirmDialog
                    open=confirming
                    title=confirm_title.clone()
                    message=confirm_message.clone()
                    confirm_label="Remove account"
                    error=remove_error
                    busy=removing
                    on_confirm=move |_| {
                        remove.dispatch(());
                    }
                    on_close=move |_| confirming.set(false)
                />
            </Show>
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
