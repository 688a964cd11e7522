//! One connected account: platform, handle, status and time zone; change its zone; remove it
//! (refused with a clear message while posts use it).

use leptos::prelude::*;

use crate::domain::publishing::{account_status_label, platform_name};
use crate::domain::ConnectedAccount;
use crate::services::{self, Services};

/// A row of the accounts list.
#[component]
pub fn AccountRow(
    /// The account to show.
    account: ConnectedAccount,
) -> impl IntoView {
    let app = Services::expect_context();
    let zone = RwSignal::new(account.timezone.clone().unwrap_or_default());
    let error = RwSignal::new(None::<String>);
    let id = account.id.clone();
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
    let remove = Action::new_local(move |_: &()| {
        let id = id.clone();
        async move {
            if let Err(e) = services::accounts::remove(app, id).await {
                error.set(Some(e.user_message()));
            }
        }
    });
    let label = account.label();
    let field = format!("zone-{}", account.id);
    view! {
        <li class="account-row">
            <div class="account-who">
                <p class="account-handle">{format!("@{}", account.handle)}</p>
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
            <button type="button" class="button button-small button-ghost" aria-label=format!("Remove {label}")
                disabled=move || remove.pending().get() on:click=move |_| { remove.dispatch(()); }>"Remove"</button>
            {move || error.get().map(|t| view! { <p class="form-error" role="alert">{t}</p> })}
        </li>
    }
}
