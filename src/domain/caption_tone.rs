//! The tones "Generate caption" writes in. `generate-caption` accepts exactly these, in this
//! order (its list is `supabase/functions/generate-caption/tones.ts`); a unit test reads that
//! file, so a tone offered here that the function would refuse fails `cargo test`.

/// A tone the caption generator writes in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CaptionTone {
    Playful,
    Professional,
    Inspiring,
    Minimal,
}

impl CaptionTone {
    /// Every tone, in the order the app offers them (the first is the default).
    pub const ALL: &'static [CaptionTone] = &[Self::Playful, Self::Professional, Self::Inspiring, Self::Minimal];

    /// The value `generate-caption` takes as `tone`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Playful => "playful",
            Self::Professional => "professional",
            Self::Inspiring => "inspiring",
            Self::Minimal => "minimal",
        }
    }

    /// The tone's name in the picker.
    pub const fn label(self) -> &'static str {
        match self {
            Self::Playful => "Playful",
            Self::Professional => "Professional",
            Self::Inspiring => "Inspiring",
            Self::Minimal => "Minimal",
        }
    }
}

#[cfg(test)]
#[path = "caption_tone_tests.rs"]
mod tests;
