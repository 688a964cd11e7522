//! The view for an unknown path.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::domain::routes::HOME;

/// A plain "page not found" with a way back into the app.
#[component]
pub fn NotFound() -> impl IntoView {
    view! {
        <main class="centered-page">
            <div class="card">
                <h1>"Page not found"</h1>
                <p>"There is nothing at this address."</p>
                <A href=HOME.href()>"Go to Atelier"</A>
            </div>
        </main>
    }
}
