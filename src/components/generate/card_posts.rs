//! Where an output went: "Posted to" and one badge per post (account and status), from the
//! posts read with the grid's page. While a post is scheduled or publishing, the output cannot
//! be deleted; [`delete_block`] says why.

use leptos::prelude::*;

use crate::components::posts::StatusBadge;
use crate::domain::publishing::platform_name;
use crate::domain::{Post, PostStatus};
use crate::services::Services;

/// Why the output cannot be deleted now (a post still on its way), if so.
pub fn delete_block(posts: &[Post]) -> Option<&'static str> {
    posts.iter().any(|p| matches!(p.status, PostStatus::Scheduled | PostStatus::Publishing)).then_some(
        "A post of this output is scheduled or publishing: cancel it on the Posts page to delete the output.",
    )
}

/// "Posted to Instagram @fox.ig ✓ Published, X @fox ◷ Scheduled" (nothing when it has no posts).
#[component]
pub fn CardPosts(
    /// The output's posts.
    #[prop(into)]
    posts: Signal<Vec<Post>>,
) -> impl IntoView {
    let app = Services::expect_context();
    move || {
        let posts = posts.get();
        (!posts.is_empty()).then(|| {
            let items = posts
                .into_iter()
                .map(|post| {
                    let account = {
                        let id = post.account_id.clone();
                        move || {
                            app.publish
                                .account(&id)
                                .map(|a| format!("{} {}", platform_name(a.platform), a.at_handle()))
                                .unwrap_or_else(|| "an account".to_owned())
                        }
                    };
                    view! {
                        <li>
                            <span class="card-post-account">{account}</span>
                            " "
                            <StatusBadge status=post.status />
                        </li>
                    }
                })
                .collect_view();
            view! {
                <div class="card-posts">
                    <span class="card-posts-head">"Posted to"</span>
                    <ul class="card-post-list" aria-label="Posted to">{items}</ul>
                </div>
            }
        })
    }
}
