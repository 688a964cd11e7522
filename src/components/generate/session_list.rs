//! The rail's list of sessions, a page at a time, or its empty state.

use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::SessionItem;
use crate::services::{self, Services};
use crate::state::SessionsState;

/// `<ul>` of the user's sessions, newest first, and "Load more sessions" while older ones
/// exist; an invitation when there are none.
#[component]
pub fn SessionList() -> impl IntoView {
    let sessions = SessionsState::expect_context();
    let app = Services::expect_context();
    let list = NodeRef::<html::Ul>::new();
    let load_more = Action::new_local(move |_: &()| async move {
        let held = sessions.list.with_untracked(Vec::len);
        match services::sessions::load_more(app).await {
            // The button stays focused while more remain; once it is gone, focus moves to
            // the first session it brought.
            Ok(()) if !sessions.more.get_untracked() => {
                // After the list has rendered the new entries.
                gloo_timers::future::TimeoutFuture::new(0).await;
                focus_entry(list, held);
            }
            Ok(()) => {}
            Err(e) => app.ui.push_error(format!("Could not load more sessions: {}", e.user_message())),
        }
    });
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
            <ul class="session-list" node_ref=list>
                <For each=move || sessions.list.get() key=|session| session.id.clone() let:session>
                    <SessionItem id=session.id.clone() />
                </For>
            </ul>
            <Show when=move || sessions.more.get()>
                <button
                    type="button"
                    class="button button-small load-more"
                    aria-busy=move || load_more.pending().get().to_string()
                    disabled=move || load_more.pending().get()
                    on:click=move |_| {
                        load_more.dispatch(());
                    }
                >
                    "Load more sessions"
                </button>
            </Show>
        </Show>
    }
}

/// Focuses the link of the `index`th entry (0-based), if it is there.
fn focus_entry(list: NodeRef<html::Ul>, index: usize) {
    let selector = format!(".session-entry:nth-child({}) .session-link", index + 1);
    let link = list.get_untracked().and_then(|ul| ul.query_selector(&selector).ok().flatten());
    if let Some(link) = link.and_then(|l| l.dyn_into::<web_sys::HtmlElement>().ok()) {
        let _ = link.focus();
    }
}
