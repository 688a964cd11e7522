//! `/app/posts`: scheduled, publishing, published, failed and cancelled posts, newest first,
//! with where each came from; filter by status; live through Realtime.

use leptos::prelude::*;

use crate::components::posts::PostRow;
use crate::domain::publishing::post_status_label;
use crate::domain::PostStatus;
use crate::services::live::follow_posts;
use crate::services::{self, Services};
use crate::state::PlatformsState;

/// The posts page.
#[component]
pub fn PostsPage() -> impl IntoView {
    let app = Services::expect_context();
    // "Retry post" depends on whether the account's platform has a connector.
    services::platforms::ensure_loaded(app, PlatformsState::expect_context());
    let filter = RwSignal::new(None::<PostStatus>);
    leptos::task::spawn_local(async move {
        if let Err(e) = services::publish::load_accounts(app).await {
            app.ui.push_error(format!("Could not load your accounts: {}", e.user_message()));
        }
    });
    // The channel reloads the posts after every (re)join, the first one included.
    let feed = StoredValue::new_local(app.user_id().ok().map(|uid| follow_posts(app, uid)));
    on_cleanup(move || feed.set_value(None));
    let shown = Memo::new(move |_| {
        let wanted = filter.get();
        app.publish.all_posts().into_iter().filter(|p| wanted.is_none_or(|w| p.status == w)).collect::<Vec<_>>()
    });
    let choices: Vec<(Option<PostStatus>, &'static str)> = std::iter::once((None, "All"))
        .chain(PostStatus::ALL.iter().map(|s| (Some(*s), post_status_label(*s))))
        .collect();
    view! {
        <main class="page" id="main">
            <h1>"Posts"</h1>
            <fieldset class="segmented">
                <legend>"Status"</legend>
                {choices.into_iter().map(|(value, label)| view! {
                    <label>
                        <input type="radio" name="post-filter" checked=move || filter.get() == value
                            on:change=move |_| filter.set(value) />
                        {label}
                    </label>
                }).collect_view()}
            </fieldset>
            <Show when=move || !shown.with(Vec::is_empty)
                fallback=|| view! { <p class="results-empty">"No posts here yet — post an output from the Generate page."</p> }>
                <ul class="post-list" aria-label="Posts">
                    <For each=move || shown.get() key=|p| (p.id.clone(), p.updated_at.clone()) let:post>
                        <PostRow post />
                    </For>
                </ul>
            </Show>
        </main>
    }
}
