//! What the steps share: whether the caption and hashtags fit an account (measured as the
//! database measures them, with the account's own limit where it has one), the lowest hashtag
//! cap among the chosen accounts (one list serves them all), and why an account is not offered.

use crate::domain::caption::{TextLength, TextRule};
use crate::domain::hashtags::{post_hashtag_count, HashtagCap, HashtagSet};
use crate::domain::platforms::PlatformLimits;
use crate::domain::{AccountStatus, ConnectedAccount, MediaKind};

/// How the draft's text measures under `rule`.
pub fn text_length(rule: TextRule, caption: &str, hashtags: &HashtagSet) -> TextLength {
    rule.measure_post(caption, hashtags.as_slice())
}

/// What to change for the draft to fit `account` on its platform (`limits`), one sentence per
/// problem; empty when it fits.
pub fn fit_problems(
    limits: &PlatformLimits,
    account: &ConnectedAccount,
    caption: &str,
    hashtags: &HashtagSet,
) -> Vec<String> {
    let name = limits.name();
    let mut problems = Vec::new();
    if let Some(text) = text_length(limits.text_rule_for(account), caption, hashtags).message(name) {
        problems.push(as_sentence(&text));
    }
    if let Some(text) = HashtagCap::check(caption, hashtags, limits.hashtag_max as usize).message(name) {
        problems.push(as_sentence(&text));
    }
    problems
}

/// `text` as a sentence: a capital first letter and a closing full stop.
pub fn as_sentence(text: &str) -> String {
    let text = text.trim();
    let mut chars = text.chars();
    let Some(first) = chars.next() else { return String::new() };
    let mut out: String = first.to_uppercase().chain(chars).collect();
    if !out.ends_with(['.', '!', '?']) {
        out.push('.');
    }
    out
}

/// The lowest hashtag cap among `accounts` (their platforms' `hashtag_max`), if any is known.
pub fn lowest_hashtag_cap(accounts: &[ConnectedAccount], limits: &[PlatformLimits]) -> Option<usize> {
    accounts
        .iter()
        .filter_map(|a| limits.iter().find(|l| l.platform == a.platform))
        .map(|l| l.hashtag_max as usize)
        .min()
}

/// How many of `hashtags`, from the first, fit under `cap` with the tags the caption already
/// holds (they count too); `None` when all of them fit.
pub fn tags_to_keep(caption: &str, hashtags: &HashtagSet, cap: usize) -> Option<usize> {
    let count = |n: usize| post_hashtag_count(caption, &hashtags.first(n));
    if count(hashtags.len()) <= cap {
        return None;
    }
    (0..hashtags.len()).rev().find(|&n| count(n) <= cap)
}

/// Why `account` is not offered for a post of `kind` (the Distribution step says so instead of
/// leaving it out silently); `None` when nothing needs saying (its platform is not loaded).
/// "Reconnect" is offered only for a real connection, which has a reconnect.
pub fn hidden_reason(account: &ConnectedAccount, limits: &[PlatformLimits], kind: MediaKind) -> Option<String> {
    let row = limits.iter().find(|l| l.platform == account.platform)?;
    let label = account.label();
    let real = account.remote_id.is_some();
    let why = match account.status {
        AccountStatus::Expired if real => "its connection expired. Reconnect it on the Accounts page".to_owned(),
        AccountStatus::Expired => "it expired. Add a mock account to post in its place".to_owned(),
        AccountStatus::Revoked if real => "its access was revoked. Reconnect it on the Accounts page".to_owned(),
        AccountStatus::Revoked => "its access was revoked. Add a mock account to post in its place".to_owned(),
        _ if !row.supported => format!("Atelier does not publish to {}", row.name()),
        _ => format!(
            "{} does not take {}",
            row.name(),
            match kind {
                MediaKind::Image => "images",
                MediaKind::Video => "videos",
            }
        ),
    };
    Some(format!("{label} is hidden: {why}."))
}

#[cfg(test)]
#[path = "account_fit_tests.rs"]
mod tests;
