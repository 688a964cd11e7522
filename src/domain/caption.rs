//! The text a platform receives and how long it is, exactly as the database decides
//! (`public.compose_post_text` and `private.post_text_fits`): the caption, a blank line and the
//! hashtags separated by spaces; measured in characters (Unicode code points, as Postgres
//! `char_length` counts them) or, for platforms whose limit is in bytes (Threads,
//! `platform_limits.caption_counts_bytes`), in UTF-8 bytes (`octet_length`). Where a platform
//! weighs links at a fixed length (Mastodon: 23), every `http://` or `https://` run up to the next
//! whitespace counts that many, however long it is written; where it also caps bytes (Bluesky:
//! 3,000), the text as written must stay under that too.

use std::fmt;

/// The text a platform receives for a caption and hashtags, as `public.compose_post_text`:
/// the caption alone when there are no hashtags, the hashtags alone when the caption is empty,
/// otherwise the caption, a blank line (`\n\n`) and the hashtags joined by single spaces.
/// The caption is taken as it is (no trimming: the database does not trim either).
pub fn compose_post_text<T: AsRef<str>>(caption: &str, hashtags: &[T]) -> String {
    let tags = hashtags.iter().map(AsRef::as_ref).collect::<Vec<_>>().join(" ");
    match (caption.is_empty(), hashtags.is_empty()) {
        (_, true) => caption.to_owned(),
        (true, false) => tags,
        (false, false) => format!("{caption}\n\n{tags}"),
    }
}

/// What a platform's caption limit counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LengthUnit {
    /// Unicode code points (`char_length`): an emoji is one, a flag two.
    Characters,
    /// UTF-8 bytes (`octet_length`): `é` is two, an emoji four.
    Bytes,
}

impl LengthUnit {
    /// The unit of a `platform_limits` row, from its `caption_counts_bytes`.
    pub fn from_counts_bytes(counts_bytes: bool) -> Self {
        if counts_bytes {
            LengthUnit::Bytes
        } else {
            LengthUnit::Characters
        }
    }

    /// How long `text` is in this unit.
    pub fn measure(self, text: &str) -> usize {
        match self {
            LengthUnit::Characters => text.chars().count(),
            LengthUnit::Bytes => text.len(),
        }
    }

    /// The unit's name for `n` of it ("1 character", "3 bytes").
    fn name(self, n: usize) -> &'static str {
        match (self, n) {
            (LengthUnit::Characters, 1) => "character",
            (LengthUnit::Characters, _) => "characters",
            (LengthUnit::Bytes, 1) => "byte",
            (LengthUnit::Bytes, _) => "bytes",
        }
    }
}

/// The `http://` and `https://` links of a text as the length rule sees them: byte ranges from
/// the scheme up to the next whitespace (Unicode `White_Space`, the set the database's pattern
/// spells out), leftmost first and never overlapping, like `regexp_matches(…, 'https?://\S+', 'g')`.
/// A scheme followed by nothing (or by whitespace) is no link.
fn link_spans(text: &str) -> Vec<std::ops::Range<usize>> {
    let mut spans = Vec::new();
    let mut at = 0;
    while let Some(rest) = text.get(at..).filter(|r| !r.is_empty()) {
        let scheme = ["https://", "http://"].into_iter().find(|s| rest.starts_with(s)).map_or(0, str::len);
        if scheme > 0 {
            let tail = &rest[scheme..];
            let run = tail.find(char::is_whitespace).unwrap_or(tail.len());
            if run > 0 {
                spans.push(at..at + scheme + run);
                at += scheme + run;
                continue;
            }
        }
        at += rest.chars().next().map_or(1, char::len_utf8);
    }
    spans
}

/// How one platform — or one account on it — measures a post's text (`private.post_text_fits`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextRule {
    /// At most this many, in `unit` (an account's own `caption_max`, else the platform's).
    pub max: usize,
    /// What `max` counts.
    pub unit: LengthUnit,
    /// And at most this many UTF-8 bytes as written (Bluesky: 3,000); `None`: no byte cap.
    pub max_bytes: Option<usize>,
    /// Every link counts this many, however long (Mastodon: 23); `None`: links count as written.
    pub url_length: Option<usize>,
}

