//! Rows of the data model as the API returns them.

use serde::{Deserialize, Serialize};

/// Longest session title the database accepts (`sessions.title` check).
pub const SESSION_TITLE_MAX: usize = 200;

/// A generation session: the unit the rail lists, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    pub id: String,
    pub user_id: String,
    pub title: String,
    pub created_at: String,
    pub updated_at: String,
}

/// Why a session title cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TitleError {
    #[error("Give the session a title.")]
    Empty,
    #[error("Keep the title under {SESSION_TITLE_MAX} characters.")]
    TooLong,
}

/// Trims a title and checks it against the database's rule, so the user hears about a bad
/// title before a round trip.
pub fn validate_session_title(raw: &str) -> Result<String, TitleError> {
    let title = raw.trim();
    if title.is_empty() {
        Err(TitleError::Empty)
    } else if title.chars().count() > SESSION_TITLE_MAX {
        Err(TitleError::TooLong)
    } else {
        Ok(title.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn session_parses_from_the_rest_shape() {
        let json = r#"{"id":"6b1c","user_id":"u1","title":"Autumn shoot",
            "created_at":"2026-11-26T10:00:00+00:00","updated_at":"2026-11-26T10:00:00+00:00"}"#;
        let s: Session = serde_json::from_str(json).unwrap();
        assert_eq!(s.title, "Autumn shoot");
    }

    #[test]
    fn titles_are_trimmed_and_bounded() {
        assert_eq!(validate_session_title("  Moodboard ").unwrap(), "Moodboard");
        assert_eq!(validate_session_title("   "), Err(TitleError::Empty));
        assert_eq!(validate_session_title(&"é".repeat(200)).unwrap().chars().count(), 200);
        assert_eq!(validate_session_title(&"é".repeat(201)), Err(TitleError::TooLong));
    }
}
