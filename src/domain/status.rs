//! The five canonical enums of the data model, serialised in snake_case exactly as
//! the Postgres enum types spell them.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Declares a canonical enum: serde in snake_case, `as_str`, `ALL`, `Display` and `FromStr`,
/// so the wire string is written once per variant.
macro_rules! canonical_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            /// Every variant, in the order the database type declares them.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The string the database and the API use for this value.
            pub const fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl FromStr for $name {
            type Err = UnknownValue;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $($text => Ok($name::$variant),)+
                    _ => Err(UnknownValue { kind: stringify!($name), value: s.to_owned() }),
                }
            }
        }
    };
}

/// A string that is not one of an enum's canonical values.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {kind}: {value:?}")]
pub struct UnknownValue {
    pub kind: &'static str,
    pub value: String,
}

canonical_enum!(
    /// Where a generation is in its life: rows are created `queued` and end `completed` or `failed`.
    GenerationStatus {
        Queued => "queued",
        Processing => "processing",
        Completed => "completed",
        Failed => "failed",
    }
);

canonical_enum!(
    /// Where a post is in its life.
    PostStatus {
        Scheduled => "scheduled",
        Publishing => "publishing",
        Published => "published",
        Failed => "failed",
        Cancelled => "cancelled",
    }
);

canonical_enum!(
    /// The state of a connected social account; only `active` and `mock` can be published to.
    AccountStatus {
        Active => "active",
        Mock => "mock",
        Expired => "expired",
        Revoked => "revoked",
    }
);

canonical_enum!(
    /// The social platforms Atelier publishes to.
    Platform {
        Instagram => "instagram",
        Tiktok => "tiktok",
        X => "x",
        Linkedin => "linkedin",
        Facebook => "facebook",
        Youtube => "youtube",
        Threads => "threads",
        Pinterest => "pinterest",
        Bluesky => "bluesky",
        Mastodon => "mastodon",
    }
);

canonical_enum!(
    /// What a generation produces.
    MediaKind {
        Image => "image",
        Video => "video",
    }
);

impl GenerationStatus {
    /// A terminal status never changes again; anything else still shows progress.
    pub const fn is_terminal(self) -> bool {
        matches!(self, Self::Completed | Self::Failed)
    }
}

impl AccountStatus {
    /// Whether posts may be sent to an account in this state.
    pub const fn can_publish(self) -> bool {
        matches!(self, Self::Active | Self::Mock)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::de::DeserializeOwned;

    /// Every variant survives JSON and `FromStr` round trips, and serialises to its `as_str`.
    fn round_trips<T>(all: &[T], as_str: fn(T) -> &'static str)
    where
        T: Copy + PartialEq + fmt::Debug + Serialize + DeserializeOwned + FromStr + fmt::Display,
        <T as FromStr>::Err: fmt::Debug,
    {
        for &value in all {
            let json = serde_json::to_string(&value).unwrap();
            assert_eq!(json, format!("\"{}\"", as_str(value)));
            assert_eq!(serde_json::from_str::<T>(&json).unwrap(), value);
            assert_eq!(value.to_string().parse::<T>().unwrap(), value);
        }
    }

    #[test]
    fn generation_status_round_trips() {
        round_trips(GenerationStatus::ALL, GenerationStatus::as_str);
        assert_eq!(GenerationStatus::ALL.len(), 4);
    }

    #[test]
    fn post_status_round_trips() {
        round_trips(PostStatus::ALL, PostStatus::as_str);
        assert_eq!(PostStatus::ALL.len(), 5);
    }

    #[test]
    fn account_status_round_trips() {
        round_trips(AccountStatus::ALL, AccountStatus::as_str);
    }

    #[test]
    fn platform_round_trips() {
        round_trips(Platform::ALL, Platform::as_str);
        assert_eq!(Platform::ALL.len(), 10);
    }

    #[test]
    fn media_kind_round_trips() {
        round_trips(MediaKind::ALL, MediaKind::as_str);
    }

    #[test]
    fn strings_are_the_database_spelling() {
        assert_eq!(serde_json::to_string(&Platform::Linkedin).unwrap(), "\"linkedin\"");
        assert_eq!(serde_json::to_string(&PostStatus::Cancelled).unwrap(), "\"cancelled\"");
    }

    #[test]
    fn unknown_or_miscased_values_are_rejected() {
        assert!("Queued".parse::<GenerationStatus>().is_err());
        assert!(serde_json::from_str::<PostStatus>("\"posted\"").is_err());
        let err = "myspace".parse::<Platform>().unwrap_err();
        assert_eq!(err.to_string(), "unknown Platform: \"myspace\"");
    }

    #[test]
    fn terminal_and_publishable_states() {
        assert!(GenerationStatus::Failed.is_terminal());
        assert!(!GenerationStatus::Processing.is_terminal());
        assert!(AccountStatus::Mock.can_publish());
        assert!(!AccountStatus::Expired.can_publish());
    }
}
