//! `/app/accounts`: the creator's connected accounts; connecting Bluesky and Mastodon accounts
//! (a Mastodon instance sends the creator back here with `?code&state` or `?error&state`, which
//! the page finishes and then removes from the address); adding a mock one.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::components::accounts::{AccountRow, AddAccountForm, ConnectBlueskyForm, ConnectForms, ConnectMastodonForm};
use crate::domain::connect::MastodonCallback;
use crate::services::{self, Services};
use crate::state::publish::MAX_ACCOUNTS;

/// The accounts page.
#[component]
pub fn AccountsPage() -> impl IntoView {
    let app = Services::expect_context();
    let forms = ConnectForms::provide();
    let callback = use_query_map().with_untracked(|q| MastodonCallback::from_query(|key| q.get(key)));
    forms.mastodon_busy.set(callback.is_some());
    // A connection coming back from Mastodon is finished before the list is read, so the list
    // never misses the account it just gained.
    let callback = StoredValue::new(callback);
    let loader = LocalResource::new(move || {
        // Taken once: a spent state is never sent twice, even if the list loads again.
        let callback = callback.try_update_value(Option::take).flatten();
        async move {
            if let Some(callback) = callback {
                match services::connections::finish_mastodon(app, callback).await {
                    Ok(account) => app.ui.push_success(format!("Connected {}.", account.label())),
                    Err(e) => forms.mastodon_error.set(Some(e.user_message())),
                }
                forms.mastodon_busy.set(false);
                // The state is spent: a reload must not send it again.
                services::connections::forget_callback_query();
            }
            services::publish::load_accounts(app).await
        }
    });
    view! {
        <main class="page" id="main">
            <h1>"Accounts"</h1>
            <p class="muted">"Where your posts go. A post's time is read in its account's time zone, or yours when it has none."</p>
            <Suspense fallback=|| view! { <p class="muted" aria-busy="true">"Loading accounts…"</p> }>
                {move || Suspend::new(async move {
                    match loader.await {
                        Err(e) => view! { <p class="form-error" role="alert">{format!("Your accounts could not be loaded: {}", e.user_message())}</p> }.into_any(),
                        Ok(()) => view! {
                            <Show when=move || !app.publish.accounts.with(Vec::is_empty)
                                fallback=|| view! { <p class="results-empty">"No accounts yet — connect one below, or add a mock account to try things out."</p> }>
                                <ul class="account-list" aria-label="Connected accounts">
                                    <For each=move || app.publish.accounts.get() key=|a| (a.id.clone(), a.updated_at.clone()) let:account>
                                        <AccountRow account />
                                    </For>
                                </ul>
                                <Show when=move || app.publish.accounts.with(|a| a.len() >= MAX_ACCOUNTS)>
                                    <p class="muted">{format!("Showing your first {MAX_ACCOUNTS} accounts.")}</p>
                                </Show>
                            </Show>
                        }.into_any(),
                    }
                })}
            </Suspense>
            <div class="connect-forms">
                <ConnectBlueskyForm />
                <ConnectMastodonForm />
            </div>
            <AddAccountForm />
        </main>
    }
}
