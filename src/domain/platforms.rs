//! Per-platform rules as `public.platform_limits` holds them, and the "Made for" rule of the
//! Generate page: which aspect ratio suits every target platform, and which targets cannot
//! take the kind of media at all.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

use super::caption::{LengthUnit, TextRule};
use super::publishing::platform_name;
use super::status::UnknownValue;
use super::{AccountStatus, ConnectedAccount, MediaKind, Platform};

/// The aspect ratios Atelier generates (`public.aspect_ratio`), spelled as the database spells
/// them. [`AspectRatio::ALL`] is the canonical order, the tie-break of [`choose_ratio`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum AspectRatio {
    #[serde(rename = "1:1")]
    Square,
    #[serde(rename = "4:5")]
    Portrait4x5,
    #[serde(rename = "9:16")]
    Vertical9x16,
    #[serde(rename = "16:9")]
    Landscape16x9,
    #[serde(rename = "2:3")]
    Portrait2x3,
}

impl AspectRatio {
    /// Every ratio, in the order the database type declares them.
    pub const ALL: &'static [AspectRatio] =
        &[Self::Square, Self::Portrait4x5, Self::Vertical9x16, Self::Landscape16x9, Self::Portrait2x3];

    /// `width:height`, as the database and `params.aspect_ratio` write it.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Square => "1:1",
            Self::Portrait4x5 => "4:5",
            Self::Vertical9x16 => "9:16",
            Self::Landscape16x9 => "16:9",
            Self::Portrait2x3 => "2:3",
        }
    }

    /// The width term of the ratio (4 for 4:5).
    pub const fn width(self) -> u32 {
        self.terms().0
    }

    /// The height term of the ratio (5 for 4:5).
    pub const fn height(self) -> u32 {
        self.terms().1
    }

    const fn terms(self) -> (u32, u32) {
        match self {
            Self::Square => (1, 1),
            Self::Portrait4x5 => (4, 5),
            Self::Vertical9x16 => (9, 16),
            Self::Landscape16x9 => (16, 9),
            Self::Portrait2x3 => (2, 3),
        }
    }

    /// The value of CSS `aspect-ratio` for a box of this shape (`4 / 5`).
    pub fn css(self) -> String {
        format!("{} / {}", self.width(), self.height())
    }
}

impl fmt::Display for AspectRatio {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for AspectRatio {
    type Err = UnknownValue;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .iter()
            .copied()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| UnknownValue { kind: "AspectRatio", value: s.to_owned() })
    }
}

/// Whether the Distribution step offers an account for a post of some kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AccountOffer {
    /// It can be chosen.
    Selectable,
    /// It is shown but cannot be chosen, for this reason (a creator connected it and should
    /// learn why it is not offered rather than wonder where it went).
    Unavailable(String),
    /// Not shown: it cannot publish (expired, revoked), its platform's row is not loaded or
    /// not supported, or it is a mock account on a platform that never takes this kind.
    Hidden,
}

/// What the Distribution step does with `account` for a post of `kind`. A mock account can
/// take any kind its platform takes; a connected (`active`) one also needs a platform
/// Atelier really sends to; a platform with a connector that does not take the kind yet
/// (Bluesky video) is named rather than hidden.
pub fn account_offer(account: &ConnectedAccount, limits: &[PlatformLimits], kind: MediaKind) -> AccountOffer {
    let Some(row) = limits.iter().find(|l| l.platform == account.platform) else { return AccountOffer::Hidden };
    if !account.status.can_publish() || !row.supported {
        return AccountOffer::Hidden;
    }
    if account.status == AccountStatus::Active && !row.has_connector {
        return AccountOffer::Unavailable(format!("Atelier cannot publish to {} yet", row.name()));
    }
    match (row.takes(kind), row.has_connector) {
        (true, _) => AccountOffer::Selectable,
        (false, true) => AccountOffer::Unavailable(format!("{} {} is not supported yet", row.name(), kind_noun(kind))),
        (false, false) => AccountOffer::Hidden,
    }
}

/// "image" or "video".
fn kind_noun(kind: MediaKind) -> &'static str {
    match kind {
        MediaKind::Image => "image",
        MediaKind::Video => "video",
    }
}

