//! The rail's list of sessions, or its empty state.

use leptos::prelude::*;

use super::SessionItem;
use crate::state::SessionsState;

/// `<ul>` of the user's sessions, newest first; a hint when there are none.
#[component]
pub fn SessionList() -> impl IntoView {
    let sessions = SessionsState::expect_context();
    view! {
        <Show
            when=move || sessions.list.with(|list| !list.is_empty())
            fallback=|| view! { <p class="rail-note">"No sessions yet — start one with New session."</p> }
        >
            <ul class="session-list">
                <For
                    each=move || sessions.list.get()
                    key=|session| (session.id.clone(), session.updated_at.clone())
                    let:session
                >
                    {
                        let id = session.id.clone();
                        let selected = Signal::derive(move || {
                            sessions.selected.with(|sel| sel.as_deref() == Some(id.as_str()))
                        });
                        view! { <SessionItem session selected /> }
                    }
                </For>
            </ul>
        </Show>
    }
}
