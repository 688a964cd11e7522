//! Per-platform rules as `public.platform_limits` holds them, and the "Made for" rule of the
//! Generate page: which aspect ratio suits every target platform, and which targets cannot
//! take the kind of media at all.

use serde::{Deserialize, Serialize};

use super::caption::{LengthUnit, TextRule};
use super::publishing::platform_name;

pub use super::aspect_ratio::AspectRatio;
use super::{AccountStatus, ConnectedAccount, MediaKind, Platform};

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
#[path = "platforms_tests.rs"]
mod tests;
