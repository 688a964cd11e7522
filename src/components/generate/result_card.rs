//! One output in the result grid. Its own signal feeds it, so a status change patches this
//! card alone: a placeholder at the final aspect ratio with the elapsed time while queued or
//! processing; the image (lazy, sized before it loads) or the video (poster, bytes only when
//! played) when completed — clicking the image opens the large view; the reason and Retry when
//! failed; where it was posted; and the card's actions (Delete is disabled, with the reason,
//! while a post of it is scheduled or publishing). In the windowed grid the card says its place
//! (`aria-posinset` of `aria-setsize`) and is the grid's Tab stop, or not (see [`CardTabStop`]).

use leptos::prelude::*;

use super::{
    action_tabindex, delete_block, CanvasForm, CardPosts, CardTabStop, DownloadLink, GridUi, PostButton, StarButton,
};
use crate::components::display::elapsed_label;
use crate::domain::generation::{card_state, CardState};
use crate::domain::{Generation, GenerationStatus, MediaKind};
use crate::services::{self, Services};

/// The card of generation `id` (absent when the id is no longer held). What never changes
/// after insert (the prompt, the seed, the id) is read from the row once; what can change is
/// derived from the row's own signal, so an update of another row costs this card nothing,
/// and the elapsed time reads the grid's one clock.
#[component]
pub fn ResultCard(
    /// The generation's id.
    id: String,
    /// Whether this card is the grid's Tab stop.
    tab_stop: Signal<bool>,
    /// Its place in the list, from 1.
    posinset: Signal<usize>,
    /// How many outputs the list has on the server.
    setsize: Signal<usize>,
) -> impl IntoView {
    let app = Services::expect_context();
    let Some(row) = app.sessions.row(&id) else { return ().into_any() };
    let grid = GridUi::expect_context();
    let form = CanvasForm::expect_context();
    provide_context(CardTabStop(tab_stop));
    let tabindex = action_tabindex();
    let card = NodeRef::<leptos::html::Li>::new();
    {
        // A key moved the grid here: take focus once rendered.
        let id = id.clone();
        Effect::new(move |_| {
            if grid.focus_active.get() && grid.active.with(|a| a.as_deref() == Some(id.as_str())) {
                if let Some(el) = card.get() {
                    grid.focus_active.set(false);
                    let _ = el.focus();
                }
            }
        });
    }
    let focus_id = id.clone();
    let state = {
        let id = id.clone();
        Memo::new(move |_| app.sessions.local_failures.with(|failures| row.with(|g| card_state(g, failures.get(&id)))))
    };
    let posts = {
        let id = id.clone();
        Memo::new(move |_| grid.posts_of(&id))
    };
    let blocked = Memo::new(move |_| posts.with(|p| delete_block(p)));
    let reason_id = format!("delete-reason-{id}");
    let (prompt, seed) = row.with_untracked(|g| (g.prompt.clone(), g.params.seed.map(|s| format!("Seed {s}"))));
    let prompt_title = prompt.clone();
    let media_id = id.clone();

    view! {
        <li
            class="result-card"
            data-status=move || row.with(|g| g.status.as_str())
            data-generation-id=id.clone()
            node_ref=card
            tabindex=move || if tab_stop.get() { "0" } else { "-1" }
            aria-posinset=move || posinset.get()
            aria-setsize=move || setsize.get()
            on:focusin=move |_| {
                if grid.active.with_untracked(|a| a.as_deref() != Some(focus_id.as_str())) {
                    grid.active.set(Some(focus_id.clone()));
                }
            }
        >
            <div class="result-media" style:aspect-ratio=move || row.with(aspect_style)>
                {move || match state.get() {
                    CardState::Waiting(status) => waiting_view(row, status, grid).into_any(),
                    CardState::Completed => {
                        let open_id = media_id.clone();
                        view! {
                            <div class="result-open" on:click=move |_| grid.lightbox.set(Some(open_id.clone()))>
                                {row.with_untracked(|g| media_view(g, tabindex))}
                            </div>
                        }
                        .into_any()
                    }
                    CardState::Failed(reason) => view! {
                        <div class="result-failed">
                            <p class="result-error">{reason}</p>
                        </div>
                    }
                    .into_any(),
                }}
            </div>
            <div class="result-meta">
                <p class="result-prompt" title=prompt_title>{prompt}</p>
                <p class="result-facts muted">
                    {seed}
                    {move || row.with(|g| g.model.clone()).map(|m| format!(" · {m}"))}
                </p>
                <CardPosts posts=posts />
            </div>
            <div class="result-actions">
                // Rebuilt when the card's state changes, not on every update of its row (a star).
                {move || {
                    let id = row.with_untracked(|g| g.id.clone());
                    let remix = move |_| row.with_untracked(|g| form.remix(g));
                    match state.get() {
                        CardState::Completed => {
                            let open_id = id.clone();
                            let g = row.get_untracked();
                            let starred = Memo::new(move |_| row.with(|g| g.starred));
                            view! {
                                <button type="button" class="button button-small" tabindex=tabindex on:click=move |_| grid.lightbox.set(Some(open_id.clone()))>"Open"</button>
                                <DownloadLink generation=g.clone() />
                                <button type="button" class="button button-small" tabindex=tabindex on:click=remix>"Remix"</button>
                                <StarButton id=id.clone() starred=starred />
                                <PostButton generation=g />
                                {delete_button(grid, id, blocked, reason_id.clone(), tabindex)}
                            }
                            .into_any()
                        }
                        CardState::Failed(_) => {
                            // Only a failed card owns a retry.
                            let retry = Action::new_local(move |id: &String| services::generation::retry_generation(app, id.clone()));
                            let retry_id = id.clone();
                            view! {
                                <button type="button" class="button button-small button-primary" tabindex=tabindex disabled=move || retry.pending().get() on:click=move |_| { retry.dispatch(retry_id.clone()); }>"Retry"</button>
                                <button type="button" class="button button-small" tabindex=tabindex on:click=remix>"Remix"</button>
                                {delete_button(grid, id, blocked, reason_id.clone(), tabindex)}
                            }
                            .into_any()
                        }
                        CardState::Waiting(_) => view! {
                            <button type="button" class="button button-small button-ghost" tabindex=tabindex on:click=move |_| grid.confirm_delete.set(Some(id.clone()))>"Delete"</button>
                        }
                        .into_any(),
                    }
                }}
            </div>
        </li>
    }
    .into_any()
}

