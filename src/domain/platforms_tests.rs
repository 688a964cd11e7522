//! Tests of `platforms`, kept beside it so the module stays readable in one sitting.

use super::*;
use AspectRatio::*;
use MediaKind::{Image, Video};
use Platform::*;

/// The rows as `GET /rest/v1/platform_limits?select=*` returns them after the migrations.
const REST_ROWS: &str = r#"[
  {"platform":"instagram","caption_max":2200,"caption_counts_bytes":false,"hashtag_max":5,"supports_image":true,"supports_video":true,"supported":true,
   "preferred_image_ratio":"4:5","preferred_video_ratio":"9:16","image_ratios":["1:1","4:5","9:16","16:9"],"video_ratios":["9:16"]},
  {"platform":"tiktok","caption_max":2200,"caption_counts_bytes":false,"hashtag_max":30,"supports_image":true,"supports_video":true,"supported":true,
   "preferred_image_ratio":"9:16","preferred_video_ratio":"9:16","image_ratios":["9:16"],"video_ratios":["9:16"]},
  {"platform":"x","caption_max":280,"caption_counts_bytes":false,"hashtag_max":30,"supports_image":true,"supports_video":true,"supported":true,
   "preferred_image_ratio":"16:9","preferred_video_ratio":"16:9","image_ratios":["1:1","16:9"],"video_ratios":["1:1","4:5","9:16","16:9","2:3"]},
  {"platform":"linkedin","caption_max":3000,"caption_counts_bytes":false,"hashtag_max":30,"supports_image":true,"supports_video":true,"supported":true,
   "preferred_image_ratio":"1:1","preferred_video_ratio":"1:1","image_ratios":["1:1","16:9"],"video_ratios":["1:1","4:5","9:16","16:9","2:3"]},
  {"platform":"facebook","caption_max":63206,"caption_counts_bytes":false,"hashtag_max":30,"supports_image":true,"supports_video":true,"supported":true,
   "preferred_image_ratio":"1:1","preferred_video_ratio":"9:16","image_ratios":["1:1","4:5","9:16","16:9","2:3"],"video_ratios":["9:16"]},
  {"platform":"youtube","caption_max":5000,"caption_counts_bytes":false,"hashtag_max":15,"supports_image":false,"supports_video":true,"supported":true,
   "preferred_image_ratio":null,"preferred_video_ratio":"9:16","image_ratios":[],"video_ratios":["9:16"]},
  {"platform":"threads","caption_max":500,"caption_counts_bytes":true,"hashtag_max":1,"supports_image":true,"supports_video":true,"supported":true,
   "preferred_image_ratio":"1:1","preferred_video_ratio":"9:16","image_ratios":["1:1","4:5","9:16","16:9","2:3"],"video_ratios":["1:1","4:5","9:16","16:9","2:3"]},
  {"platform":"pinterest","caption_max":500,"caption_counts_bytes":false,"hashtag_max":30,"supports_image":true,"supports_video":true,"supported":true,
   "preferred_image_ratio":"2:3","preferred_video_ratio":"2:3","image_ratios":["1:1","4:5","9:16","16:9","2:3"],"video_ratios":["1:1","4:5","9:16","16:9","2:3"]},
  {"platform":"bluesky","display_name":"Bluesky","caption_max":300,"caption_counts_bytes":false,"caption_max_bytes":3000,"url_length":null,"hashtag_max":30,
   "supports_image":true,"supports_video":false,"supported":true,"has_connector":true,
   "preferred_image_ratio":"1:1","preferred_video_ratio":null,"image_ratios":["1:1","4:5","9:16","16:9","2:3"],"video_ratios":[]},
  {"platform":"mastodon","display_name":"Mastodon","caption_max":500,"caption_counts_bytes":false,"caption_max_bytes":null,"url_length":23,"hashtag_max":30,
   "supports_image":true,"supports_video":true,"supported":true,"has_connector":true,
   "preferred_image_ratio":"1:1","preferred_video_ratio":"16:9","image_ratios":["1:1","4:5","9:16","16:9","2:3"],"video_ratios":["1:1","4:5","9:16","16:9","2:3"]}
]"#;

