//! The result grid: `region` "Results" with a filter (all or starred), the server's counts
//! ("N outputs", "K starred of N outputs") and the windowed `list` "Outputs" ([`OutputList`]):
//! one `listitem` per output near the viewport, newest first, keyed by id so a status change
//! patches one card. The session's outputs are read a keyset page at a time; the starred ones
//! are their own listing on the server, read when the filter asks for them.

use leptos::prelude::*;

use leptos::task::spawn_local;

use super::output_delete::DeleteOutputDialog;
use super::{retry_broken_images_when_online, GridUi, Lightbox, OutputList, ResultFilter};
use crate::services::{self, Services};
use crate::state::sessions::CurrentSession;

/// The current session's outputs.
#[component]
pub fn ResultGrid() -> impl IntoView {
    let app = Services::expect_context();
    let grid = GridUi::provide();

    grid.tick_while(app.sessions.in_flight);

    let kind = Signal::derive(move || grid.filter.get().listing());
    let shown = Memo::new(move |_| app.sessions.shown_ids(kind.get()));
    // The starred listing is read when the filter first asks for it (and again after a switch
    // of session, which forgets it).
    Effect::new(move |_| {
        let session = app.sessions.current.with(|c| matches!(c, CurrentSession::Ready(_)));
        let unread = app.sessions.starred_listing.with(|l| !l.started);
        if session && grid.filter.get() == ResultFilter::Starred && unread && !app.sessions.paging.get() {
            spawn_local(async move {
                if let Err(e) = services::sessions::load_older(app, kind.get_untracked()).await {
                    app.ui.push_error(format!("Could not load the starred outputs: {}", e.user_message()));
                }
            });
        }
    });
    let setsize = Signal::derive(move || app.sessions.count_of(kind.get()).unwrap_or(0).max(shown.with(Vec::len)));
    let more = Memo::new(move |_| app.sessions.listing_of(kind.get()).with(|l| l.started && l.more));
    let loading = Memo::new(move |_| app.sessions.current.with(|c| matches!(c, CurrentSession::Loading(_))));

    let root = NodeRef::<leptos::html::Section>::new();
    retry_broken_images_when_online(root);

    view! {
        <section class="results" aria-label="Results" node_ref=root>
            <div class="results-head">
                <h2>"Results"</h2>
                <fieldset class="segmented">
                    <legend class="visually-hidden">"Show"</legend>
                    <label>
                        <input type="radio" name="result-filter" checked=move || grid.filter.get() == ResultFilter::All
                            on:change=move |_| grid.filter.set(ResultFilter::All) />
                        "All"
                    </label>
                    <label>
                        <input type="radio" name="result-filter" checked=move || grid.filter.get() == ResultFilter::Starred
                            on:change=move |_| grid.filter.set(ResultFilter::Starred) />
                        "Starred"
                    </label>
                </fieldset>
                <p class="muted results-count" aria-live="polite">
                    {move || {
                        let n = app.sessions.outputs_count().unwrap_or_else(|| app.sessions.order.with(Vec::len));
                        let outputs = if n == 1 { "1 output".to_owned() } else { format!("{n} outputs") };
                        match (grid.filter.get(), loading.get()) {
                            (_, true) => "Loading…".to_owned(),
                            (ResultFilter::Starred, _) => match app.sessions.starred_count() {
                                Some(k) => format!("{} starred of {outputs}", k.max(shown.with(Vec::len))),
                                None => "Loading…".to_owned(),
                            },
                            (ResultFilter::All, _) => outputs,
                        }
                    }}
                </p>
            </div>
            <Show
                when=move || !shown.with(Vec::is_empty)
                fallback=move || {
                    let text = move || match (grid.filter.get(), loading.get()) {
                        (_, true) => "Loading this session…",
                        (ResultFilter::Starred, _) if app.sessions.starred_listing.with(|l| !l.started) => {
                            "Loading the starred outputs…"
                        }
                        (ResultFilter::Starred, _) => "No starred outputs yet — star the ones you like.",
                        (ResultFilter::All, _) => "No results yet — write a prompt and press Generate.",
                    };
                    view! { <p class="results-empty">{text}</p> }
                }
            >
                <OutputList shown kind setsize />
            </Show>
            <Show when=move || more.get()>
                <button
                    type="button"
                    class="button load-more"
                    disabled=move || app.sessions.paging.get()
                    on:click=move |_| {
                        spawn_local(async move {
                            if let Err(e) = services::sessions::load_older(app, kind.get_untracked()).await {
                                app.ui.push_error(format!("Could not load more outputs: {}", e.user_message()));
                            }
                        });
                    }
                >
                    "Load more outputs"
                </button>
            </Show>
            <Lightbox ids=shown />
            <DeleteOutputDialog />
        </section>
    }
}
