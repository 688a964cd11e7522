use super::*;
use crate::domain::Platform;

fn limits() -> Vec<PlatformLimits> {
    let row = |platform: &str, hashtag_max: u32, image: bool| {
        serde_json::json!({"platform": platform, "caption_max": 2200, "caption_counts_bytes": false,
            "hashtag_max": hashtag_max, "supports_image": image, "supports_video": true, "supported": true,
            "preferred_image_ratio": null, "preferred_video_ratio": "9:16", "image_ratios": [], "video_ratios": ["9:16"]})
    };
    serde_json::from_value(serde_json::json!([
        row("instagram", 5, true),
        row("threads", 1, true),
        row("youtube", 15, false),
        row("x", 30, true)
    ]))
    .unwrap()
}

fn account(platform: Platform, handle: &str, status: AccountStatus, remote_id: Option<&str>) -> ConnectedAccount {
    ConnectedAccount {
        id: format!("id-{handle}"),
        user_id: "u".to_owned(),
        platform,
        handle: handle.to_owned(),
        display_name: None,
        status,
        timezone: None,
        remote_id: remote_id.map(str::to_owned),
        service_url: None,
        caption_max: None,
        created_at: String::new(),
        updated_at: String::new(),
    }
}

fn tags(list: &[&str]) -> HashtagSet {
    HashtagSet::from_raw(list).unwrap()
}

#[test]
fn the_lowest_cap_among_the_chosen_accounts_applies_to_the_one_list() {
    let all = limits();
    let x = account(Platform::X, "x", AccountStatus::Mock, None);
    let ig = account(Platform::Instagram, "ig", AccountStatus::Mock, None);
    let threads = account(Platform::Threads, "th", AccountStatus::Mock, None);
    assert_eq!(lowest_hashtag_cap(std::slice::from_ref(&x), &all), Some(30));
    assert_eq!(lowest_hashtag_cap(&[x.clone(), ig.clone()], &all), Some(5));
    assert_eq!(lowest_hashtag_cap(&[ig, x, threads], &all), Some(1));
    assert_eq!(lowest_hashtag_cap(&[], &all), None);
}

#[test]
fn keeping_the_first_tags_counts_the_ones_in_the_caption_too() {
    let eight = tags(&["#a", "#b", "#c", "#d", "#e", "#f", "#g", "#h"]);
    assert_eq!(tags_to_keep("Plain caption", &eight, 5), Some(5));
    assert_eq!(tags_to_keep("Caption with #inline", &eight, 5), Some(4));
    assert_eq!(tags_to_keep("Caption with #a already", &eight, 5), Some(5), "a tag in both counts once");
    assert_eq!(tags_to_keep("Plain caption", &eight, 8), None, "all fit: nothing to offer");
    assert_eq!(tags_to_keep("Plain caption", &eight, 30), None);
}

#[test]
fn each_problem_is_its_own_sentence() {
    assert_eq!(
        as_sentence("the text is too long for X (280 characters max): shorten it by 41 characters"),
        "The text is too long for X (280 characters max): shorten it by 41 characters."
    );
    assert_eq!(as_sentence("Already a sentence."), "Already a sentence.");
    let all = limits();
    let x = account(Platform::X, "x", AccountStatus::Mock, None);
    let row = all.iter().find(|l| l.platform == Platform::X).unwrap();
    let many: HashtagSet = HashtagSet::from_raw((0..31).map(|i| format!("#t{i}"))).unwrap();
    let problems = fit_problems(row, &x, &"o".repeat(2300), &many);
    assert_eq!(problems.len(), 2, "{problems:?}");
    for p in &problems {
        assert!(p.ends_with('.') && p.chars().next().unwrap().is_uppercase(), "{p}");
    }
}

#[test]
fn a_hidden_account_says_why_and_offers_reconnect_only_for_a_real_connection() {
    let all = limits();
    let demo = account(Platform::Instagram, "atelier.demo", AccountStatus::Expired, None);
    let real = account(Platform::Instagram, "studio", AccountStatus::Expired, Some("17841"));
    let youtube = account(Platform::Youtube, "tv", AccountStatus::Mock, None);
    let demo_says = hidden_reason(&demo, &all, MediaKind::Image).unwrap();
    assert!(demo_says.starts_with("@atelier.demo on Instagram is hidden: it expired."), "{demo_says}");
    assert!(!demo_says.contains("Reconnect"), "{demo_says}");
    assert!(hidden_reason(&real, &all, MediaKind::Image).unwrap().contains("Reconnect it on the Accounts page"));
    assert_eq!(
        hidden_reason(&youtube, &all, MediaKind::Image).unwrap(),
        "@tv on YouTube is hidden: YouTube does not take images."
    );
}