impl TextRule {
    /// A plain limit: `max` in `unit`, links as written, no byte cap.
    pub fn new(max: usize, unit: LengthUnit) -> Self {
        TextRule { max, unit, max_bytes: None, url_length: None }
    }

    /// How long `text` is under this rule (`private.post_text_length`): its length in `unit`
    /// with every link counted as `url_length` when that is set.
    pub fn length(&self, text: &str) -> usize {
        let Some(url_length) = self.url_length else { return self.unit.measure(text) };
        let links = link_spans(text);
        let mut outside = 0;
        let mut from = 0;
        for link in &links {
            outside += self.unit.measure(&text[from..link.start]);
            from = link.end;
        }
        outside + self.unit.measure(&text[from..]) + links.len() * url_length
    }

    /// Measures `text` against this rule.
    pub fn measure(&self, text: &str) -> TextLength {
        TextLength {
            length: self.length(text),
            limit: self.max,
            unit: self.unit,
            bytes: text.len(),
            max_bytes: self.max_bytes,
        }
    }

    /// Measures what the platform would receive for this caption and these hashtags.
    pub fn measure_post<T: AsRef<str>>(&self, caption: &str, hashtags: &[T]) -> TextLength {
        self.measure(&compose_post_text(caption, hashtags))
    }
}

/// A text measured against one platform's (or account's) limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextLength {
    /// Its length in `unit` (links weighed as the rule says).
    pub length: usize,
    /// The limit in `unit`.
    pub limit: usize,
    /// What the limit counts.
    pub unit: LengthUnit,
    /// Its UTF-8 bytes as written.
    pub bytes: usize,
    /// The byte cap, when the platform has one.
    pub max_bytes: Option<usize>,
}

impl TextLength {
    /// Measures `text` against `limit` in `unit` (links as written, no byte cap); the app
    /// measures through a platform's [`TextRule`], the tests with these shorthands.
    #[cfg(test)]
    pub fn of(text: &str, limit: usize, unit: LengthUnit) -> Self {
        TextRule::new(limit, unit).measure(text)
    }

    /// Measures what the platform would receive for this caption and these hashtags.
    #[cfg(test)]
    pub fn of_post<T: AsRef<str>>(caption: &str, hashtags: &[T], limit: usize, unit: LengthUnit) -> Self {
        TextRule::new(limit, unit).measure_post(caption, hashtags)
    }

    /// Whether the platform takes it (the database refuses only when length > limit, or bytes
    /// > the byte cap).
    pub fn fits(&self) -> bool {
        self.length <= self.limit && self.bytes_over() == 0
    }

    /// How far over the limit, in `unit` (0 when within it).
    pub fn over_by(&self) -> usize {
        self.length.saturating_sub(self.limit)
    }

    /// How far over the byte cap (0 when within it or there is none).
    pub fn bytes_over(&self) -> usize {
        self.max_bytes.map_or(0, |cap| self.bytes.saturating_sub(cap))
    }

    /// How much room is left in `unit` (0 when over).
    pub fn remaining(&self) -> usize {
        self.limit.saturating_sub(self.length)
    }

    /// What to tell the creator when it does not fit, naming the platform as the caller shows it.
    pub fn message(&self, platform: &str) -> Option<String> {
        let (limit, unit, over) = if self.over_by() > 0 {
            (self.limit, self.unit, self.over_by())
        } else if self.bytes_over() > 0 {
            (self.max_bytes.unwrap_or_default(), LengthUnit::Bytes, self.bytes_over())
        } else {
            return None;
        };
        Some(format!(
            "The text is too long for {platform} ({limit} {} max): shorten it by {over} {}",
            unit.name(limit),
            unit.name(over)
        ))
    }
}

/// A counter's text: "312 / 280 characters" (or bytes), and the bytes past a byte cap
/// ("280 / 300 characters, 3012 / 3000 bytes").
impl fmt::Display for TextLength {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} / {} {}", self.length, self.limit, self.unit.name(self.limit))?;
        match self.max_bytes {
            Some(cap) if self.bytes > cap => write!(f, ", {} / {cap} bytes", self.bytes),
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
#[path = "caption_tests.rs"]
mod tests;
