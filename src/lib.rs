//! Atelier's web app: the `App` component and its routes.

pub mod components;
pub mod domain;
pub mod pages;
pub mod services;
pub mod state;
pub mod supabase;

use leptos::prelude::*;
use leptos_router::components::{ProtectedParentRoute, Redirect, Route, Router, Routes};
use leptos_router::hooks::use_location;
use leptos_router::{OptionalParamSegment, StaticSegment};

use crate::components::{AppShell, ConfigError, Toasts};
use crate::domain::routes::{self, HOME};
use crate::pages::{AccountsPage, GeneratePage, LoginPage, NotFound, PostsPage};
use crate::state::{AuthState, UiState};

/// The id of index.html's static shell, shown while the wasm loads.
const BOOT_SHELL_ID: &str = "boot";

/// Mounts [`App`] on `<body>` and removes index.html's static shell in the same task, so the
/// frame that paints the app's first DOM is the first one without the shell (never both, never
/// neither).
pub fn mount() {
    leptos::mount::mount_to_body(App);
    let document = document();
    if let Some(shell) = document.get_element_by_id(BOOT_SHELL_ID) {
        shell.remove();
    }
    if let Some(root) = document.document_element() {
        let _ = root.remove_attribute("data-boot");
    }
}

/// The whole app: reads the runtime config, provides state, restores the session and routes.
/// A missing or invalid config renders a full-page explanation instead.
#[component]
pub fn App() -> impl IntoView {
    match supabase::config::init() {
        Err(error) => view! { <ConfigError message=error.to_string() /> }.into_any(),
        Ok(_) => {
            state::provide_all();
            let auth = AuthState::expect_context();
            services::auth::start(auth, UiState::expect_context());
            services::realtime::follow_auth(auth);
            view! {
                <Router>
                    <AppRoutes />
                </Router>
                <Toasts />
            }
            .into_any()
        }
    }
}

/// The route table, its paths made from [`routes`]' names. `/app/*` needs a signed-in user;
/// others are sent to `/login?next=…`.
#[component]
fn AppRoutes() -> impl IntoView {
    let auth = AuthState::expect_context();
    // The router re-renders the protected tree whenever its condition runs again, so it reads a
    // memo: a renewed token (a new session value, still signed in) must not remount the
    // workspace and lose what is typed in it.
    let guard = Memo::new(move |_| auth.guard());
    let location = use_location();
    let login_path = move || {
        let search = location.search.get_untracked();
        let here = if search.is_empty() {
            location.pathname.get_untracked()
        } else {
            format!("{}?{search}", location.pathname.get_untracked())
        };
        routes::Route::Login { next: Some(&here) }.href()
    };
    view! {
        <Routes fallback=NotFound>
            <Route path=(StaticSegment(routes::LOGIN),) view=LoginPage />
            <ProtectedParentRoute
                path=(StaticSegment(routes::APP),)
                view=AppShell
                condition=move || guard.get()
                redirect_path=login_path
                fallback=|| view! { <p class="page-loading" aria-busy="true">"Restoring your session…"</p> }
            >
                // One route, so moving to a session's URL keeps the page (and its work) mounted.
                <Route
                    path=(StaticSegment(routes::GENERATE), OptionalParamSegment(routes::SESSION_ID))
                    view=GeneratePage
                />
                <Route path=(StaticSegment(routes::ACCOUNTS),) view=AccountsPage />
                <Route path=(StaticSegment(routes::POSTS),) view=PostsPage />
                <Route path=() view=GoHome />
            </ProtectedParentRoute>
            <Route path=(StaticSegment(routes::GENERATE),) view=GoHome />
            <Route path=() view=GoHome />
        </Routes>
    }
}

/// Redirects to the signed-in home, [`HOME`].
#[component]
fn GoHome() -> impl IntoView {
    view! { <Redirect path=HOME.href() /> }
}
