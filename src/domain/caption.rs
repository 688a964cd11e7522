//! The text a platform receives and how long it is, exactly as the database decides
//! (`public.compose_post_text` and `publish_generation`'s length check): the caption, a blank
//! line and the hashtags separated by spaces; measured in characters (Unicode code points, as
//! Postgres `char_length` counts them) or, for platforms whose limit is in bytes (Threads,
//! `platform_limits.caption_counts_bytes`), in UTF-8 bytes (`octet_length`).

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

/// A text measured against one platform's caption limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextLength {
    /// Its length in `unit`.
    pub length: usize,
    /// The platform's `caption_max`.
    pub limit: usize,
    /// What the limit counts.
    pub unit: LengthUnit,
}

impl TextLength {
    /// Measures `text` against `limit` in `unit`.
    pub fn of(text: &str, limit: usize, unit: LengthUnit) -> Self {
        TextLength { length: unit.measure(text), limit, unit }
    }

    /// Measures what the platform would receive for this caption and these hashtags.
    pub fn of_post<T: AsRef<str>>(caption: &str, hashtags: &[T], limit: usize, unit: LengthUnit) -> Self {
        Self::of(&compose_post_text(caption, hashtags), limit, unit)
    }

    /// Whether the platform takes it (`publish_generation` refuses only when length > limit).
    pub fn fits(&self) -> bool {
        self.length <= self.limit
    }

    /// How far over the limit (0 when it fits).
    pub fn over_by(&self) -> usize {
        self.length.saturating_sub(self.limit)
    }

    /// How much room is left (0 when over).
    pub fn remaining(&self) -> usize {
        self.limit.saturating_sub(self.length)
    }

    /// What to tell the creator when it does not fit, naming the platform as the caller shows it.
    pub fn message(&self, platform: &str) -> Option<String> {
        (!self.fits()).then(|| {
            let over = self.over_by();
            format!(
                "The text is too long for {platform} ({} {} max): shorten it by {over} {}",
                self.limit,
                self.unit.name(self.limit),
                self.unit.name(over)
            )
        })
    }
}

/// A counter's text: "312 / 280 characters" (or bytes).
impl fmt::Display for TextLength {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} / {} {}", self.length, self.limit, self.unit.name(self.limit))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NONE: [&str; 0] = [];

    #[test]
    fn composes_as_the_database_does() {
        // Each case is what `select public.compose_post_text(caption, hashtags)` returns.
        assert_eq!(compose_post_text("Fox at dawn", &["#fox", "#wildlife"]), "Fox at dawn\n\n#fox #wildlife");
        assert_eq!(compose_post_text("Fox at dawn", &NONE), "Fox at dawn");
        assert_eq!(compose_post_text("", &["#fox", "#wildlife"]), "#fox #wildlife");
        assert_eq!(compose_post_text("", &NONE), "");
        assert_eq!(compose_post_text("#a #b #c #d", &["#e", "#f"]), "#a #b #c #d\n\n#e #f");
        // Not trimmed: a blank caption is not an empty one.
        assert_eq!(compose_post_text("  ", &["#x"]), "  \n\n#x");
        assert_eq!(compose_post_text("line one\n", &["#x"]), "line one\n\n\n#x");
    }

    #[test]
    fn counts_code_points_like_char_length() {
        // char_length('Café 🦊') = 6; char_length of a flag (two regional indicators) = 2.
        assert_eq!(LengthUnit::Characters.measure("Café 🦊"), 6);
        assert_eq!(LengthUnit::Characters.measure("🇩🇪"), 2);
        assert_eq!(LengthUnit::Characters.measure("東京"), 2);
        // The blank line counts: 3 + 2 + 4.
        assert_eq!(TextLength::of_post("Fox", &["#fox"], 280, LengthUnit::Characters).length, 9);
    }

    #[test]
    fn threads_counts_utf8_bytes_like_octet_length() {
        assert_eq!(LengthUnit::from_counts_bytes(true), LengthUnit::Bytes);
        assert_eq!(LengthUnit::Bytes.measure("Café 🦊"), 10);
        assert_eq!(LengthUnit::Bytes.measure("東京"), 6);
        // publish_generation's own case: 126 foxes are 126 characters but 504 bytes.
        let foxes = "🦊".repeat(126);
        let threads = TextLength::of(&foxes, 500, LengthUnit::Bytes);
        assert_eq!((threads.length, threads.fits(), threads.over_by()), (504, false, 4));
        assert!(TextLength::of(&foxes, 500, LengthUnit::Characters).fits());
        assert_eq!(TextLength::of(&"🦊".repeat(125), 500, LengthUnit::Bytes).remaining(), 0);
        assert!(TextLength::of(&"🦊".repeat(125), 500, LengthUnit::Bytes).fits());
    }

    #[test]
    fn says_how_far_over_and_how_much_is_left() {
        let x = TextLength::of(&"x".repeat(281), 280, LengthUnit::Characters);
        assert_eq!((x.fits(), x.over_by(), x.remaining()), (false, 1, 0));
        assert_eq!(x.to_string(), "281 / 280 characters");
        assert_eq!(
            x.message("X").unwrap(),
            "The text is too long for X (280 characters max): shorten it by 1 character"
        );
        let exact = TextLength::of(&"x".repeat(280), 280, LengthUnit::Characters);
        assert!(exact.fits() && exact.message("X").is_none());
        // Hashtags push a caption that fits alone over the limit.
        let with_tags = TextLength::of_post(&"x".repeat(270), &["#toolongnow"], 280, LengthUnit::Characters);
        assert_eq!(with_tags.over_by(), 3);
        let bytes = TextLength::of(&"🦊".repeat(126), 500, LengthUnit::Bytes);
        assert_eq!(
            bytes.message("Threads").unwrap(),
            "The text is too long for Threads (500 bytes max): shorten it by 4 bytes"
        );
    }
}