fn limits() -> Vec<PlatformLimits> {
    serde_json::from_str(REST_ROWS).unwrap()
}

#[test]
fn rows_deserialise_from_the_rest_shape() {
    let all = limits();
    assert_eq!(all.len(), 10);
    let yt = all.iter().find(|l| l.platform == Youtube).unwrap();
    assert_eq!((yt.preferred_image_ratio, yt.preferred_video_ratio), (None, Some(Vertical9x16)));
    assert!(yt.image_ratios.is_empty() && !yt.takes(Image) && yt.takes(Video));
    let threads = all.iter().find(|l| l.platform == Threads).unwrap();
    assert!(threads.caption_counts_bytes);
    assert_eq!((threads.caption_max, threads.hashtag_max), (500, 1));
    let bad = REST_ROWS.replacen("\"4:5\"", "\"3:2\"", 1);
    assert!(serde_json::from_str::<Vec<PlatformLimits>>(&bad).is_err(), "a ratio outside the set is refused");
}

#[test]
fn ratios_are_spelled_as_the_database_spells_them() {
    let spelled: Vec<&str> = AspectRatio::ALL.iter().map(|r| r.as_str()).collect();
    assert_eq!(spelled, ["1:1", "4:5", "9:16", "16:9", "2:3"]);
    for &r in AspectRatio::ALL {
        assert_eq!(serde_json::to_string(&r).unwrap(), format!("\"{r}\""));
        assert_eq!(r.as_str().parse::<AspectRatio>().unwrap(), r);
        assert_eq!(format!("{}:{}", r.width(), r.height()), r.as_str());
    }
    assert_eq!(Portrait4x5.css(), "4 / 5");
    assert!("3:2".parse::<AspectRatio>().is_err());
}

#[test]
fn one_target_gets_its_preferred_ratio() {
    let l = limits();
    assert_eq!(choose_ratio(&l, &[Instagram], Image), RatioChoice::Pick(Portrait4x5));
    assert_eq!(choose_ratio(&l, &[Instagram], Video), RatioChoice::Pick(Vertical9x16));
    assert_eq!(choose_ratio(&l, &[Pinterest], Image), RatioChoice::Pick(Portrait2x3));
    assert_eq!(choose_ratio(&l, &[X], Image), RatioChoice::Pick(Landscape16x9));
}

#[test]
fn the_first_targets_preference_wins_when_everyone_accepts_it() {
    let l = limits();
    assert_eq!(choose_ratio(&l, &[X, Linkedin], Image), RatioChoice::Pick(Landscape16x9));
    assert_eq!(choose_ratio(&l, &[Linkedin, X], Image), RatioChoice::Pick(Square));
    assert_eq!(choose_ratio(&l, &[Tiktok, Youtube, X], Video), RatioChoice::Pick(Vertical9x16));
}

#[test]
fn otherwise_another_targets_preference_then_the_canonical_order() {
    let l = limits();
    // Instagram does not take 2:3; Pinterest takes Instagram's 4:5.
    assert_eq!(choose_ratio(&l, &[Pinterest, Instagram], Image), RatioChoice::Pick(Portrait4x5));
    // Instagram's 4:5 is not X's; X's 16:9 is Instagram's too.
    assert_eq!(choose_ratio(&l, &[Instagram, X], Image), RatioChoice::Pick(Landscape16x9));
    // Neither preference is shared, but 1:1 (first in canonical order) is.
    let mut custom = limits();
    for row in custom.iter_mut() {
        if row.platform == Pinterest {
            row.image_ratios = vec![Square, Portrait2x3];
        }
    }
    assert_eq!(choose_ratio(&custom, &[Pinterest, X], Image), RatioChoice::Pick(Square));
}

#[test]
fn targets_that_share_no_ratio_are_named() {
    let l = limits();
    assert_eq!(choose_ratio(&l, &[Tiktok, X], Image), RatioChoice::Conflict { disagreeing: vec![X] });
    assert_eq!(
        choose_ratio(&l, &[Tiktok, Instagram, Linkedin, X], Image),
        RatioChoice::Conflict { disagreeing: vec![Linkedin, X] }
    );
    assert_eq!(choose_ratio(&l, &[X, Tiktok], Image), RatioChoice::Conflict { disagreeing: vec![Tiktok] });
}

