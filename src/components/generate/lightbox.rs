//! The lightbox (the large view): a modal `dialog` named by the output's prompt, showing it
//! large with its prompt, seed, model and size, and the card's actions — Post…, Download and
//! Star, under the card's names. Escape closes it; ← and → move between finished outputs in
//! the grid's order, reading the next page of the session when they pass the last one held.

use leptos::prelude::*;

use crate::components::{Modal, ModalName};

use leptos::task::spawn_local;

use super::{DownloadLink, GridUi, PostButton, StarButton};
use crate::domain::{Generation, GenerationStatus, MediaKind};
use crate::services::{self, Services};

/// The lightbox over the grid; `ids` is the grid's order (what ←/→ move through).
#[component]
pub fn Lightbox(
    /// The ids the grid shows, in order.
    #[prop(into)]
    ids: Signal<Vec<String>>,
) -> impl IntoView {
    let app = Services::expect_context();
    let grid = GridUi::expect_context();
    let current: Memo<Option<Generation>> =
        Memo::new(move |_| grid.lightbox.get().and_then(|id| app.sessions.row(&id)).map(|r| r.get()));
    let shown = Memo::new(move |_| grid.lightbox.get());
    let finished = move || -> Vec<String> {
        ids.try_get_untracked()
            .unwrap_or_default()
            .into_iter()
            .filter(|id| app.sessions.get_untracked(id).is_some_and(|g| g.status == GenerationStatus::Completed))
            .collect()
    };
    // Past the last output held, the next page is read first: the large view steps through the
    // whole session, not only the pages the grid reached. Before the first, it wraps to the
    // last once every page is held.
    let step = move |by: isize| {
        let Some(open) = grid.lightbox.get_untracked() else { return };
        spawn_local(async move {
            let kind = grid.filter.get_untracked().listing();
            let mut list = finished();
            let Some(mut at) = list.iter().position(|id| *id == open) else { return };
            let more = move || app.sessions.listing_of(kind).with_untracked(|l| l.more);
            while by > 0 && at + 1 == list.len() && more() {
                let held = ids.try_with_untracked(Vec::len).unwrap_or(0);
                if let Err(e) = services::sessions::load_through(app, kind, held + 1).await {
                    app.ui.push_error(format!("Could not load more outputs: {}", e.user_message()));
                    return;
                }
                list = finished();
                at = list.iter().position(|id| *id == open).unwrap_or(at);
            }
            if by < 0 && at == 0 && more() {
                return;
            }
            // Still showing the output this step started from (not closed, moved or gone meanwhile).
            if grid.lightbox.try_get_untracked().flatten().as_ref() == Some(&open) && !list.is_empty() {
                let next = (at as isize + by).rem_euclid(list.len() as isize) as usize;
                grid.lightbox.try_set(Some(list[next].clone()));
            }
        });
    };
    // Home: the newest output; End: the oldest of the whole session (its pages read first).
    let jump = move |to_end: bool| {
        spawn_local(async move {
            let kind = grid.filter.get_untracked().listing();
            if to_end {
                let wanted =
                    app.sessions.count_of(kind).unwrap_or(0).max(ids.try_with_untracked(Vec::len).unwrap_or(0));
                if let Err(e) = services::sessions::load_through(app, kind, wanted).await {
                    app.ui.push_error(format!("Could not load more outputs: {}", e.user_message()));
                    return;
                }
            }
            let list = finished();
            let target = if to_end { list.last() } else { list.first() };
            if let (Some(target), true) = (target, grid.lightbox.try_get_untracked().flatten().is_some()) {
                grid.lightbox.try_set(Some(target.clone()));
            }
        });
    };
    let on_key = move |ev: leptos::ev::KeyboardEvent| match ev.key().as_str() {
        "Home" => {
            ev.prevent_default();
            jump(false);
        }
        "End" => {
            ev.prevent_default();
            jump(true);
        }
        "ArrowRight" => {
            ev.prevent_default();
            step(1);
        }
        "ArrowLeft" => {
            ev.prevent_default();
            step(-1);
        }
        _ => {}
    };
    let name = Signal::derive(move || current.with(|g| g.as_ref().map(|g| g.prompt.clone()).unwrap_or_default()));
    view! {
        <Modal
            open=Signal::derive(move || grid.lightbox.with(Option::is_some))
            on_close=move |_| grid.lightbox.set(None)
            name=ModalName::Label(name)
            on_keydown=on_key
            class="lightbox"
        >
            // Rendered again only when another output is shown: a star toggled keeps focus.
            {move || shown.get().and_then(|id| app.sessions.get_untracked(&id)).map(|g| {
                let starred = Signal::derive(move || current.with(|g| g.as_ref().is_some_and(|g| g.starred)));
                let size = match (g.width, g.height) {
                    (Some(w), Some(h)) => format!("{w} × {h}"),
                    _ => "unknown size".to_owned(),
                };
                let media = match g.kind {
                    MediaKind::Image => view! {
                        <img src=g.media_url.clone().unwrap_or_default() alt=g.prompt.clone()
                            width=g.width.unwrap_or(1024) height=g.height.unwrap_or(1024) />
                    }.into_any(),
                    MediaKind::Video => view! {
                        <video controls playsinline autoplay poster=g.thumbnail_url.clone()
                            width=g.width.unwrap_or(1024) height=g.height.unwrap_or(1024) aria-label=g.prompt.clone()>
                            <source src=g.media_url.clone().unwrap_or_default() type="video/mp4" />
                        </video>
                    }.into_any(),
                };
                view! {
                    <div class="lightbox-media">{media}</div>
                    <div class="lightbox-info">
                        <p class="lightbox-prompt">{g.prompt.clone()}</p>
                        <dl class="facts">
                            <dt>"Seed"</dt><dd>{g.params.seed.map(|s| s.to_string()).unwrap_or_else(|| "—".into())}</dd>
                            <dt>"Model"</dt><dd>{g.model.clone().unwrap_or_else(|| "—".into())}</dd>
                            <dt>"Size"</dt><dd>{size}</dd>
                        </dl>
                        <div class="form-actions lightbox-actions">
                            <PostButton generation=g.clone() before=Callback::new(move |_| grid.lightbox.set(None)) />
                            <DownloadLink generation=g.clone() />
                            <StarButton id=g.id.clone() starred=starred />
                        </div>
                        <div class="form-actions">
                            <button type="button" class="button" on:click=move |_| step(-1)>"Previous"</button>
                            <button type="button" class="button" on:click=move |_| step(1)>"Next"</button>
                            <button type="button" class="button button-primary" autofocus
                                on:click=move |_| grid.lightbox.set(None)>"Close"</button>
                        </div>
                        <p class="muted">"← and → move between outputs, Home and End go to the newest and the oldest; Escape closes."</p>
                    </div>
                }
            })}
        </Modal>
    }
}
