//! `/app/generate`: the session rail and the selected session.

use leptos::prelude::*;

use crate::components::generate::{SessionDetail, SessionRail};

/// The generate workspace: sessions on the left, the selected session on the right.
#[component]
pub fn GeneratePage() -> impl IntoView {
    view! {
        <div class="workspace">
            <SessionRail />
            <SessionDetail />
        </div>
    }
}
