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
    pub created_at: String,
    pub updated_at: String,
}

impl ConnectedAccount {
    /// Whether a post of `kind` can go to this account: it can publish, and its platform
    /// takes that kind of media (`takes` comes from the platform limits the database holds).
    pub fn usable_for(&self, takes: impl Fn(Platform, MediaKind) -> bool, kind: MediaKind) -> bool {
        self.status.can_publish() && takes(self.platform, kind)
    }

    /// "@handle on Instagram".
    pub fn label(&self) -> String {
        format!("@{} on {}", self.handle.trim_start_matches('@'), platform_name(self.platform))
    }
}

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
    #[serde(default)]
    pub error: Option<String>,
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

/// The zone the schedule picker uses for the selected accounts: an account's zone is its own
/// `timezone`, or the creator's (`own`, the browser's) when it has none. When every selected
/// account resolves to one zone the picker uses it (`shared` true); otherwise the creator's
/// own, and each account's local time is shown beside it.
pub fn picker_zone(selected: &[&ConnectedAccount], own: &str) -> (String, bool) {
    let zone_of = |a: &ConnectedAccount| a.timezone.clone().unwrap_or_else(|| own.to_owned());
    let mut zones: Vec<String> = selected.iter().map(|a| zone_of(a)).collect();
    zones.dedup();
    match zones.as_slice() {
        [one] => (one.clone(), true),
        [] => (own.to_owned(), true),
        _ => (own.to_owned(), false),
    }
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
        AccountStatus::Mock => "Mock (test) account",
        AccountStatus::Expired => "Expired — reconnect it",
        AccountStatus::Revoked => "Revoked — reconnect it",
    }
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
mod tests {
    use super::*;

    fn post(status: PostStatus) -> Post {
        serde_json::from_value(serde_json::json!({
            "id": "p", "user_id": "u", "generation_id": "g", "account_id": "a", "caption": "c",
            "hashtags": ["#a"], "status": status.as_str(),
            "created_at": "2026-11-26T10:00:00+00:00", "updated_at": "2026-11-26T10:00:00+00:00",
        }))
        .unwrap()
    }

    #[test]
    fn messages_follow_what_the_database_returned() {
        use PostStatus::*;
        assert_eq!(outcome_message(&[post(Published), post(Published)], None), "Published to 2 accounts");
        assert_eq!(
            outcome_message(&[post(Scheduled)], Some("Thu 3 Dec, 14:00 (Europe/Berlin)")),
            "Scheduled for Thu 3 Dec, 14:00 (Europe/Berlin) on 1 account"
        );
        assert_eq!(
            outcome_message(&[post(Publishing), post(Published)], None),
            "Published to 1 account; publishing to 1 account"
        );
        assert_eq!(outcome_message(&[], None), "Nothing was posted.");
    }

    fn account(zone: Option<&str>) -> ConnectedAccount {
        serde_json::from_value(serde_json::json!({
            "id": "a", "user_id": "u", "platform": "x", "handle": "h", "status": "mock", "timezone": zone,
            "created_at": "2026-11-26T10:00:00+00:00", "updated_at": "2026-11-26T10:00:00+00:00",
        }))
        .unwrap()
    }

    #[test]
    fn the_picker_uses_the_one_zone_every_account_resolves_to() {
        let (berlin, none, ny) = (account(Some("Europe/Berlin")), account(None), account(Some("America/New_York")));
        assert_eq!(picker_zone(&[&berlin], "Asia/Tokyo"), ("Europe/Berlin".into(), true));
        assert_eq!(picker_zone(&[&none, &none], "Asia/Tokyo"), ("Asia/Tokyo".into(), true));
        assert_eq!(picker_zone(&[&berlin, &ny], "Asia/Tokyo"), ("Asia/Tokyo".into(), false));
        // No zone of its own means the creator's: with a Berlin creator, both are Berlin.
        assert_eq!(picker_zone(&[&berlin, &none], "Europe/Berlin"), ("Europe/Berlin".into(), true));
        assert_eq!(picker_zone(&[], "Asia/Tokyo"), ("Asia/Tokyo".into(), true));
    }

    #[test]
    fn accounts_read_naturally() {
        let a: ConnectedAccount = serde_json::from_value(serde_json::json!({
            "id": "a", "user_id": "u", "platform": "linkedin", "handle": "atelier-demo", "status": "expired",
            "timezone": null, "created_at": "2026-11-26T10:00:00+00:00", "updated_at": "2026-11-26T10:00:00+00:00",
        }))
        .unwrap();
        assert_eq!(a.label(), "@atelier-demo on LinkedIn");
        assert!(!a.usable_for(|_, _| true, MediaKind::Image));
    }
}
