//! The studio's heading: the current session's title, or an invitation to the first prompt.

use leptos::prelude::*;

use crate::state::sessions::CurrentSession;
use crate::state::SessionsState;

/// `<h1>` naming the current session.
#[component]
pub fn SessionHeading() -> impl IntoView {
    let sessions = SessionsState::expect_context();
    view! {
        <header class="studio-head">
            {move || match (sessions.current_session(), sessions.current.get()) {
                (Some(session), _) => view! { <h1 class="session-heading">{session.title}</h1> }.into_any(),
                (None, CurrentSession::Loading(_)) => view! { <h1 class="session-heading">"Opening session…"</h1> }.into_any(),
                (None, _) => view! {
                    <h1 class="session-heading">"Start with a prompt"</h1>
                    <p class="muted">"Describe what you want to make; your first prompt starts a session."</p>
                }
                .into_any(),
            }}
        </header>
    }
}
