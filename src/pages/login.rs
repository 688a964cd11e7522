//! `/login`: sign in or create an account.

use leptos::prelude::*;

use crate::components::LoginForm;

/// The sign-in page: the brand and the login form, centred.
#[component]
pub fn LoginPage() -> impl IntoView {
    view! {
        <main class="centered-page">
            <div class="card login-card">
                <p class="brand brand-large">"Atelier"</p>
                <h1>"Sign in to your workspace"</h1>
                <LoginForm />
            </div>
        </main>
    }
}