#[test]
fn a_target_that_cannot_take_the_kind_is_a_warning_not_a_constraint() {
    let l = limits();
    assert_eq!(targets_refusing(&l, &[Youtube, Instagram, Youtube], Image), vec![Youtube]);
    assert!(targets_refusing(&l, &[Youtube, Instagram], Video).is_empty());
    assert_eq!(choose_ratio(&l, &[Youtube, Instagram], Image), RatioChoice::Pick(Portrait4x5));
    assert_eq!(choose_ratio(&l, &[Youtube], Image), RatioChoice::Free);
}

#[test]
fn nothing_to_decide_leaves_the_choice_free() {
    let l = limits();
    assert_eq!(choose_ratio(&l, &[], Image), RatioChoice::Free);
    assert_eq!(choose_ratio(&[], &[Instagram], Image), RatioChoice::Free, "limits not loaded yet");
    assert!(targets_refusing(&[], &[Youtube], Image).is_empty());
    assert_eq!(choose_ratio(&l, &[Instagram, Instagram], Image), RatioChoice::Pick(Portrait4x5));
}

fn row(platform: Platform) -> PlatformLimits {
    limits().into_iter().find(|l| l.platform == platform).unwrap()
}

fn account(platform: Platform, status: AccountStatus, caption_max: Option<u32>) -> ConnectedAccount {
    serde_json::from_value(serde_json::json!({
        "id": format!("{platform}-{status}"), "user_id": "u", "platform": platform, "handle": "alice.test",
        "status": status, "caption_max": caption_max,
        "created_at": "2026-12-03T10:00:00+00:00", "updated_at": "2026-12-03T10:00:00+00:00",
    }))
    .unwrap()
}

#[test]
fn connector_rows_read_their_text_rules() {
    let (bluesky, mastodon, x) = (row(Bluesky), row(Mastodon), row(X));
    assert!(bluesky.has_connector && mastodon.has_connector && !x.has_connector, "older rows default to none");
    assert_eq!((x.name(), bluesky.name()), ("X", "Bluesky"), "a row without a name uses the app's");
    assert_eq!(
        bluesky.text_rule(),
        TextRule { max: 300, unit: LengthUnit::Characters, max_bytes: Some(3000), url_length: None }
    );
    assert_eq!(mastodon.text_rule().url_length, Some(23));
    assert_eq!(row(Threads).text_rule(), TextRule::new(500, LengthUnit::Bytes));
    // A Mastodon instance allowing 1,000 characters: its accounts' posts may be that long.
    let roomy = account(Mastodon, AccountStatus::Active, Some(1000));
    let text = "x".repeat(800);
    assert!(mastodon.text_rule_for(&roomy).measure(&text).fits());
    assert!(!mastodon.text_rule_for(&account(Mastodon, AccountStatus::Active, None)).measure(&text).fits());
    assert!(!mastodon.text_rule().measure(&text).fits());
    let tight = account(Mastodon, AccountStatus::Active, Some(400));
    assert_eq!(mastodon.strictest_rule([&roomy, &tight, &account(X, AccountStatus::Mock, Some(10))]).max, 400);
    assert_eq!(mastodon.strictest_rule([&roomy]).max, 1000);
    assert_eq!(mastodon.strictest_rule([]).max, 500);
}

