//! What the steps share: whether the caption and hashtags fit a platform (measured as the
//! database measures them).

use crate::domain::caption::{LengthUnit, TextLength};
use crate::domain::hashtags::{HashtagCap, HashtagSet};
use crate::domain::platforms::PlatformLimits;
use crate::domain::publishing::platform_name;

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
