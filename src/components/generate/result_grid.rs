//! The result grid: `region` "Results" with a filter (all or starred) and a `list` with one
//! `listitem` per generation, newest first, keyed by id so a status change patches one card.
//! Off-screen cards skip layout and paint (`content-visibility: auto` in the CSS), so a
//! session of a thousand outputs opens and scrolls smoothly.

use leptos::prelude::*;

use super::{retry_broken_images_when_online, GridUi, Lightbox, ResultCard, ResultFilter};
use crate::components::ConfirmDialog;
use crate::services::{self, Services};
use crate::state::sessions::CurrentSession;

/// The current session's outputs.
#[component]
pub fn ResultGrid() -> impl IntoView {
    let app = Services::expect_context();
    let grid = GridUi::provide();

    grid.tick_while(app.sessions.in_flight);

    let shown = Memo::new(move |_| {
        let order = app.sessions.order.get();
        match grid.filter.get() {
            ResultFilter::All => order,
            ResultFilter::Starred => {
                order.into_iter().filter(|id| app.sessions.row(id).is_some_and(|r| r.with(|g| g.starred))).collect()
            }
        }
    });
    let loading = Memo::new(move |_| app.sessions.current.with(|c| matches!(c, CurrentSession::Loading(_))));

    let delete = Action::new_local(move |id: &String| services::sessions::delete_output(app, id.clone()));
    let root = NodeRef::<leptos::html::Section>::new();
    retry_broken_images_when_online(root);
    let delete_error = RwSignal::new(None::<String>);
    Effect::new(move |_| match delete.value().get() {
        Some(Ok(())) => {
            grid.confirm_delete.set(None);
            app.ui.push_success("Output deleted.");
        }
        Some(Err(e)) => delete_error.set(Some(e.user_message())),
        None => {}
    });

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
                        let n = app.sessions.order.with(Vec::len);
                        let outputs = if n == 1 { "1 output".to_owned() } else { format!("{n} outputs") };
                        match (grid.filter.get(), loading.get()) {
                            (_, true) => "Loading…".to_owned(),
                            (ResultFilter::Starred, _) => format!("{} starred of {outputs}", shown.with(Vec::len)),
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
                        (ResultFilter::Starred, _) => "No starred outputs yet — star the ones you like.",
                        (ResultFilter::All, _) => "No results yet — write a prompt and press Generate.",
                    };
                    view! { <p class="results-empty">{text}</p> }
                }
            >
                <ul class="result-list" aria-label="Outputs">
                    <For each=move || shown.get() key=|id| id.clone() let:id>
                        <ResultCard id />
                    </For>
                </ul>
            </Show>
            <Lightbox ids=shown />
            <ConfirmDialog
                open=Signal::derive(move || grid.confirm_delete.with(Option::is_some))
                title=Signal::derive(|| "Delete this output?".to_owned())
                message=Signal::derive(|| "The output and its file are deleted for good.".to_owned())
                confirm_label="Delete output"
                error=delete_error
                busy=delete.pending()
                on_confirm=move |_| {
                    if let Some(id) = grid.confirm_delete.get_untracked() {
                        delete_error.set(None);
                        delete.dispatch(id);
                    }
                }
                on_close=move |_| {
                    grid.confirm_delete.set(None);
                    delete_error.set(None);
                }
            />
        </section>
    }
}
