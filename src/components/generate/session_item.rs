//! One session in the rail: a link to it (thumbnail, title, relative time), and Rename (in
//! place) and Delete (after a confirmation in the page's own dialog).

use leptos::html;
use leptos::prelude::*;

use super::session_delete::SessionDelete;
use super::session_rename::SessionRename;
use crate::components::display::short_date;
use crate::domain::routes::Route;
use crate::services::Services;

/// A rail entry for the session `id` (read from the sessions state, so a rename shows).
#[component]
pub fn SessionItem(
    /// The session's id.
    id: String,
) -> impl IntoView {
    let app = Services::expect_context();
    let session = {
        let id = id.clone();
        Memo::new(move |_| app.sessions.list.with(|list| list.iter().find(|s| s.id == id).cloned()))
    };
    let title = Signal::derive(move || session.with(|s| s.as_ref().map(|s| s.title.clone()).unwrap_or_default()));
    let created =
        Signal::derive(move || session.with(|s| s.as_ref().map(|s| s.created_at.clone()).unwrap_or_default()));
    let current = {
        let id = id.clone();
        Memo::new(move |_| app.sessions.current_id().as_deref() == Some(id.as_str()))
    };
    let thumbnail = {
        let id = id.clone();
        Memo::new(move |_| app.sessions.thumbnails.with(|t| t.get(&id).cloned()))
    };

    let renaming = RwSignal::new(false);
    let draft = RwSignal::new(String::new());
    let rename_button = NodeRef::<html::Button>::new();
    let href = Route::Session(&id).href();
    let rename_id = id.clone();
    view! {
        <li class="session-entry" class:session-current=move || current.get()>
            <Show
                when=move || renaming.get()
                fallback=move || {
                    let href = href.clone();
                    view! {
                        <a
                            href=href
                            class="session-link"
                            aria-current=move || current.get().then_some("page")
                        >
                            <span class="session-thumb" aria-hidden="true">
                                {move || thumbnail.get().map(|src| view! {
                                    <img src=src alt="" width="40" height="40" loading="lazy" decoding="async" />
                                })}
                            </span>
                            <span class="session-text">
                                <span class="session-title">{move || title.get()}</span>
                                <time class="session-date" datetime=move || created.get()>
                                    {move || short_date(&created.get())}
                                </time>
                            </span>
                        </a>
                    }
                }
            >
                <SessionRename id=rename_id.clone() renaming draft rename_button />
            </Show>
            <div class="session-actions" hidden=move || renaming.get()>
                <button
                    type="button"
                    class="button button-ghost button-small"
                    node_ref=rename_button
                    on:click=move |_| {
                        draft.set(title.get_untracked());
                        renaming.set(true);
                    }
                >
                    "Rename"
                </button>
                <SessionDelete id title current />
            </div>
        </li>
    }
}
