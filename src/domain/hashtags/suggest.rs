//! Hashtag suggestions from the prompt, by the rule `generate-caption` follows too: both read
//! `supabase/functions/generate-caption/suggestion_rule.json` and pass the cases of
//! `suggestion_cases.json` beside it. Only the prompt is read: a caption's words come from a
//! template ("Couldn't", "Tell"), not from the image.

use std::sync::OnceLock;

use serde::Deserialize;

use super::{hashtags_in_text, is_tag_char, Hashtag, HashtagSet};

/// The shared rule: stop words and the fewest characters a word has (fewer needed beyond ASCII,
/// where words are short: `東京`).
#[derive(Debug, Deserialize)]
struct SuggestionRule {
    min_chars_ascii: usize,
    min_chars_other: usize,
    stop_words: Vec<String>,
}

fn rule() -> &'static SuggestionRule {
    static RULE: OnceLock<SuggestionRule> = OnceLock::new();
    RULE.get_or_init(|| {
        serde_json::from_str(include_str!("../../../supabase/functions/generate-caption/suggestion_rule.json"))
            .expect("suggestion_rule.json is the rule's JSON")
    })
}

fn is_apostrophe(c: char) -> bool {
    c == '\'' || c == '’'
}

/// The word a run of tag characters and apostrophes stands for, lower-cased: quotes at its ends
/// go, a possessive (`Kyoto's`) keeps its stem, any other apostrophe makes it a contraction
/// (`couldn't`), which is no word to tag.
fn word(run: &str) -> Option<String> {
    let trimmed = run.trim_matches(is_apostrophe).to_lowercase();
    let stem = ["'s", "’s"].iter().find_map(|s| trimmed.strip_suffix(s)).filter(|stem| !stem.is_empty());
    let stem = stem.unwrap_or(&trimmed);
    (!stem.contains(is_apostrophe)).then(|| stem.to_owned())
}

fn is_significant(word: &str) -> bool {
    let rule = rule();
    let min = if word.is_ascii() { rule.min_chars_ascii } else { rule.min_chars_other };
    word.chars().count() >= min
        && !word.chars().all(|c| c.is_numeric() || c == '_')
        && !rule.stop_words.iter().any(|stop| stop == word)
}

/// Up to `max` hashtags from the prompt's significant words, lower-cased, each once, in order of
/// first appearance; none the post already has in its list or its caption.
pub fn suggest_hashtags(prompt: &str, caption: &str, existing: &HashtagSet, max: usize) -> Vec<Hashtag> {
    let in_caption: Vec<String> = hashtags_in_text(caption).into_iter().map(str::to_lowercase).collect();
    let mut seen: Vec<String> = Vec::new();
    prompt
        .split(|c: char| !(is_tag_char(c) || is_apostrophe(c)))
        .filter_map(word)
        .filter(|word| is_significant(word))
        .filter(|word| {
            let first = !seen.contains(word);
            if first {
                seen.push(word.clone());
            }
            first
        })
        .filter_map(|word| Hashtag::parse(&word).ok())
        .filter(|tag| !existing.contains_key(&tag.key()) && !in_caption.contains(&tag.key()))
        .take(max)
        .collect()
}
