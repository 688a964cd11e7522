//! The main area: the selected session's title and what comes next.

use leptos::prelude::*;

use crate::state::SessionsState;

/// Shows the selected session's title and a plain placeholder for generation.
#[component]
pub fn SessionDetail() -> impl IntoView {
    let sessions = SessionsState::expect_context();
    view! {
        <section class="session-detail">
            {move || match sessions.selected_session() {
                Some(session) => view! {
                    <h1 class="session-heading">{session.title}</h1>
                    <div class="placeholder-panel">
                        <p>"Generation arrives in the next release."</p>
                    </div>
                }
                .into_any(),
                None => view! {
                    <h1 class="session-heading">"No session selected"</h1>
                    <p class="muted">"Pick a session in the rail, or start one with New session."</p>
                }
                .into_any(),
            }}
        </section>
    }
}
