//! Connected accounts and posts as the database holds them, and the outcome message of a
//! publish, built from the statuses the database returned — never from what was asked.

use serde::{Deserialize, Serialize};

use super::time::{parse_timestamp, EpochMicros};
use super::{AccountStatus, MediaKind, Platform, PostStatus};

/// One row of `public.connected_accounts`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConnectedAccount {
    pub id: String,
    pub user_id: String,
    pub platform: Platform,
    pub handle: String,
    #[serde(default)]
    pub display_name: Option<String>,
    pub status: AccountStatus,
    /// IANA zone for scheduled times; `None` means the creator's own.
    #[serde(default)]
    pub timezone: Option<String>,
    /// Who it is on the platform, stable where handles are not (Bluesky DID,
    /// Mastodon `<account id>@<instance host>`); `None` for mock accounts.
    #[serde(default)]
    pub remote_id: Option<String>,
    /// Where it is served (Bluesky PDS, Mastodon instance base URL).
    #[serde(default)]
    pub service_url: Option<String>,
    /// Its own text limit (a Mastodon instance's `max_characters`); `None`: the platform's.
    #[serde(default)]
    pub caption_max: Option<u32>,
    pub created_at: String,
    pub updated_at: String,
}

impl ConnectedAccount {
    /// "@handle on Instagram".
    pub fn label(&self) -> String {
        format!("{} on {}", self.at_handle(), platform_name(self.platform))
    }

    /// "@handle", however the handle was stored.
    pub fn at_handle(&self) -> String {
        format!("@{}", self.handle.trim_start_matches('@'))
    }

    /// Whether the account must be connected again before it can publish.
    pub fn needs_reconnect(&self) -> bool {
        matches!(self.status, AccountStatus::Expired | AccountStatus::Revoked)
    }
}

/// The id an optimistic post carries while its publish is on its way: the send's request key
/// and the post's place in it. No database id has this shape (those are UUIDs).
pub fn pending_post_id(request_key: &str, index: usize) -> String {
    format!("{PENDING_PREFIX}{request_key}-{index}")
}

/// Whether `id` is an optimistic post's (see [`pending_post_id`]), not yet a row.
pub fn is_pending_post_id(id: &str) -> bool {
    id.starts_with(PENDING_PREFIX)
}

const PENDING_PREFIX: &str = "pending-";

/// One row of `public.posts`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Post {
    pub id: String,
    pub user_id: String,
    pub generation_id: String,
    pub account_id: String,
    #[serde(default)]
    pub caption: String,
    #[serde(default)]
    pub hashtags: Vec<String>,
    pub status: PostStatus,
    #[serde(default)]
    pub scheduled_at: Option<String>,
    #[serde(default)]
    pub published_at: Option<String>,
    /// Why it failed, was cancelled, or (while publishing) why the last attempt did not go out.
    #[serde(default)]
    pub error: Option<String>,
    /// Its id on the platform once published (Bluesky at-uri, Mastodon status id).
    #[serde(default)]
    pub remote_id: Option<String>,
    /// Its public address on the platform once published.
    #[serde(default)]
    pub remote_url: Option<String>,
    /// While publishing: when the next attempt is due (a retry after a failed attempt).
    #[serde(default)]
    pub next_attempt_at: Option<String>,
    /// Delivery attempts so far.
    #[serde(default)]
    pub attempts: u32,
    pub created_at: String,
    pub updated_at: String,
}

/// Where a post came from: its generation's prompt, seed, model and thumbnail (provenance,
/// embedded in the posts page's read as `generation:generations(…)`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostSource {
    pub id: String,
    pub kind: MediaKind,
    pub prompt: String,
    #[serde(default)]
    pub params: super::generation::GenerationParams,
    #[serde(default)]
    pub model: Option<String>,
    #[serde(default)]
    pub thumbnail_url: Option<String>,
    #[serde(default)]
    pub media_url: Option<String>,
}

/// A post with its source, as the posts page reads them.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct PostWithSource {
    #[serde(flatten)]
    pub post: Post,
    #[serde(default)]
    pub generation: Option<PostSource>,
}

impl Post {
    /// `updated_at` as an instant (the merge rule's version).
    pub fn version(&self) -> Option<EpochMicros> {
        parse_timestamp(&self.updated_at)
    }

    /// When the next attempt is due, while a publishing post waits to be tried again.
    pub fn retrying_at(&self) -> Option<EpochMicros> {
        (self.status == PostStatus::Publishing).then_some(())?;
        parse_timestamp(self.next_attempt_at.as_deref()?)
    }

    /// The post's address on the platform, when it has one that a link may point to (an
    /// `http(s)` URL; anything else is not offered as a link).
    pub fn web_url(&self) -> Option<&str> {
        self.remote_url.as_deref().filter(|u| is_web_url(u))
    }

