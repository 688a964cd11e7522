//! What the steps share: which accounts a draft may use, the platforms selected, and whether
//! the caption and hashtags fit a platform (measured as the database measures them).

use crate::domain::caption::{LengthUnit, TextLength};
use crate::domain::hashtags::{HashtagCap, HashtagSet};
use crate::domain::platforms::PlatformLimits;
use crate::domain::publishing::platform_name;
use crate::domain::{ConnectedAccount, MediaKind};

/// Accounts a post of `kind` can go to: `active` or `mock`, on a platform that takes it.
pub fn usable_accounts(
    accounts: &[ConnectedAccount],
    limits: &[PlatformLimits],
    kind: MediaKind,
) -> Vec<ConnectedAccount> {
    accounts
        .iter()
        .filter(|a| a.usable_for(|p, k| limits.iter().any(|l| l.platform == p && l.supported && l.takes(k)), kind))
        .cloned()
        .collect()
}

/// How the draft's text measures on one platform.
pub fn text_length(limits: &PlatformLimits, caption: &str, hashtags: &[String]) -> TextLength {
    TextLength::of_post(
        caption,
        hashtags,
        limits.caption_max as usize,
        LengthUnit::from_counts_bytes(limits.caption_counts_bytes),
    )
}

/// What to change for the draft to fit `limits`, or `None` when it fits.
pub fn fit_problems(limits: &PlatformLimits, caption: &str, hashtags: &[String]) -> Vec<String> {
    let name = platform_name(limits.platform);
    let mut problems = Vec::new();
    if let Some(text) = text_length(limits, caption, hashtags).message(name) {
        problems.push(text);
    }
    if let Ok(set) = HashtagSet::from_raw(hashtags) {
        if let Some(text) = HashtagCap::check(caption, &set, limits.hashtag_max as usize).message(name) {
            problems.push(text);
        }
    }
    problems
}
