//! `/login`: sign in or create an account.

use leptos::prelude::*;

use crate::components::{LoginForm, LoginMode};

/// The sign-in page: the brand, a heading that says which of the two the form does now, and
/// the form, centred.
#[component]
pub fn LoginPage() -> impl IntoView {
    let mode = RwSignal::new(LoginMode::SignIn);
    view! {
        <main class="centered-page">
            <div class="card login-card">
                <p class="brand brand-large">"Atelier"</p>
                <h1>{move || mode.get().heading()}</h1>
                <LoginForm mode />
            </div>
        </main>
    }
}
