//! One output in the result grid. Its own signal feeds it, so a status change patches this
//! card alone: a placeholder at the final aspect ratio with the elapsed time while queued or
//! processing; the image (lazy, sized before it loads) or the video (poster, bytes only when
//! played) when completed — clicking the image opens the large view; the reason and Retry when
//! failed; where it was posted; and the card's actions (Delete is disabled, with the reason,
//! while a post of it is scheduled or publishing).

use leptos::prelude::*;

use super::{delete_block, CanvasForm, CardPosts, DownloadLink, GridUi, PostButton, StarButton};
use crate::domain::generation::{card_state, CardState};
use crate::domain::{Generation, GenerationStatus, MediaKind};
use crate::services::{self, Services};

/// The card of generation `id` (absent when the id is no longer held).
#[component]
pub fn ResultCard(
    /// The generation's id.
    id: String,
) -> impl IntoView {
    let app = Services::expect_context();
    let Some(row) = app.sessions.row(&id) else { return ().into_any() };
    let grid = GridUi::expect_context();
    let form = CanvasForm::expect_context();
    let local = {
        let id = id.clone();
        Memo::new(move |_| app.sessions.local_failures.with(|f| f.get(&id).cloned()))
    };
    let state = Memo::new(move |_| row.with(|g| card_state(g, local.get().as_ref())));
    let ratio = Memo::new(move |_| row.with(aspect_style));

    let retry = Action::new_local(move |id: &String| services::generation::retry_generation(app, id.clone()));
    let posts = {
        let id = id.clone();
        Memo::new(move |_| grid.posts_of(&id))
    };
    let blocked = Memo::new(move |_| posts.with(|p| delete_block(p)));
    let reason_id = format!("delete-reason-{id}");
    let starred = Memo::new(move |_| row.with(|g| g.starred));
    let prompt = Memo::new(move |_| row.with(|g| g.prompt.clone()));
    let seed = Memo::new(move |_| row.with(|g| g.params.seed));

    view! {
        <li class="result-card" data-status=move || row.with(|g| g.status.as_str()) data-generation-id=id.clone()>
            <div class="result-media" style:aspect-ratio=move || ratio.get()>
                {move || match state.get() {
                    CardState::Waiting(status) => waiting_view(row, status, grid).into_any(),
                    CardState::Completed => {
                        let open_id = row.with_untracked(|g| g.id.clone());
                        view! {
                            <div class="result-open" on:click=move |_| grid.lightbox.set(Some(open_id.clone()))>
                                {media_view(row.get())}
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
                <p class="result-prompt" title=move || prompt.get()>{move || prompt.get()}</p>
                <p class="result-facts muted">
                    {move || seed.get().map(|s| format!("Seed {s}"))}
                    {move || row.with(|g| g.model.clone()).map(|m| format!(" · {m}"))}
                </p>
                <CardPosts posts=posts />
            </div>
            <div class="result-actions">
                {move || {
                    let g = row.get();
                    let id = g.id.clone();
                    match state.get() {
                        CardState::Completed => {
                            let open_id = id.clone();
                            let remix_from = g.clone();
                            view! {
                                <button type="button" class="button button-small" on:click=move |_| grid.lightbox.set(Some(open_id.clone()))>"Open"</button>
                                <DownloadLink generation=g.clone() />
                                <button type="button" class="button button-small" on:click=move |_| form.remix(&remix_from)>"Remix"</button>
                                <StarButton id=id.clone() starred=starred />
                                <PostButton generation=g.clone() />
                                {delete_button(grid, id, blocked, reason_id.clone())}
                            }
                            .into_any()
                        }
                        CardState::Failed(_) => {
                            let (retry_id, remix_from) = (id.clone(), g.clone());
                            view! {
                                <button type="button" class="button button-small button-primary" disabled=move || retry.pending().get() on:click=move |_| { retry.dispatch(retry_id.clone()); }>"Retry"</button>
                                <button type="button" class="button button-small" on:click=move |_| form.remix(&remix_from)>"Remix"</button>
                                {delete_button(grid, id, blocked, reason_id.clone())}
                            }
                            .into_any()
                        }
                        CardState::Waiting(_) => view! {
                            <button type="button" class="button button-small button-ghost" on:click=move |_| grid.confirm_delete.set(Some(id.clone()))>"Delete"</button>
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
fn delete_button(grid: GridUi, id: String, blocked: Memo<Option<&'static str>>, reason_id: String) -> impl IntoView {
    let described = reason_id.clone();
    view! {
        <button
            type="button"
            class="button button-small button-ghost"
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
    let since = row.with_untracked(|g| js_sys::Date::new(&g.created_at.as_str().into()).get_time());
    let label = match status {
        GenerationStatus::Queued => "Queued",
        _ => "Generating",
    };
    view! {
        <div class="result-placeholder" role="img" aria-label=move || format!("{label}, {}", super::elapsed_label(since, grid.now_ms.get()))>
            <span class="spinner" aria-hidden="true"></span>
            <span>{label}</span>
            <span class="muted">{move || super::elapsed_label(since, grid.now_ms.get())}</span>
        </div>
    }
}

/// The finished output: a lazy image sized before it loads, or a video whose bytes load only
/// when played.
fn media_view(g: Generation) -> impl IntoView {
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
        _ => g
            .params
            .aspect_ratio
            .as_deref()
            .and_then(|r| r.split_once(':'))
            .and_then(|(w, h)| Some((w.parse().ok()?, h.parse().ok()?)))
            .unwrap_or((1, 1)),
    };
    format!("{w} / {h}")
}
