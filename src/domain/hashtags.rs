//! Hashtags as the database takes them (`private.hashtags_are_valid`: `#` then letters, digits
//! or `_` of any script, at most 100 characters): normalising what a creator types, a set that
//! merges duplicates case-insensitively, the tags written inside a caption, suggestions from
//! the prompt ([`suggest_hashtags`]), and the per-platform cap (the caps are `platform_limits.hashtag_max`).
//!
//! "Letters and digits" follows the database's `[[:alnum:]]` under its `C.UTF-8` locale, which
//! is Unicode's Alphabetic property plus decimal digits: `#café`, `#東京`, `#٣` are tags; marks
//! that are not Alphabetic (a combining accent, a virama), emoji, `²` or `½` are not.

mod suggest;
mod wire;

use super::caption::compose_post_text;

pub use suggest::suggest_hashtags;
pub use wire::lenient_hashtags;

/// The longest tag the database stores, `#` included (`posts_hashtags_format`).
pub const HASHTAG_MAX_CHARS: usize = 100;

/// Why some text cannot become a hashtag.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HashtagError {
    /// Nothing is left once spaces, punctuation and emoji are removed.
    #[error("\"{raw}\" has no letters or digits to make a hashtag")]
    Empty { raw: String },
    /// Longer than the database stores.
    #[error("#{start}… is too long: a hashtag has at most 99 letters or digits")]
    TooLong { start: String },
}

/// A hashtag in its stored form: `#` then at least one letter, digit or underscore.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Hashtag(String);

impl Hashtag {
    /// Normalises what a creator typed into one tag: one leading `#`, every space, punctuation
    /// mark and emoji removed, letters and digits of any script kept as typed.
    pub fn parse(raw: &str) -> Result<Self, HashtagError> {
        let body: String = raw.chars().filter(|c| is_tag_char(*c)).collect();
        if body.is_empty() {
            return Err(HashtagError::Empty { raw: raw.trim().to_owned() });
        }
        if body.chars().count() + 1 > HASHTAG_MAX_CHARS {
            return Err(HashtagError::TooLong { start: body.chars().take(20).collect() });
        }
        Ok(Hashtag(format!("#{body}")))
    }

    /// The tag with its `#`, as stored in `posts.hashtags`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The form two spellings of one tag share (`#Fox` and `#fox`), as the database's `lower()`.
    pub fn key(&self) -> String {
        self.0.to_lowercase()
    }
}

impl std::fmt::Display for Hashtag {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for Hashtag {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

/// Whether a character may follow the `#` of a tag (the database's `[[:alnum:]_]`).
pub fn is_tag_char(c: char) -> bool {
    c == '_' || c.is_alphabetic() || (c.is_numeric() && !is_other_number(c))
}

/// Numbers that are neither letters nor decimal digits (Unicode `No`): superscripts, fractions,
/// circled and other enclosed numbers, numeric signs of some scripts. Only asked of characters
/// that are numeric and not alphabetic.
fn is_other_number(c: char) -> bool {
    matches!(c as u32,
        0x00B2 | 0x00B3 | 0x00B9 | 0x00BC..=0x00BE | 0x09F4..=0x09F9 | 0x0B72..=0x0B77 | 0x0BF0..=0x0BF2
        | 0x0C78..=0x0C7E | 0x0D58..=0x0D5E | 0x0D70..=0x0D78 | 0x0F2A..=0x0F33 | 0x1369..=0x137C
        | 0x17F0..=0x17F9 | 0x19DA | 0x2070..=0x209F | 0x2150..=0x218F | 0x2460..=0x24FF | 0x2776..=0x2793
        | 0x2CFD | 0x3192..=0x3195 | 0x3220..=0x3229 | 0x3248..=0x325F | 0x3280..=0x3289 | 0x32B1..=0x32BF
        | 0xA830..=0xA835 | 0x10107..=0x10133 | 0x1F100..=0x1F10C)
}

/// Splits what a creator typed into a hashtag field into tags: a new tag starts at each `#`,
/// comma, semicolon or line break (spaces inside a piece are removed: `summer vibes` is one tag).
/// Blank pieces are skipped; a piece with nothing usable is an error naming it.
pub fn parse_hashtag_input(input: &str) -> Vec<Result<Hashtag, HashtagError>> {
    input.split(['#', ',', ';', '\n', '\r']).filter(|piece| !piece.trim().is_empty()).map(Hashtag::parse).collect()
}

/// The tags written inside a text, found as the database finds them (`#[[:alnum:]_]+`,
/// leftmost, not overlapping), in order and as written (duplicates kept).
pub fn hashtags_in_text(text: &str) -> Vec<&str> {
    let mut found = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find('#') {
        let after = &rest[at + 1..];
        let len: usize = after.chars().take_while(|c| is_tag_char(*c)).map(char::len_utf8).sum();
        if len > 0 {
            found.push(&rest[at..at + 1 + len]);
        }
        rest = &after[len..];
    }
    found
}

/// The hashtags a post counts against a platform's cap, as `publish_generation` counts them: the
/// distinct tags (case-insensitive) in the caption and the list together.
pub fn post_hashtag_count(caption: &str, hashtags: &HashtagSet) -> usize {
    let text = compose_post_text(caption, hashtags.as_slice());
    let mut keys: Vec<String> = hashtags_in_text(&text).into_iter().map(str::to_lowercase).collect();
    keys.sort();
    keys.dedup();
    keys.len()
}

/// A post's hashtags against one platform's cap.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HashtagCap {
    /// Distinct tags in the caption and the list.
    pub count: usize,
    /// The platform's `hashtag_max`.
    pub max: usize,
}

impl HashtagCap {
    /// Measures a post against a cap.
    pub fn check(caption: &str, hashtags: &HashtagSet, max: usize) -> Self {
        HashtagCap { count: post_hashtag_count(caption, hashtags), max }
    }

