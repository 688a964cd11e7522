//! One post: its account, status, time in the account's zone, caption and hashtags, and
//! where it came from — the generation's thumbnail, prompt, seed and model. A scheduled post
//! can be cancelled.

use leptos::prelude::*;

use crate::domain::publishing::{platform_name, post_status_label};
use crate::domain::schedule::format_in_zone;
use crate::domain::time::parse_timestamp;
use crate::domain::{Post, PostStatus};
use crate::services::time_zone::{browser_time_zone, BrowserZone};
use crate::services::{self, Services};

/// A row of the posts list.
#[component]
pub fn PostRow(
    /// The post to show.
    post: Post,
) -> impl IntoView {
    let app = Services::expect_context();
    let account = app.publish.account(&post.account_id);
    let source = {
        let id = post.generation_id.clone();
        Memo::new(move |_| app.publish.sources.with(|s| s.get(&id).cloned()))
    };
    let zone =
        account.as_ref().and_then(|a| a.timezone.clone()).or_else(browser_time_zone).unwrap_or_else(|| "UTC".into());
    let when = match post.status {
        PostStatus::Published => post.published_at.as_deref().map(|t| ("Published", t)),
        _ => post.scheduled_at.as_deref().map(|t| ("Scheduled for", t)),
    }
    .and_then(|(what, t)| Some(format!("{what} {}", local_label(t, &zone)?)));
    let who = account
        .map(|a| format!("@{} on {}", a.handle, platform_name(a.platform)))
        .unwrap_or_else(|| "An account you removed".to_owned());
    let pending = post.id.starts_with("pending-");
    let cancel = {
        let id = post.id.clone();
        Action::new_local(move |_: &()| {
            let id = id.clone();
            async move {
                match services::publish::cancel_post(app, id).await {
                    Ok(()) => app.ui.push_success("Post cancelled."),
                    Err(e) => app.ui.push_error(format!("Could not cancel: {}", e.user_message())),
                }
            }
        })
    };
    let tags = post.hashtags.join(" ");
    view! {
        <li class="post-row" data-status=post.status.as_str()>
            {move || source.get().map(|s| view! {
                <img class="post-thumb" src=s.thumbnail_url.clone().or(s.media_url.clone()).unwrap_or_default()
                    alt=s.prompt.clone() width="72" height="72" loading="lazy" />
            })}
            <div class="post-body">
                <p class="post-head">
                    <strong>{who}</strong>
                    <span class="status-badge">{if pending { "Sending…" } else { post_status_label(post.status) }}</span>
                </p>
                {when.map(|t| view! { <p class="muted">{t}</p> })}
                {post.error.clone().map(|e| view! { <p class="result-error">{e}</p> })}
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
            {(post.status == PostStatus::Scheduled && !pending).then(|| view! {
                <button type="button" class="button button-small" disabled=move || cancel.pending().get()
                    on:click=move |_| { cancel.dispatch(()); }>"Cancel post"</button>
            })}
        </li>
    }
}

/// "Thu 3 Dec, 14:00 (Europe/Berlin)" for a timestamp, in `zone`.
fn local_label(timestamp: &str, zone: &str) -> Option<String> {
    let ms = parse_timestamp(timestamp)? / 1000;
    let local = BrowserZone::new(zone).ok()?.local_parts(ms);
    Some(format_in_zone(&local, zone))
}
