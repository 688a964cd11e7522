//! The signed-in frame: header with the app name, the main links, the user's email,
//! "Change password" and "Sign out".

mod change_password;
mod skip_links;

use leptos::prelude::*;
use leptos_router::components::{Outlet, A};
use leptos_router::hooks::{use_location, use_navigate};

use change_password::ChangePassword;
use skip_links::SkipLinks;

use crate::domain::routes::{self, Route};
use crate::services::{self, Services};

/// Header plus the routed page below it (`/app/*`).
#[component]
pub fn AppShell() -> impl IntoView {
    let app = Services::expect_context();
    let auth = app.auth;
    let navigate = use_navigate();
    // Errors belong to the page they were raised on: moving to another path removes them.
    let pathname = use_location().pathname;
    Effect::new(move |_| pathname.with(|path| app.ui.enter_page(path)));
    let sign_out = move |_| {
        services::auth::sign_out(auth, app.sessions, app.publish);
        navigate(&Route::Login { next: None }.href(), Default::default());
    };
    let on_generate = move || pathname.with(|path| routes::is_generate(path));
    view! {
        <div class="shell">
            <Show when=on_generate>
                <SkipLinks />
            </Show>
            <header class="app-header">
                <A href=Route::Generate.href() attr:class="brand">"Atelier"</A>
                <nav class="main-nav" aria-label="Main">
                    <A href=Route::Generate.href()>"Generate"</A>
                    <A href=Route::Posts.href()>"Posts"</A>
                    <A href=Route::Accounts.href()>"Accounts"</A>
                </nav>
                <div class="account">
                    <span class="account-email" title=move || auth.email()>{move || auth.email()}</span>
                    <ChangePassword />
                    <button type="button" class="button button-ghost" on:click=sign_out>
                        "Sign out"
                    </button>
                </div>
            </header>
            <div class="app-body">
                <Outlet />
            </div>
        </div>
    }
}
