//! Tests of `publishing`, kept beside it so the module stays readable in one sitting.

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
fn accounts_read_naturally() {
    let a: ConnectedAccount = serde_json::from_value(serde_json::json!({
        "id": "a", "user_id": "u", "platform": "linkedin", "handle": "atelier-demo", "status": "expired",
        "timezone": null, "created_at": "2026-11-26T10:00:00+00:00", "updated_at": "2026-11-26T10:00:00+00:00",
    }))
    .unwrap();
    assert_eq!(a.label(), "@atelier-demo on LinkedIn");
    assert!(a.needs_reconnect());
    assert_eq!((a.remote_id, a.service_url, a.caption_max), (None, None, None), "older rows parse");
}

#[test]
fn connected_accounts_carry_who_and_where() {
    let a: ConnectedAccount = serde_json::from_value(serde_json::json!({
        "id": "a", "user_id": "u", "platform": "mastodon", "handle": "alice@masto.example", "status": "active",
        "timezone": null, "remote_id": "109@masto.example", "service_url": "https://masto.example", "caption_max": 1000,
        "created_at": "2026-12-03T10:00:00+00:00", "updated_at": "2026-12-03T10:00:00+00:00",
    }))
    .unwrap();
    assert_eq!(a.label(), "@alice@masto.example on Mastodon");
    assert_eq!((a.remote_id.as_deref(), a.caption_max), (Some("109@masto.example"), Some(1000)));
    assert!(!a.needs_reconnect());
    let at = ConnectedAccount { handle: "@alice.test".into(), platform: Platform::Bluesky, ..a };
    assert_eq!(at.label(), "@alice.test on Bluesky", "a stored @ is not doubled");
}

#[test]
fn status_words_are_short() {
    let words: Vec<&str> = AccountStatus::ALL.iter().map(|s| account_status_label(*s)).collect();
    assert_eq!(words, ["Connected", "Mock", "Expired", "Revoked"]);
    assert_eq!(post_badge_label(PostStatus::Publishing), "Publishing…");
    assert_eq!(post_status_label(PostStatus::Publishing), "Publishing");
    assert_eq!(post_badge_label(PostStatus::Failed), "Failed");
    assert_eq!(view_on_label(Platform::Bluesky), "View on Bluesky");
    assert_eq!(view_on_label(Platform::Mastodon), "View on Mastodon");
}

fn delivered(status: PostStatus, extra: serde_json::Value) -> Post {
    let mut row = serde_json::to_value(post(status)).unwrap();
    row.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
    serde_json::from_value(row).unwrap()
}

#[test]
fn a_publishing_post_with_a_next_attempt_is_retrying() {
    use serde_json::json;
    let waiting = delivered(
        PostStatus::Publishing,
        json!({"next_attempt_at": "2026-12-03T14:05:00+00:00", "attempts": 2, "error": "Bluesky is busy (HTTP 503)"}),
    );
    assert_eq!(waiting.retrying_at(), parse_timestamp("2026-12-03T14:05:00Z"));
    assert_eq!(waiting.attempts, 2);
    assert_eq!(delivered(PostStatus::Publishing, json!({})).retrying_at(), None);
    assert_eq!(post(PostStatus::Publishing).attempts, 0, "older rows parse");
    // Only a publishing post is retrying, whatever a stale column says.
    assert_eq!(
        delivered(PostStatus::Failed, json!({"next_attempt_at": "2026-12-03T14:05:00+00:00"})).retrying_at(),
        None
    );
}

#[test]
fn a_published_post_links_only_to_a_web_address() {
    use serde_json::json;
    let url = "https://bsky.app/profile/alice.test/post/3kabc";
    let p = delivered(
        PostStatus::Published,
        json!({"remote_url": url, "remote_id": "at://did:plc:x/app.bsky.feed.post/3kabc"}),
    );
    assert_eq!(p.web_url(), Some(url));
    for bad in ["javascript:alert(1)", "/relative", "https://", "https:///x", "data:text/html,x", "https://a b"] {
        let p = delivered(PostStatus::Published, json!({ "remote_url": bad }));
        assert_eq!(p.web_url(), None, "{bad}");
    }
    assert!(is_web_url("http://127.0.0.1:4000/@alice/1"));
}

#[test]
fn only_a_failed_post_on_a_connected_account_with_a_connector_is_retried() {
    let mut a = account(None);
    a.status = AccountStatus::Active;
    let failed = post(PostStatus::Failed);
    assert!(failed.can_retry(Some(&a), true));
    assert!(!failed.can_retry(Some(&a), false), "no connector: it would fail again at once");
    assert!(!failed.can_retry(None, true));
    for status in [AccountStatus::Mock, AccountStatus::Expired, AccountStatus::Revoked] {
        assert!(!failed.can_retry(Some(&ConnectedAccount { status, ..a.clone() }), true), "{status}");
    }
    assert!(!post(PostStatus::Cancelled).can_retry(Some(&a), true));
    assert!(!post(PostStatus::Published).can_retry(Some(&a), true));
}

fn on(id: &str, platform: Platform) -> ConnectedAccount {
    ConnectedAccount { id: id.to_owned(), platform, ..account(None) }
}

#[test]
fn only_the_selected_accounts_name_platforms() {
    let accounts = [
        on("x1", Platform::X),
        on("bsky", Platform::Bluesky),
        on("ig", Platform::Instagram),
        on("x2", Platform::X),
        on("masto", Platform::Mastodon),
    ];
    let picked = |ids: &[&str]| selected_platforms(&accounts, &ids.iter().map(|s| s.to_string()).collect::<Vec<_>>());
    // Connected but not selected: Instagram and Mastodon are not among the platforms.
    assert_eq!(picked(&["bsky", "x1"]), [Platform::X, Platform::Bluesky], "in platform order");
    assert_eq!(picked(&["x1", "x2"]), [Platform::X], "two accounts of one platform name it once");
    assert_eq!(picked(&["gone", "masto"]), [Platform::Mastodon], "an id that is no account names nothing");
    assert!(picked(&[]).is_empty());
}

#[test]
fn optimistic_posts_have_ids_no_row_has() {
    let id = pending_post_id("3f1c0a8e-0000-4000-8000-000000000001", 2);
    assert_eq!(id, "pending-3f1c0a8e-0000-4000-8000-000000000001-2");
    assert!(is_pending_post_id(&id));
    assert!(!is_pending_post_id("3f1c0a8e-0000-4000-8000-000000000001"), "a row's UUID is not pending");
    assert!(!is_pending_post_id(""));
}