#[test]
fn distribution_offers_real_accounts_only_where_atelier_can_send() {
    use AccountStatus::*;
    let l = limits();
    let offer = |p, s, k| account_offer(&account(p, s, None), &l, k);
    assert_eq!(offer(Bluesky, Active, Image), AccountOffer::Selectable);
    assert_eq!(offer(Mastodon, Active, Video), AccountOffer::Selectable);
    assert_eq!(offer(Instagram, Mock, Image), AccountOffer::Selectable);
    assert_eq!(
        offer(Threads, Active, Image),
        AccountOffer::Unavailable("Atelier cannot publish to Threads yet".into())
    );
    assert_eq!(offer(Bluesky, Active, Video), AccountOffer::Unavailable("Bluesky video is not supported yet".into()));
    assert_eq!(offer(Bluesky, Mock, Video), AccountOffer::Unavailable("Bluesky video is not supported yet".into()));
    // Hidden as before: a mock account where the kind never goes, accounts that cannot publish.
    assert_eq!(offer(Youtube, Mock, Image), AccountOffer::Hidden);
    assert_eq!(offer(Bluesky, Expired, Image), AccountOffer::Hidden);
    assert_eq!(offer(Mastodon, Revoked, Image), AccountOffer::Hidden);
    assert_eq!(account_offer(&account(Bluesky, Active, None), &[], Image), AccountOffer::Hidden, "limits not loaded");
    let accounts = [
        account(Bluesky, Active, None),
        account(Threads, Active, None),
        account(X, Mock, None),
        account(Mastodon, Expired, None),
    ];
    let usable: Vec<Platform> = usable_accounts(&accounts, &l, Image).into_iter().map(|a| a.platform).collect();
    assert_eq!(usable, [Bluesky, X]);
}

/// An account with its own id, so several on one platform stay apart.
fn account_with_id(id: &str, platform: Platform, status: AccountStatus) -> ConnectedAccount {
    ConnectedAccount { id: id.to_owned(), ..account(platform, status, None) }
}

fn ids(accounts: Vec<ConnectedAccount>) -> Vec<String> {
    accounts.into_iter().map(|a| a.id).collect()
}

#[test]
fn usable_accounts_depend_on_the_kind_the_platform_takes() {
    use AccountStatus::*;
    let l = limits();
    let accounts = [
        account_with_id("bluesky", Bluesky, Active),
        account_with_id("youtube", Youtube, Mock),
        account_with_id("mastodon", Mastodon, Active),
        account_with_id("instagram", Instagram, Mock),
    ];
    // Bluesky takes no video and YouTube no images: the same accounts, a different list per kind.
    assert_eq!(ids(usable_accounts(&accounts, &l, Image)), ["bluesky", "mastodon", "instagram"]);
    assert_eq!(ids(usable_accounts(&accounts, &l, Video)), ["youtube", "mastodon", "instagram"]);
}

#[test]
fn usable_accounts_follow_each_platforms_row_not_the_account_alone() {
    use AccountStatus::*;
    let accounts = [account_with_id("bluesky", Bluesky, Active), account_with_id("mastodon", Mastodon, Active)];
    let mut l = limits();
    assert_eq!(ids(usable_accounts(&accounts, &l, Image)), ["bluesky", "mastodon"]);
    // Mastodon stops taking images: only its account drops out.
    l.iter_mut().filter(|r| r.platform == Mastodon).for_each(|r| r.supports_image = false);
    assert_eq!(ids(usable_accounts(&accounts, &l, Image)), ["bluesky"]);
    // Bluesky is no longer supported: its account goes too.
    l.iter_mut().filter(|r| r.platform == Bluesky).for_each(|r| r.supported = false);
    assert!(usable_accounts(&accounts, &l, Image).is_empty());
    // A platform whose row is not loaded offers nothing; the others still do.
    let without_bluesky: Vec<PlatformLimits> = limits().into_iter().filter(|r| r.platform != Bluesky).collect();
    assert_eq!(ids(usable_accounts(&accounts, &without_bluesky, Image)), ["mastodon"]);
    assert!(usable_accounts(&accounts, &[], Image).is_empty(), "nothing before the rows are loaded");
}

#[test]
fn usable_accounts_leave_out_accounts_that_cannot_publish_or_cannot_be_sent_to() {
    use AccountStatus::*;
    let l = limits();
    let accounts = [
        account_with_id("x-mock", X, Mock),
        account_with_id("x-active", X, Active),
        account_with_id("mastodon-expired", Mastodon, Expired),
        account_with_id("mastodon-revoked", Mastodon, Revoked),
        account_with_id("mastodon-active", Mastodon, Active),
    ];
    // A mock X account can stand in for X; a connected one cannot: Atelier sends nothing to X.
    assert_eq!(ids(usable_accounts(&accounts, &l, Image)), ["x-mock", "mastodon-active"]);
    assert_eq!(ids(usable_accounts(&accounts, &l, Video)), ["x-mock", "mastodon-active"]);
    assert!(usable_accounts(&[], &l, Image).is_empty());
}