/// Accounts a post of `kind` can go to (see [`account_offer`]).
pub fn usable_accounts(
    accounts: &[ConnectedAccount],
    limits: &[PlatformLimits],
    kind: MediaKind,
) -> Vec<ConnectedAccount> {
    accounts.iter().filter(|a| account_offer(a, limits, kind) == AccountOffer::Selectable).cloned().collect()
}

/// One row of `public.platform_limits` as the REST API returns it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlatformLimits {
    pub platform: Platform,
    /// Longest text the platform takes (caption, blank line, hashtags).
    pub caption_max: u32,
    /// Threads counts UTF-8 bytes (emoji weigh more); the others count characters.
    pub caption_counts_bytes: bool,
    pub hashtag_max: u32,
    pub supports_image: bool,
    pub supports_video: bool,
    /// Whether Atelier can publish there at all today.
    pub supported: bool,
    /// The ratio an image made for this platform gets; `None` when it takes no images.
    pub preferred_image_ratio: Option<AspectRatio>,
    /// The ratio a video made for this platform gets; `None` when it takes no videos.
    pub preferred_video_ratio: Option<AspectRatio>,
    /// Every ratio it accepts for images (empty when it takes none).
    pub image_ratios: Vec<AspectRatio>,
    /// Every ratio it accepts for videos (empty when it takes none).
    pub video_ratios: Vec<AspectRatio>,
    /// Besides `caption_max`, at most this many UTF-8 bytes (Bluesky: 3,000); `None`: no cap.
    #[serde(default)]
    pub caption_max_bytes: Option<u32>,
    /// Every link counts this many characters (Mastodon: 23); `None`: links count as written.
    #[serde(default)]
    pub url_length: Option<u32>,
    /// Whether Atelier really sends posts there (a connected account elsewhere cannot publish).
    #[serde(default)]
    pub has_connector: bool,
    /// The platform's name as the database writes it (empty in rows from before it had one).
    #[serde(default)]
    pub display_name: String,
}

impl PlatformLimits {
    /// The platform's name: the row's own, or the app's when the row has none.
    pub fn name(&self) -> &str {
        if self.display_name.trim().is_empty() {
            platform_name(self.platform)
        } else {
            &self.display_name
        }
    }

    /// How the platform measures a post's text.
    pub fn text_rule(&self) -> TextRule {
        TextRule {
            max: self.caption_max as usize,
            unit: LengthUnit::from_counts_bytes(self.caption_counts_bytes),
            max_bytes: self.caption_max_bytes.map(|b| b as usize),
            url_length: self.url_length.map(|u| u as usize),
        }
    }

    /// How it measures a post to `account`: the account's own limit (a Mastodon instance's
    /// `max_characters`, read when it was connected) replaces the platform's.
    pub fn text_rule_for(&self, account: &ConnectedAccount) -> TextRule {
        TextRule { max: account.caption_max.map_or(self.caption_max as usize, |m| m as usize), ..self.text_rule() }
    }

    /// The strictest rule among `accounts` on this platform (the platform's own when none is):
    /// a text that fits it fits every one of them.
    pub fn strictest_rule<'a>(&self, accounts: impl IntoIterator<Item = &'a ConnectedAccount>) -> TextRule {
        accounts
            .into_iter()
            .filter(|a| a.platform == self.platform)
            .map(|a| self.text_rule_for(a))
            .min_by_key(|rule| rule.max)
            .unwrap_or_else(|| self.text_rule())
    }

    /// Whether the platform takes this kind of media at all.
    pub fn takes(&self, kind: MediaKind) -> bool {
        match kind {
            MediaKind::Image => self.supports_image,
            MediaKind::Video => self.supports_video,
        }
    }

    /// The ratio it prefers for this kind.
    pub fn preferred(&self, kind: MediaKind) -> Option<AspectRatio> {
        match kind {
            MediaKind::Image => self.preferred_image_ratio,
            MediaKind::Video => self.preferred_video_ratio,
        }
    }

    /// The ratios it accepts for this kind.
    pub fn accepted(&self, kind: MediaKind) -> &[AspectRatio] {
        match kind {
            MediaKind::Image => &self.image_ratios,
            MediaKind::Video => &self.video_ratios,
        }
    }

    /// Whether media of this kind and ratio can go there.
    pub fn accepts(&self, kind: MediaKind, ratio: AspectRatio) -> bool {
        self.takes(kind) && self.accepted(kind).contains(&ratio)
    }
}