    /// Whether "Retry post" can send it again: it failed, and its account (`account`, with
    /// `has_connector` from its platform's row) is connected to a platform Atelier sends to.
    pub fn can_retry(&self, account: Option<&ConnectedAccount>, has_connector: bool) -> bool {
        self.status == PostStatus::Failed
            && has_connector
            && account.is_some_and(|a| a.id == self.account_id && a.status == AccountStatus::Active)
    }
}

/// Whether `text` is an absolute `http://` or `https://` address with a host (what a link or a
/// redirect from a function's answer may point to; never `javascript:` or a relative path).
pub fn is_web_url(text: &str) -> bool {
    let rest = text.strip_prefix("https://").or_else(|| text.strip_prefix("http://"));
    rest.is_some_and(|r| {
        !r.is_empty() && !r.starts_with('/') && !text.chars().any(|c| c.is_whitespace() || c.is_control())
    })
}

impl super::merge::Versioned for Post {
    fn key(&self) -> &str {
        &self.id
    }
    fn version(&self) -> Option<EpochMicros> {
        Post::version(self)
    }
    fn created(&self) -> Option<EpochMicros> {
        parse_timestamp(&self.created_at)
    }
}

/// The distinct platforms of the selected accounts, in platform order.
pub fn selected_platforms(accounts: &[ConnectedAccount], selected: &[String]) -> Vec<Platform> {
    Platform::ALL
        .iter()
        .copied()
        .filter(|p| accounts.iter().any(|a| a.platform == *p && selected.contains(&a.id)))
        .collect()
}

/// A platform's name as people write it.
pub fn platform_name(platform: Platform) -> &'static str {
    match platform {
        Platform::Instagram => "Instagram",
        Platform::Tiktok => "TikTok",
        Platform::X => "X",
        Platform::Linkedin => "LinkedIn",
        Platform::Facebook => "Facebook",
        Platform::Youtube => "YouTube",
        Platform::Threads => "Threads",
        Platform::Pinterest => "Pinterest",
        Platform::Bluesky => "Bluesky",
        Platform::Mastodon => "Mastodon",
    }
}

/// An account's status as people read it.
pub fn account_status_label(status: AccountStatus) -> &'static str {
    match status {
        AccountStatus::Active => "Connected",
        AccountStatus::Mock => "Mock",
        AccountStatus::Expired => "Expired",
        AccountStatus::Revoked => "Revoked",
    }
}

/// A post's status on its badge: as [`post_status_label`], with "Publishing…" while it is on
/// its way.
pub fn post_badge_label(status: PostStatus) -> &'static str {
    match status {
        PostStatus::Publishing => "Publishing…",
        other => post_status_label(other),
    }
}

/// "View on Bluesky": the link to a published post.
pub fn view_on_label(platform: Platform) -> String {
    format!("View on {}", platform_name(platform))
}

/// A post's status as people read it.
pub fn post_status_label(status: PostStatus) -> &'static str {
    match status {
        PostStatus::Scheduled => "Scheduled",
        PostStatus::Publishing => "Publishing",
        PostStatus::Published => "Published",
        PostStatus::Failed => "Failed",
        PostStatus::Cancelled => "Cancelled",
    }
}

fn accounts(n: usize) -> String {
    if n == 1 {
        "1 account".to_owned()
    } else {
        format!("{n} accounts")
    }
}

/// The message for posts the database returned: one group per status, in a fixed order,
/// e.g. "Published to 1 account; publishing to 1 account". `scheduled_label` formats the
/// scheduled time as the creator picked it ("Thu 3 Dec, 14:00 (Europe/Berlin)").
pub fn outcome_message(posts: &[Post], scheduled_label: Option<&str>) -> String {
    let count = |status: PostStatus| posts.iter().filter(|p| p.status == status).count();
    let mut parts: Vec<String> = Vec::new();
    let mut push = |text: String| {
        let text = if parts.is_empty() { capitalise(&text) } else { text };
        parts.push(text);
    };
    let published = count(PostStatus::Published);
    if published > 0 {
        push(format!("published to {}", accounts(published)));
    }
    let publishing = count(PostStatus::Publishing);
    if publishing > 0 {
        push(format!("publishing to {}", accounts(publishing)));
    }
    let scheduled = count(PostStatus::Scheduled);
    if scheduled > 0 {
        match scheduled_label {
            Some(when) => push(format!("scheduled for {when} on {}", accounts(scheduled))),
            None => push(format!("scheduled on {}", accounts(scheduled))),
        }
    }
    let failed = count(PostStatus::Failed);
    if failed > 0 {
        push(format!("failed on {}", accounts(failed)));
    }
    let cancelled = count(PostStatus::Cancelled);
    if cancelled > 0 {
        push(format!("cancelled on {}", accounts(cancelled)));
    }
    if parts.is_empty() {
        "Nothing was posted.".to_owned()
    } else {
        parts.join("; ")
    }
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
#[path = "publishing_tests.rs"]
mod tests;
