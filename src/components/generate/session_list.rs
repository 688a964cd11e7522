//! The rail's list of sessions, or its empty state.

use leptos::prelude::*;

use super::SessionItem;
use crate::state::SessionsState;

/// `<ul>` of the user's sessions, newest first; an invitation when there are none.
#[component]
pub fn SessionList() -> impl IntoView {
    let sessions = SessionsState::expect_context();
    view! {
        <Show
            when=move || sessions.list.with(|list| !list.is_empty())
            fallback=|| {
                view! {
                    <p class="rail-note">
                        "No sessions yet — write your first prompt and one starts by itself."
                    </p>
                }
            }
        >
            <ul class="session-list">
                <For each=move || sessions.list.get() key=|session| session.id.clone() let:session>
                    <SessionItem id=session.id.clone() />
                </For>
            </ul>
        </Show>
    }
}
