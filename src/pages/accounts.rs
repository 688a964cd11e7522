//! `/app/accounts`: the creator's connected accounts, and adding a mock one.

use leptos::prelude::*;

use crate::components::accounts::{AccountRow, AddAccountForm};
use crate::services::{self, Services};

/// The accounts page.
#[component]
pub fn AccountsPage() -> impl IntoView {
    let app = Services::expect_context();
    let loader = LocalResource::new(move || async move { services::publish::load_accounts(app).await });
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
                                fallback=|| view! { <p class="results-empty">"No accounts yet — add a mock account below."</p> }>
                                <ul class="account-list" aria-label="Connected accounts">
                                    <For each=move || app.publish.accounts.get() key=|a| (a.id.clone(), a.updated_at.clone()) let:account>
                                        <AccountRow account />
                                    </For>
                                </ul>
                            </Show>
                        }.into_any(),
                    }
                })}
            </Suspense>
            <AddAccountForm />
        </main>
    }
}
