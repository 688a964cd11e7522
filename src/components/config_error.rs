//! The full-page error shown when the runtime config is missing or invalid.

use leptos::prelude::*;

/// Explains that the app cannot start and how to fix it.
#[component]
pub fn ConfigError(
    /// What is wrong with `window.ATELIER_CONFIG`.
    message: String,
) -> impl IntoView {
    view! {
        <main class="centered-page">
            <div class="card" role="alert">
                <h1>"Atelier cannot start"</h1>
                <p>{message}</p>
                <p class="muted">
                    "Set " <code>"supabaseUrl"</code> " and " <code>"supabaseAnonKey"</code>
                    " in " <code>"config.js"</code> ", then reload the page."
                </p>
            </div>
        </main>
    }
}
