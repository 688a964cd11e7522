//! Editing a scheduled post (caption, hashtags, time, account) through `edit_scheduled_post`:
//! clients cannot write posts directly, and the database holds the edit to publish_generation's
//! checks and refuses it once the worker took the post ("It has already gone out"). The time is
//! typed on the creator's own clock and resolved here by the same rules as the Distribution
//! step's schedule.

use serde_json::json;

use crate::domain::hashtags::HashtagSet;
use crate::domain::schedule::LocalDateTime;
use crate::domain::schedule_time::ScheduleTime;
use crate::domain::Post;
use crate::services::publish::refusal_in_words;
use crate::services::time_zone::{now_ms, BrowserZone};
use crate::services::{ServiceError, Services};
use crate::supabase::{rest, ApiError};

/// What the edit form sends: the post's new content, time and account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostEdit {
    pub post_id: String,
    pub caption: String,
    pub hashtags: HashtagSet,
    pub scheduled_at: ScheduleTime,
    pub account_id: String,
}

/// The tags typed in the form's "Hashtags" field ("#fox #noon", commas or line breaks), each
/// once; the first piece that cannot be a tag is refused in words.
pub fn read_hashtags(input: &str) -> Result<HashtagSet, ServiceError> {
    HashtagSet::from_input(input).map_err(|e| ServiceError::Refused(e.to_string()))
}

/// The time picked (none: the field is empty or not a whole date and time) in `zone` (the
/// creator's), at least a minute and at most a year ahead; a time the clocks skip there is
/// refused naming the zone.
pub fn read_time(picked: Option<LocalDateTime>, zone: &str) -> Result<ScheduleTime, ServiceError> {
    let refuse = |e: crate::domain::schedule::ScheduleError| ServiceError::Refused(e.to_string());
    let Some(local) = picked else {
        return Err(ServiceError::Refused("Pick a date and time to schedule for.".to_owned()));
    };
    let zone = BrowserZone::new(zone).map_err(refuse)?;
    ScheduleTime::resolve(local, zone.name(), &zone, now_ms()).map_err(refuse)
}

/// Saves the edit; the post the database returns replaces the one held (Realtime brings the
/// same row to other tabs).
pub async fn save(app: Services, edit: PostEdit) -> Result<(), ServiceError> {
    let token = app.token().await?;
    let args = json!({
        "p_post_id": edit.post_id,
        "p_caption": edit.caption,
        "p_hashtags": edit.hashtags,
        "p_scheduled_at": edit.scheduled_at,
        "p_account_id": edit.account_id,
    });
    let post: Post = rest::object(rest::rpc("edit_scheduled_post", &args, &token)).await.map_err(edit_error)?;
    app.publish.apply_posts([post]);
    Ok(())
}

/// The database's refusal in words: its own messages for the checks ("It has already gone
/// out", "The text is too long for x (280 max)"…, each with what to do); a post that is not the
/// caller's, or a server fault, in Atelier's words, never the server's text.
fn edit_error(e: ApiError) -> ServiceError {
    refusal_in_words(
        e,
        "This post or that account is no longer yours to edit. Reload the page and try again.",
        "Atelier could not save the changes just now. Nothing changed: try again in a moment.",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashtags_are_read_as_the_distribution_step_reads_them() {
        let tags = read_hashtags("#fox #Noon, dawn #fox").unwrap();
        assert_eq!(tags.to_strings(), ["#fox", "#Noon", "#dawn"]);
        assert!(read_hashtags("").unwrap().is_empty());
        assert!(read_hashtags("#fox #!!!").is_err(), "a piece with nothing usable is refused");
    }

    fn rest_error(status: u16, code: &str, message: &str, hint: Option<&str>) -> ApiError {
        ApiError::Rest {
            status,
            code: Some(code.to_owned()),
            message: message.to_owned(),
            details: None,
            hint: hint.map(str::to_owned),
        }
    }

    #[test]
    fn refusals_read_in_words() {
        let gone = edit_error(rest_error(400, "22023", "It has already gone out", None));
        assert_eq!(gone.user_message(), "It has already gone out");
        let long = edit_error(rest_error(
            400,
            "22023",
            "The text is too long for x (280 max)",
            Some("Shorten the caption or drop hashtags for this platform."),
        ));
        assert_eq!(
            long.user_message(),
            "The text is too long for x (280 max). Shorten the caption or drop hashtags for this platform."
        );
        let theirs = edit_error(rest_error(403, "42501", "This post was not found among yours", None));
        assert!(theirs.user_message().starts_with("This post or that account is no longer yours"));
        let fault = edit_error(rest_error(500, "XX000", "{\"internal\": true}", None));
        assert!(!fault.user_message().contains('{'), "never the server's text");
    }
}
