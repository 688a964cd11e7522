//! The tones "Generate caption" writes in. `generate-caption` accepts exactly these, in this
//! order (its list is `supabase/functions/generate-caption/tones.ts`); a unit test reads that
//! file, so a tone offered here that the function would refuse fails `cargo test`.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A tone the caption generator writes in; serialised as the value `generate-caption` takes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CaptionTone {
    #[default]
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

impl fmt::Display for CaptionTone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for CaptionTone {
    type Err = ToneError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL.iter().copied().find(|t| t.as_str() == s).ok_or_else(|| ToneError::Unknown(s.to_owned()))
    }
}

/// Why a text is not a [`CaptionTone`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ToneError {
    /// Not one of the tones `generate-caption` takes.
    #[error("\"{0}\" is not a tone Atelier writes in: pick Playful, Professional, Inspiring or Minimal.")]
    Unknown(String),
}

#[cfg(test)]
#[path = "caption_tone_tests.rs"]
mod tests;