    /// Whether the platform takes this many.
    pub fn fits(&self) -> bool {
        self.count <= self.max
    }

    /// How many tags too many (0 when it fits).
    pub fn over_by(&self) -> usize {
        self.count.saturating_sub(self.max)
    }

    /// What to tell the creator when it does not fit, naming the platform as the caller shows it.
    pub fn message(&self, platform: &str) -> Option<String> {
        (!self.fits()).then(|| {
            let tags = if self.max == 1 { "hashtag" } else { "hashtags" };
            format!(
                "{platform} allows at most {} {tags}; this post has {}: remove {}",
                self.max,
                self.count,
                self.over_by()
            )
        })
    }
}

/// A post's hashtags in the order they were added, each tag once whatever its case (the first
/// spelling is kept).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HashtagSet {
    tags: Vec<Hashtag>,
}

impl HashtagSet {
    /// An empty set.
    pub fn new() -> Self {
        Self::default()
    }

    /// Normalises and adds every tag; the first one that cannot be a hashtag is the error.
    pub fn from_raw<S: AsRef<str>>(raw: impl IntoIterator<Item = S>) -> Result<Self, HashtagError> {
        let mut set = Self::new();
        for tag in raw {
            set.insert(Hashtag::parse(tag.as_ref())?);
        }
        Ok(set)
    }

    /// Adds a tag unless one with the same key is there; returns whether it was added.
    pub fn insert(&mut self, tag: Hashtag) -> bool {
        let key = tag.key();
        if self.tags.iter().any(|t| t.key() == key) {
            return false;
        }
        self.tags.push(tag);
        true
    }

    /// The tags a creator typed in one field (see [`parse_hashtag_input`]), each once; the first
    /// piece that cannot be a tag is the error.
    pub fn from_input(input: &str) -> Result<Self, HashtagError> {
        let mut set = Self::new();
        set.insert_input(input)?;
        Ok(set)
    }

    /// Keeps the first `n` tags.
    pub fn truncate(&mut self, n: usize) {
        self.tags.truncate(n);
    }

    /// The first `n` tags (all of them when there are fewer).
    pub fn first(&self, n: usize) -> Self {
        Self { tags: self.tags.iter().take(n).cloned().collect() }
    }

    /// Normalises and adds what a creator typed (see [`parse_hashtag_input`]); returns how many
    /// tags were new. Nothing is added when any piece is unusable.
    pub fn insert_input(&mut self, input: &str) -> Result<usize, HashtagError> {
        let tags = parse_hashtag_input(input).into_iter().collect::<Result<Vec<_>, _>>()?;
        Ok(tags.into_iter().filter(|t| self.insert(t.clone())).count())
    }

    /// Removes the tag with this spelling in any case (with or without its `#`).
    pub fn remove(&mut self, tag: &str) -> bool {
        let Ok(key) = Hashtag::parse(tag).map(|t| t.key()) else { return false };
        let before = self.tags.len();
        self.tags.retain(|t| t.key() != key);
        self.tags.len() != before
    }

    /// Whether the set holds this tag in any case (with or without its `#`).
    pub fn contains(&self, tag: &str) -> bool {
        Hashtag::parse(tag).is_ok_and(|t| self.contains_key(&t.key()))
    }

    fn contains_key(&self, key: &str) -> bool {
        self.tags.iter().any(|t| t.key() == key)
    }

    /// The tags, in order.
    pub fn as_slice(&self) -> &[Hashtag] {
        &self.tags
    }

    /// The tags as strings, for `publish_generation`'s `p_hashtags`.
    pub fn to_strings(&self) -> Vec<String> {
        self.tags.iter().map(|t| t.0.clone()).collect()
    }

    /// How many tags.
    pub fn len(&self) -> usize {
        self.tags.len()
    }

    /// Whether there is none.
    pub fn is_empty(&self) -> bool {
        self.tags.is_empty()
    }
}

/// The tags as a field shows them: `#fox #dawn`.
impl std::fmt::Display for HashtagSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (i, tag) in self.tags.iter().enumerate() {
            if i > 0 {
                f.write_str(" ")?;
            }
            f.write_str(tag.as_str())?;
        }
        Ok(())
    }
}

impl FromIterator<Hashtag> for HashtagSet {
    fn from_iter<I: IntoIterator<Item = Hashtag>>(iter: I) -> Self {
        let mut set = Self::new();
        iter.into_iter().for_each(|t| {
            set.insert(t);
        });
        set
    }
}

#[cfg(test)]
#[path = "hashtags_tests.rs"]
mod tests;
