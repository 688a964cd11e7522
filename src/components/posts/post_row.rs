//! One post: its account, status, time on the creator's clock (with the account's beside it
//! when it lives in another zone), caption and hashtags, and where it came from — the
//! generation's thumbnail, prompt, seed and model. A scheduled post can be edited (the page's
//! [`super::EditPostDialog`]) or cancelled, and a finished one (published, failed, cancelled)
//! removed from Atelier, each after the page's confirmation ([`PostAction`]). While it goes out: "Publishing…", or "Retrying at 14:05" (the creator's
//! clock) with the last attempt's reason; once out, a link to it on the platform; a failed
//! post says why and, when its account can take it again, offers "Retry post".

use leptos::prelude::*;

use super::edit_post_dialog::{edit_button_id, EditingPost};
use super::post_time::post_time_label;
use super::StatusBadge;
use crate::domain::publishing::{is_pending_post_id, platform_name, view_on_label};
use crate::domain::time::parse_timestamp;
use crate::domain::{Post, PostStatus};
use crate::services::time_zone::BrowserZone;
use crate::services::{self, Services};
use crate::state::PlatformsState;

use super::PostAction;

/// A row of the posts list.
#[component]
pub fn PostRow(
    /// The post to show.
    post: Post,
) -> impl IntoView {
    let app = Services::expect_context();
    let platforms = PlatformsState::expect_context();
    // Accounts and platform rules may arrive after the posts: the row follows them.
    let account = {
        let id = post.account_id.clone();
        Memo::new(move |_| app.publish.account(&id))
    };
    let source = {
        let id = post.generation_id.clone();
        Memo::new(move |_| app.publish.sources.with(|s| s.get(&id).cloned()))
    };
    let zone = move || account.with(|a| a.as_ref().and_then(|a| a.timezone.clone()));
    let when = {
        let post = post.clone();
        move || {
            match post.status {
                PostStatus::Published => post.published_at.as_deref().map(|t| ("Published", t)),
                _ => post.scheduled_at.as_deref().map(|t| ("Scheduled for", t)),
            }
            .and_then(|(what, t)| {
                let at = parse_timestamp(t)? / 1000;
                Some(format!("{what} {}", post_time_label(at, zone().as_deref())?))
            })
        }
    };
    let who =
        move || account.with(|a| a.as_ref().map(|a| a.label())).unwrap_or_else(|| "An account you removed".to_owned());
    let pending = is_pending_post_id(&post.id);
    let retrying = post.retrying_at().and_then(|at| retry_clock(at / 1000));
    let link = post.web_url().map(str::to_owned).map(|url| {
        let name = move || account.with(|a| a.as_ref().map(|a| view_on_label(a.platform)));
        view! {
            <a class="post-link" href=url target="_blank" rel="noopener noreferrer">
                {move || name().unwrap_or_else(|| "View the post".to_owned())}
            </a>
        }
    });
    let can_retry = {
        let post = post.clone();
        Memo::new(move |_| {
            account.with(|a| {
                let connector = a.as_ref().and_then(|a| platforms.of(a.platform)).is_some_and(|l| l.has_connector);
                post.can_retry(a.as_ref(), connector)
            })
        })
    };
    let confirm = expect_context::<RwSignal<Option<PostAction>>>();
    let removable =
        !pending && matches!(post.status, PostStatus::Published | PostStatus::Failed | PostStatus::Cancelled);
    let remove = {
        let (id, published) = (post.id.clone(), post.status == PostStatus::Published);
        move |_| {
            let went_out_on = published
                .then(|| account.with_untracked(|a| a.as_ref().map(|a| platform_name(a.platform))))
                .map(|name| name.unwrap_or("the network"));
            confirm.set(Some(PostAction::Remove { id: id.clone(), went_out_on }));
        }
    };
    let retry = {
        let id = post.id.clone();
        Action::new_local(move |_: &()| {
            let id = id.clone();
            async move {
                match services::publish::retry_post(app, id).await {
                    Ok(()) => app.ui.push_success("Sending the post again."),
                    Err(e) => app.ui.push_error(format!("Could not retry: {}", e.user_message())),
                }
            }
        })
    };
    let tags = post.hashtags.join(" ");
    let badge = pending.then_some("Sending…");
    let status = post.status;
    view! {
        <li class="post-row" data-status=post.status.as_str()>
            {move || source.get().map(|s| view! {
                <img class="post-thumb" src=s.thumbnail_url.clone().or(s.media_url.clone()).unwrap_or_default()
                    alt=s.prompt.clone() width="72" height="72" loading="lazy" />
            })}
            <div class="post-body">
                <p class="post-head">
                    <strong>{who}</strong>
                    <StatusBadge status label=badge />
                </p>
                {move || when().map(|t| view! { <p class="muted">{t}</p> })}
                {retrying.map(|clock| view! { <p class="post-retry">{format!("Retrying at {clock}")}</p> })}
                // While it is still on its way, the last attempt's reason is news, not a failure.
                {post.error.clone().map(|e| {
                    let class = if post.status == PostStatus::Publishing { "post-reason" } else { "result-error" };
                    view! { <p class=class>{e}</p> }
                })}
                {link}
                <p class="post-caption">{post.caption.clone()}</p>
                <p class="post-tags">{tags}</p>
                {move || source.get().map(|s| view! {
                    <p class="muted post-source">
                        {format!("From “{}”", s.prompt)}
                        {s.params.seed.map(|seed| format!(" · seed {seed}"))}
                        {s.model.map(|m| format!(" · {m}"))}
                    </p>
                })}
            </div>
            {(post.status == PostStatus::Scheduled && !pending).then(|| {
                let id = post.id.clone();
                let editing = expect_context::<EditingPost>().0;
                let this = post.clone();
                view! {
                    <button type="button" class="button button-small" id=edit_button_id(&post.id)
                        on:click=move |_| editing.set(Some(this.clone()))>"Edit post"</button>
                    <button type="button" class="button button-small"
                        on:click=move |_| confirm.set(Some(PostAction::Cancel { id: id.clone() }))>"Cancel post"</button>
                }
            })}
            {move || (can_retry.get() && !pending).then(|| view! {
                <button type="button" class="button button-small" disabled=move || retry.pending().get()
                    on:click=move |_| { retry.dispatch(()); }>"Retry post"</button>
            })}
            {removable.then(|| view! {
                <button type="button" class="button button-small button-ghost" on:click=remove>"Remove"</button>
            })}
        </li>
    }
}

/// "14:05": an instant on the creator's own clock (the browser's zone).
fn retry_clock(utc_ms: i64) -> Option<String> {
    Some(BrowserZone::browser_default()?.local_parts(utc_ms).clock())
}
