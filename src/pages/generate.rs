//! `/app/generate` and `/app/generate/:session_id`: the session rail, the prompt canvas and
//! the live result grid. The URL names the session, so reload, back/forward and a shared link
//! land on it; `/app/generate` goes to the newest session, or shows the empty workspace.
//! `?post=<generation id>` opens the post dialog over it (see [`PostUrl`]).

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map};
use leptos_router::NavigateOptions;

use crate::components::generate::{CanvasForm, GenerationCanvas, OptionsFold, ResultGrid, SessionHeading, SessionRail};
use crate::components::post_production::{PostProduction, PostUrl};
use crate::domain::routes::{self, Route};
use crate::services::after_paint::after_next_paint;
use crate::services::live::{follow_session, SessionFeed};
use crate::services::{self, Services};
use crate::state::sessions::CurrentSession;

/// The generate workspace.
#[component]
pub fn GeneratePage() -> impl IntoView {
    let app = Services::expect_context();
    let params = use_params_map();
    let navigate = use_navigate();
    let form = CanvasForm::provide();
    PostUrl::provide();
    let wanted = Memo::new(move |_| params.with(|p| p.get(routes::SESSION_ID)));
    // Post-production offers the user's accounts: load them once per visit, once the first
    // data (the rail's sessions or the session's rows) is painted, so they never hold the first
    // screen up. The Distribution step follows the list whenever it arrives, and opening the
    // post dialog reads it again.
    let first_data = Memo::new(move |_| {
        app.sessions.loaded.get()
            || app.sessions.current.with(|c| matches!(c, CurrentSession::Ready(_) | CurrentSession::NotFound(_)))
    });
    Effect::new(move |started: Option<bool>| {
        if started == Some(true) || !first_data.get() {
            return started == Some(true);
        }
        after_next_paint(move || services::publish::reload_accounts(app));
        true
    });

    let not_found = Memo::new(move |_| app.sessions.current.with(|c| matches!(c, CurrentSession::NotFound(_))));

    // Open the session the URL names (or none), and follow it live while it is shown: from
    // the frame after it opened, so setting up the socket stays off the first screen's path.
    // Every (re)join re-reads the range of rows held, so a change made meanwhile still lands.
    let feed: StoredValue<Option<SessionFeed>, LocalStorage> = StoredValue::new_local(None);
    Effect::new(move |_| {
        let id = wanted.get();
        feed.set_value(None);
        match id {
            None => app.sessions.show(CurrentSession::None),
            Some(id) => {
                leptos::task::spawn_local(async move {
                    if let Err(e) = services::sessions::open(app, id.clone()).await {
                        app.ui.push_error(format!("Could not open this session: {}", e.user_message()));
                    }
                    after_next_paint(move || {
                        let shown = wanted.try_get_untracked().flatten().as_deref() == Some(id.as_str());
                        if shown && not_found.try_get_untracked() == Some(false) {
                            // A page gone by now drops the feed at once (the value is handed back).
                            let _ = feed.try_set_value(Some(follow_session(app, id)));
                        }
                    });
                });
            }
        }
    });
    on_cleanup(move || feed.set_value(None));

    // `/app/generate` with sessions: go to the newest one.
    Effect::new(move |_| {
        if wanted.get().is_none() && app.sessions.loaded.get() {
            if let Some(newest) = app.sessions.newest_id() {
                navigate(&Route::Session(&newest).href(), NavigateOptions { replace: true, ..Default::default() });
            }
        }
    });

    view! {
        <div class="workspace">
            <SessionRail />
            // Until the canvas knows whether the session has results, its options may still
            // unfold: what sits below them waits unpainted (style/generate.css) so it never
            // shows in one place and jumps to another.
            <main class="studio" id="main" class:fold-undecided=move || form.options.get() == OptionsFold::Undecided>
                // Only "found or not" re-renders the studio: the canvas, the grid and their
                // work in flight stay mounted while the session loads and opens.
                <Show when=move || !not_found.get() fallback=|| view! {
                    <div class="not-found card" role="alert">
                        <h1>"Session not found"</h1>
                        <p>"This session does not exist, or it is not yours. Pick one in the rail or start a new one."</p>
                        <a class="button" href=Route::Generate.href()>"Go to your sessions"</a>
                    </div>
                }>
                    <SessionHeading />
                    <GenerationCanvas />
                    <ResultGrid />
                    <PostProduction />
                </Show>
            </main>
        </div>
    }
}
