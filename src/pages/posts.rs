//! `/app/posts`: scheduled, publishing, published, failed and cancelled posts, newest first,
//! a page at a time ("Load more posts"), with where each came from; filter by status (among
//! the posts loaded); live through Realtime. A scheduled post can be edited until it goes out
//! ("Edit post"); cancelling and removing a post ask first.

use leptos::html;
use leptos::prelude::*;

use crate::components::posts::{EditPostDialog, EditingPost, PostAction, PostActionDialogs, PostRow};
use crate::domain::publishing::post_status_label;
use crate::domain::PostStatus;
use crate::services::post_pages::{self, PostPages};
use crate::services::{self, Services};

/// The posts page.
#[component]
pub fn PostsPage() -> impl IntoView {
    let app = Services::expect_context();
    let filter = RwSignal::new(None::<PostStatus>);
    leptos::task::spawn_local(async move {
        if let Err(e) = services::publish::load_accounts(app).await {
            app.ui.push_error(format!("Could not load your accounts: {}", e.user_message()));
        }
    });
    // The channel reads the posts after every (re)join, the first one included.
    let pages = PostPages::new();
    let feed = StoredValue::new_local(app.user_id().ok().map(|uid| post_pages::follow(app, pages, uid)));
    on_cleanup(move || feed.set_value(None));
    let shown = Memo::new(move |_| {
        let wanted = filter.get();
        app.publish
            .all_posts()
            .into_iter()
            .filter(|p| wanted.is_none_or(|w| p.status == w) && pages.covers(p))
            .collect::<Vec<_>>()
    });
    let list = NodeRef::<html::Ul>::new();
    let load_more = Action::new_local(move |_: &()| async move {
        match post_pages::load_more(app, pages).await {
            // Once the button is gone, focus goes to the list rather than to the page's start.
            Ok(()) if !pages.more.get_untracked() => {
                gloo_timers::future::TimeoutFuture::new(0).await;
                if let Some(list) = list.get_untracked() {
                    let _ = list.focus();
                }
            }
            Ok(()) => {}
            Err(e) => app.ui.push_error(format!("Could not load more posts: {}", e.user_message())),
        }
    });
    let confirm = RwSignal::new(None::<PostAction>);
    provide_context(confirm);
    provide_context(EditingPost(RwSignal::new(None)));
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
                <ul class="post-list" aria-label="Posts" tabindex="-1" node_ref=list>
                    <For each=move || shown.get() key=|p| (p.id.clone(), p.updated_at.clone()) let:post>
                        <PostRow post />
                    </For>
                </ul>
            </Show>
            <Show when=move || pages.more.get()>
                <button
                    type="button"
                    class="button load-more"
                    aria-busy=move || load_more.pending().get().to_string()
                    disabled=move || load_more.pending().get()
                    on:click=move |_| {
                        load_more.dispatch(());
                    }
                >
                    "Load more posts"
                </button>
            </Show>
            <EditPostDialog />
            <PostActionDialogs confirm />
        </main>
    }
}
