//! What the steps share: whether the caption and hashtags fit an account (measured as the
//! database measures them, with the account's own limit where it has one).

use crate::domain::caption::{TextLength, TextRule};
use crate::domain::hashtags::{HashtagCap, HashtagSet};
use crate::domain::platforms::PlatformLimits;
use crate::domain::ConnectedAccount;

/// How the draft's text measures under `rule`.
pub fn text_length(rule: TextRule, caption: &str, hashtags: &[String]) -> TextLength {
    rule.measure_post(caption, hashtags)
}

/// What to change for the draft to fit `account` on its platform (`limits`); empty when it fits.
pub fn fit_problems(
    limits: &PlatformLimits,
    account: &ConnectedAccount,
    caption: &str,
    hashtags: &[String],
) -> Vec<String> {
    let name = limits.name();
    let mut problems = Vec::new();
    if let Some(text) = text_length(limits.text_rule_for(account), caption, hashtags).message(name) {
        problems.push(text);
    }
    if let Ok(set) = HashtagSet::from_raw(hashtags) {
        if let Some(text) = HashtagCap::check(caption, &set, limits.hashtag_max as usize).message(name) {
            problems.push(text);
        }
    }
    problems
}
