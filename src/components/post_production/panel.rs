//! The post dialog ("Post"): the generation's thumbnail, prompt and seed stay visible above
//! the three steps; Next, Back and Close move through them. The URL opens it (see
//! [`PostUrl`]): `?post=<generation id>` shows that generation, read by id when the grid does
//! not hold it, or says it was not found. It starts at step 1 each time it opens, with the
//! creator's kept draft of that generation if any (see `services::publish::open`); "Discard
//! draft" starts it again empty.

use leptos::prelude::*;

use crate::components::{Modal, ModalName};

use super::post_steps::PostSteps;
use super::PostUrl;
use crate::services::{self, post_drafts, Services};
use crate::state::post_draft::PostTarget;
use crate::state::publish::Selection;
use crate::state::PlatformsState;

/// The dialog; shown while the URL names a generation.
#[component]
pub fn PostProduction() -> impl IntoView {
    let app = Services::expect_context();
    let publish = app.publish;
    let platforms = PlatformsState::expect_context();
    let url = PostUrl::expect_context();
    let target = RwSignal::new(PostTarget::Closed);

    // The URL decides what the dialog shows. A draft left open elsewhere is closed first: a
    // draft lives only while its URL is shown.
    Effect::new(move |_| {
        let wanted = url.wanted.get();
        publish.close();
        let Some(id) = wanted else {
            target.set(PostTarget::Closed);
            return;
        };
        if let Some(found) = post_drafts::held_target(app, &id) {
            show(app, platforms, target, found);
            return;
        }
        target.set(PostTarget::Loading(id.clone()));
        leptos::task::spawn_local(async move {
            let found = post_drafts::read_target(app, id.clone()).await;
            if url.wanted.get_untracked().as_deref() == Some(id.as_str()) {
                show(app, platforms, target, found);
            }
        });
    });
    // The draft closed from inside (a successful publish): the URL follows.
    Effect::new(move |was: Option<Option<String>>| {
        let now = publish.draft.with(|d| d.as_ref().map(|d| d.generation_id.clone()));
        if let Some(Some(closed)) = was.filter(|_| now.is_none()) {
            let shown = target.with_untracked(|t| t.ready_id() == Some(closed.as_str()));
            if shown && url.wanted.get_untracked().as_deref() == Some(closed.as_str()) {
                url.leave();
            }
        }
        now
    });
    // Leaving the page closes the draft: coming back opens only what the URL names.
    on_cleanup(move || publish.close());
    // Close and Escape move the URL; the dialog follows it (above).
    let dismiss = move || url.leave();

    let open = Memo::new(move |_| publish.draft.with(Option::is_some));
    let shown = Memo::new(move |_| target.with(PostTarget::is_open));
    // The live row when the grid holds it (a star or a new thumbnail shows), else the row read.
    let generation = Memo::new(move |_| {
        let read = target.with(|t| match t {
            PostTarget::Ready(g) => Some((**g).clone()),
            _ => None,
        })?;
        Some(app.sessions.row(&read.id).map(|row| row.get()).unwrap_or(read))
    });
    // "Made for" preselection follows the data: it runs when the accounts or the platform
    // rules arrive after the panel opened (once per open; see `services::publish::preselect`).
    Effect::new(move |_| {
        let awaiting = publish.draft.with(|d| d.as_ref().is_some_and(|d| d.selection == Selection::AwaitingAccounts));
        publish.accounts.track();
        publish.accounts_loaded.track();
        platforms.limits.track();
        if awaiting {
            services::publish::preselect(app, platforms);
        }
    });
    // Every change of the draft is kept for the next open (same tab: reloads and redirects too).
    Effect::new(move |_| {
        publish.draft.track();
        services::post_drafts::keep_open_draft(app);
    });
    view! {
        <Modal
            open=shown
            on_close=move |_| dismiss()
            name=ModalName::LabelledBy("post-production-title".to_owned())
            class="post-production"
        >
            <div class="pp-head">
                <h2 id="post-production-title">"Post"</h2>
                <button type="button" class="button button-ghost button-small" hidden=move || !open.get()
                    on:click=move |_| services::publish::discard_draft(app, platforms)>
                    "Discard draft"
                </button>
                <button type="button" class="button button-ghost button-small" on:click=move |_| dismiss()>
                    "Close"
                </button>
            </div>
            {move || generation.get().map(|g| view! {
                <div class="pp-source">
                    <img
                        src=g.thumbnail_url.clone().or(g.media_url.clone()).unwrap_or_default()
                        alt=g.prompt.clone()
                        width="64"
                        height="64"
                    />
                    <div>
                        <p class="pp-prompt">{g.prompt.clone()}</p>
                        <p class="muted">{g.params.seed.map(|s| format!("Seed {s}"))}</p>
                    </div>
                </div>
            })}
            // Nothing to post here: why, in the dialog (never another output, never the server's text).
            {move || target.with(missing_view)}
            <Show when=move || open.get()>
                <PostSteps />
            </Show>
        </Modal>
    }
}

/// Shows what the URL named: the generation's draft (opened at step 1), or why there is none.
fn show(app: Services, platforms: PlatformsState, target: RwSignal<PostTarget>, found: PostTarget) {
    if let PostTarget::Ready(g) = &found {
        services::publish::open(app, platforms, g);
    }
    target.set(found);
}

/// The dialog's text while there is no draft to show: loading, not found, or the read failed.
fn missing_view(target: &PostTarget) -> Option<AnyView> {
    let (title, text) = match target {
        PostTarget::Closed | PostTarget::Ready(_) => return None,
        PostTarget::Loading(_) => {
            return Some(view! { <p class="pp-missing muted" aria-busy="true">"Opening this output…"</p> }.into_any());
        }
        PostTarget::NotFound => (
            "Output not found",
            "This link names no output of yours: it may have been deleted, or it belongs to someone else. Nothing was posted.".to_owned(),
        ),
        PostTarget::Unfinished => {
            ("Not ready to post", "This output has not finished generating, so there is nothing to post yet.".to_owned())
        }
        PostTarget::Failed(why) => ("Could not open this output", why.clone()),
    };
    Some(
        view! {
            <div class="pp-missing" role="alert">
                <p><strong>{title}</strong></p>
                <p>{text}</p>
            </div>
        }
        .into_any(),
    )
}
