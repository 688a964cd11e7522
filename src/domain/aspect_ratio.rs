//! The aspect ratios Atelier generates, parsed once where a value comes in (the canvas's
//! select, a database row) and carried typed everywhere after: a value outside the database's
//! `public.aspect_ratio` enum cannot be held.

use serde::{Deserialize, Deserializer, Serialize};
use std::fmt;
use std::str::FromStr;

/// The aspect ratios Atelier generates (`public.aspect_ratio`), spelled as the database spells
/// them. [`AspectRatio::ALL`] is the canonical order, the tie-break of [`choose_ratio`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum AspectRatio {
    #[serde(rename = "1:1")]
    Square,
    #[serde(rename = "4:5")]
    Portrait4x5,
    #[serde(rename = "9:16")]
    Vertical9x16,
    #[serde(rename = "16:9")]
    Landscape16x9,
    #[serde(rename = "2:3")]
    Portrait2x3,
}

impl AspectRatio {
    /// Every ratio, in the order the database type declares them.
    pub const ALL: &'static [AspectRatio] =
        &[Self::Square, Self::Portrait4x5, Self::Vertical9x16, Self::Landscape16x9, Self::Portrait2x3];

    /// `width:height`, as the database and `params.aspect_ratio` write it.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Square => "1:1",
            Self::Portrait4x5 => "4:5",
            Self::Vertical9x16 => "9:16",
            Self::Landscape16x9 => "16:9",
            Self::Portrait2x3 => "2:3",
        }
    }

    /// The width term of the ratio (4 for 4:5).
    pub const fn width(self) -> u32 {
        self.terms().0
    }

    /// The height term of the ratio (5 for 4:5).
    pub const fn height(self) -> u32 {
        self.terms().1
    }

    const fn terms(self) -> (u32, u32) {
        match self {
            Self::Square => (1, 1),
            Self::Portrait4x5 => (4, 5),
            Self::Vertical9x16 => (9, 16),
            Self::Landscape16x9 => (16, 9),
            Self::Portrait2x3 => (2, 3),
        }
    }

    /// The value of CSS `aspect-ratio` for a box of this shape (`4 / 5`).
    pub fn css(self) -> String {
        format!("{} / {}", self.width(), self.height())
    }
}

impl fmt::Display for AspectRatio {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for AspectRatio {
    type Err = AspectRatioError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL.iter().copied().find(|r| r.as_str() == s).ok_or_else(|| AspectRatioError::Unknown(s.to_owned()))
    }
}

/// Why a text is not an [`AspectRatio`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AspectRatioError {
    /// Not one of the ratios the database's `aspect_ratio` type lists.
    #[error("\"{0}\" is not an aspect ratio Atelier makes: pick 1:1, 4:5, 9:16, 16:9 or 2:3.")]
    Unknown(String),
}

/// Reads `params.aspect_ratio` of a generation: a ratio, or `None` when absent or not one
/// Atelier makes. `params` is free `jsonb` (older rows, other clients, a function's own keys),
/// so an odd value there is logged and read as "no ratio" rather than failing the whole row:
/// the output still shows (at its stored size, else square), and Remix keeps the canvas's ratio.
pub fn lenient_ratio<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<AspectRatio>, D::Error> {
    let raw = Option::<serde_json::Value>::deserialize(deserializer)?;
    let Some(raw) = raw.filter(|v| !v.is_null()) else { return Ok(None) };
    match raw.as_str().map(str::parse::<AspectRatio>) {
        Some(Ok(ratio)) => Ok(Some(ratio)),
        _ => {
            leptos::logging::warn!("Ignoring params.aspect_ratio {raw}: not an aspect ratio Atelier makes");
            Ok(None)
        }
    }
}

#[cfg(test)]
#[path = "aspect_ratio_tests.rs"]
mod tests;
