//! Hashtags on the wire and in storage: a [`Hashtag`] and a [`HashtagSet`] are written as the
//! text `posts.hashtags` holds (`"#fox"`, `["#fox", "#dawn"]`) and read back through the one
//! parser, so a kept draft or an answer cannot smuggle in a value that is not a tag.

use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::{Hashtag, HashtagSet};

impl Serialize for Hashtag {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Hashtag {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(deserializer)?;
        let tag = Hashtag::parse(&raw).map_err(D::Error::custom)?;
        // Stored tags are already normalised: one that changes on parsing was not a tag.
        if tag.as_str() != raw {
            return Err(D::Error::custom(format!("{raw:?} is not a hashtag as stored")));
        }
        Ok(tag)
    }
}

impl Serialize for HashtagSet {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.as_slice().serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for HashtagSet {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(Vec::<Hashtag>::deserialize(deserializer)?.into_iter().collect())
    }
}

/// Reads a list of suggested tags (`generate-caption`'s `hashtags`): each is normalised like a
/// typed one and any that cannot be a tag is left out, so one odd suggestion does not lose the
/// caption that came with it.
pub fn lenient_hashtags<'de, D: Deserializer<'de>>(deserializer: D) -> Result<HashtagSet, D::Error> {
    let raw = Option::<Vec<String>>::deserialize(deserializer)?.unwrap_or_default();
    Ok(raw.iter().filter_map(|t| Hashtag::parse(t).ok()).collect())
}