/// "Delete" (asks first), disabled while `blocked` says why, the reason beside it and named
/// by `aria-describedby`.
fn delete_button(
    grid: GridUi,
    id: String,
    blocked: Memo<Option<&'static str>>,
    reason_id: String,
    tabindex: impl Fn() -> Option<&'static str> + Send + Sync + 'static,
) -> impl IntoView {
    let described = reason_id.clone();
    view! {
        <button
            type="button"
            class="button button-small button-ghost"
            tabindex=tabindex
            disabled=move || blocked.get().is_some()
            aria-describedby=move || blocked.get().map(|_| described.clone())
            on:click=move |_| grid.confirm_delete.set(Some(id.clone()))
        >
            "Delete"
        </button>
        {move || blocked.get().map(|reason| view! { <p class="result-delete-reason muted" id=reason_id.clone()>{reason}</p> })}
    }
}

/// The placeholder of an unfinished output, with its elapsed time.
fn waiting_view(row: RwSignal<Generation>, status: GenerationStatus, grid: GridUi) -> impl IntoView {
    // The instant parsed once, in milliseconds as the clock counts.
    let since = row.with_untracked(|g| g.created().map_or_else(js_sys::Date::now, |micros| micros as f64 / 1000.0));
    let label = match status {
        GenerationStatus::Queued => "Queued",
        _ => "Generating",
    };
    view! {
        <div class="result-placeholder" role="img" aria-label=move || format!("{label}, {}", elapsed_label(since, grid.now_ms.get()))>
            <span class="spinner" aria-hidden="true"></span>
            <span>{label}</span>
            <span class="muted">{move || elapsed_label(since, grid.now_ms.get())}</span>
        </div>
    }
}

/// The finished output: a lazy image sized before it loads, or a video whose bytes load only
/// when played.
fn media_view(g: &Generation, tabindex: impl Fn() -> Option<&'static str> + Send + Sync + 'static) -> impl IntoView {
    let (width, height) = (g.width.unwrap_or(1024), g.height.unwrap_or(1024));
    match g.kind {
        MediaKind::Image => {
            let src = g.thumbnail_url.clone().or(g.media_url.clone()).unwrap_or_default();
            view! { <img src=src alt=g.prompt.clone() width=width height=height loading="lazy" decoding="async" /> }
                .into_any()
        }
        MediaKind::Video => view! {
            <video
                controls
                playsinline
                preload="none"
                tabindex=tabindex
                poster=g.thumbnail_url.clone()
                width=width
                height=height
                aria-label=g.prompt.clone()
            >
                <source src=g.media_url.clone().unwrap_or_default() type="video/mp4" />
            </video>
        }
        .into_any(),
    }
}

/// `W / H` (the CSS `aspect-ratio`) from the row's size, else its requested ratio, else square.
fn aspect_style(g: &Generation) -> String {
    let (w, h) = match (g.width, g.height) {
        (Some(w), Some(h)) => (w, h),
        _ => g.params.aspect_ratio.map_or((1, 1), |r| (r.width(), r.height())),
    };
    format!("{w} / {h}")
}