/// What "Made for" decides for a set of targets and a kind of media.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RatioChoice {
    /// Nothing constrains the ratio (no targets, limits not loaded yet, or no target takes
    /// this kind): the user's choice stands.
    Free,
    /// A ratio every target that takes this kind accepts.
    Pick(AspectRatio),
    /// No ratio suits them all: these targets (in the order given) accept none of the ratios
    /// the targets before them share.
    Conflict { disagreeing: Vec<Platform> },
}

/// The targets' rows, once each, in order; `None` if any target's row is missing (not loaded).
fn rows<'a>(limits: &'a [PlatformLimits], targets: &[Platform]) -> Option<Vec<&'a PlatformLimits>> {
    let mut seen: Vec<Platform> = Vec::with_capacity(targets.len());
    let mut out = Vec::with_capacity(targets.len());
    for &t in targets {
        if seen.contains(&t) {
            continue;
        }
        seen.push(t);
        out.push(limits.iter().find(|l| l.platform == t)?);
    }
    Some(out)
}

/// The ratio for media of `kind` made for `targets`. Targets that cannot take the kind are left
/// out (see [`targets_refusing`] for the warning). Among the rest, the candidates are each
/// target's preferred ratio in target order — so the first target's wins when all accept it —
/// then every ratio in canonical order; the first that all accept is picked.
pub fn choose_ratio(limits: &[PlatformLimits], targets: &[Platform], kind: MediaKind) -> RatioChoice {
    let Some(rows) = rows(limits, targets) else {
        return RatioChoice::Free;
    };
    let taking: Vec<&PlatformLimits> = rows.into_iter().filter(|l| l.takes(kind)).collect();
    if taking.is_empty() {
        return RatioChoice::Free;
    }
    let all_accept = |r: AspectRatio| taking.iter().all(|l| l.accepts(kind, r));
    let preferred = taking.iter().filter_map(|l| l.preferred(kind));
    if let Some(r) = preferred.chain(AspectRatio::ALL.iter().copied()).find(|&r| all_accept(r)) {
        return RatioChoice::Pick(r);
    }
    // Keep the ratios the targets so far share; a target that shares none of them disagrees.
    let mut shared: Vec<AspectRatio> = AspectRatio::ALL.to_vec();
    let mut disagreeing = vec![];
    for l in &taking {
        let narrowed: Vec<AspectRatio> = shared.iter().copied().filter(|&r| l.accepts(kind, r)).collect();
        if narrowed.is_empty() {
            disagreeing.push(l.platform);
        } else {
            shared = narrowed;
        }
    }
    RatioChoice::Conflict { disagreeing }
}

/// The targets that cannot take `kind` at all (an image for YouTube), once each, in order.
/// Targets whose row is not loaded are not listed.
pub fn targets_refusing(limits: &[PlatformLimits], targets: &[Platform], kind: MediaKind) -> Vec<Platform> {
    let mut out = vec![];
    for &t in targets {
        if !out.contains(&t) && limits.iter().any(|l| l.platform == t && !l.takes(kind)) {
            out.push(t);
        }
    }
    out
}

#[cfg(test)]
mod tests {
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
        assert_eq!(
            offer(Bluesky, Active, Video),
            AccountOffer::Unavailable("Bluesky video is not supported yet".into())
        );
        assert_eq!(offer(Bluesky, Mock, Video), AccountOffer::Unavailable("Bluesky video is not supported yet".into()));
        // Hidden as before: a mock account where the kind never goes, accounts that cannot publish.
        assert_eq!(offer(Youtube, Mock, Image), AccountOffer::Hidden);
        assert_eq!(offer(Bluesky, Expired, Image), AccountOffer::Hidden);
        assert_eq!(offer(Mastodon, Revoked, Image), AccountOffer::Hidden);
        assert_eq!(
            account_offer(&account(Bluesky, Active, None), &[], Image),
            AccountOffer::Hidden,
            "limits not loaded"
        );
        let accounts = [
            account(Bluesky, Active, None),
            account(Threads, Active, None),
            account(X, Mock, None),
            account(Mastodon, Expired, None),
        ];
        let usable: Vec<Platform> = usable_accounts(&accounts, &l, Image).into_iter().map(|a| a.platform).collect();
        assert_eq!(usable, [Bluesky, X]);
    }
}
