//! Deleting a session: its outputs' media first, then its rows, so no file of a deleted output
//! stays public at its URL — however many outputs the session has (PostgREST answers at most
//! `max_rows` rows per read, so the outputs are read page by page).

use serde::Deserialize;

use leptos::prelude::*;

use crate::domain::PostStatus;
use crate::services::{media, ServiceError, Services};
use crate::supabase::rest::{self, Direction, Keyset};
use crate::supabase::PgCode;

/// Outputs per page while collecting a session's outputs (below any `max_rows`, 1,000 on hosted
/// Supabase: a page asks for one row more than it keeps).
const OUTPUT_PAGE: usize = 900;

const POSTED: &str = "This session can't be deleted: some of its outputs were posted. Remove their published \
     posts on the Posts page (they stay on the network) and cancel the scheduled ones first.";

/// Post statuses that keep their output: published (removed by hand, never silently), and
/// scheduled or publishing (still on their way). Cancelled and failed posts go with it.
const KEEPING: [PostStatus; 3] = [PostStatus::Published, PostStatus::Scheduled, PostStatus::Publishing];

/// Deletes a session and its generations. One whose outputs have posts that keep them (see
/// [`KEEPING`]) is refused before anything is removed; cancelled and failed posts go along. Every output's media is removed next;
/// if that fails, the rows stay (the session is still listed, and deleting it again finishes
/// the job) and the error says so. Only then are the rows deleted.
pub async fn delete(app: Services, id: String) -> Result<(), ServiceError> {
    let token = app.token().await?;
    if was_posted(&token, &id).await? {
        return Err(ServiceError::Refused(POSTED.to_owned()));
    }
    let outputs = output_ids(&token, &id).await?;
    if let Err(e) = media::remove_media(app, &token, &outputs).await {
        return Err(ServiceError::Refused(format!(
            "The session was kept: some of its files could not be removed ({}). Try deleting it again.",
            e.user_message()
        )));
    }
    let query = rest::table("sessions", &token).eq("id", &id).delete().select("id");
    match rest::rows::<serde_json::Value>(query).await {
        Ok(_) => {
            app.sessions.forget_session(&id);
            Ok(())
        }
        // Posted meanwhile (from another tab): the database keeps the posted output's row.
        Err(e) if e.is_pg(PgCode::ForeignKey) => Err(ServiceError::Refused(POSTED.to_owned())),
        Err(e) => Err(e.into()),
    }
}

/// Whether a post that keeps its output points at an output of session `id`.
async fn was_posted(token: &str, id: &str) -> Result<bool, ServiceError> {
    let query = rest::table("posts", token)
        .select("id,generations!inner(session_id)")
        .eq("generations.session_id", id)
        .in_("status", KEEPING.map(PostStatus::as_str));
    let posted: Vec<serde_json::Value> = rest::rows(query.limit(1)).await?;
    Ok(!posted.is_empty())
}

/// Deletes one output and its media. One with a published, scheduled or publishing post is
/// refused before anything is removed, saying what to do; its cancelled and failed posts go
/// with it (the database removes them with the row). The media go first, so a deleted output
/// never stays reachable at its public URL.
pub async fn delete_output(app: Services, id: String) -> Result<(), ServiceError> {
    let token = app.token().await?;
    let query = rest::table("posts", &token)
        .select("status")
        .eq("generation_id", &id)
        .in_("status", KEEPING.map(PostStatus::as_str));
    let keeping: Vec<KeepingPost> = rest::rows(query).await?;
    if let Some(reason) = output_refusal(keeping.iter().map(|p| p.status)) {
        return Err(ServiceError::Refused(reason.to_owned()));
    }
    media::remove_media(app, &token, std::slice::from_ref(&id)).await?;
    match rest::execute(rest::table("generations", &token).eq("id", &id).delete()).await {
        Ok(()) => {}
        // Posted meanwhile (from another tab): the database keeps the posted output's row.
        Err(e) if e.is_pg(PgCode::ForeignKey) => return Err(ServiceError::Refused(OUTPUT_ON_ITS_WAY.to_owned())),
        Err(e) => return Err(e.into()),
    }
    app.sessions.remove(&id);
    let gone: Vec<String> =
        untrack(|| app.publish.all_posts()).into_iter().filter(|p| p.generation_id == id).map(|p| p.id).collect();
    for post in gone {
        app.publish.remove_post(&post);
    }
    Ok(())
}

#[derive(Deserialize)]
struct KeepingPost {
    status: PostStatus,
}

const OUTPUT_ON_ITS_WAY: &str =
    "This output has a post that is scheduled or publishing: cancel it on the Posts page before deleting the output.";
const OUTPUT_PUBLISHED: &str = "This output was published: remove its post on the Posts page first (the post stays on \
     the network), then delete the output.";

/// Why an output whose posts have these statuses cannot be deleted (`None`: it can).
pub fn output_refusal(statuses: impl IntoIterator<Item = PostStatus>) -> Option<&'static str> {
    let mut reason = None;
    for status in statuses {
        match status {
            PostStatus::Scheduled | PostStatus::Publishing => return Some(OUTPUT_ON_ITS_WAY),
            PostStatus::Published => reason = Some(OUTPUT_PUBLISHED),
            PostStatus::Cancelled | PostStatus::Failed => {}
        }
    }
    reason
}

/// Every output id of session `id`, oldest first, read page by page on `(created_at, id)`.
async fn output_ids(token: &str, id: &str) -> Result<Vec<String>, ServiceError> {
    #[derive(Deserialize)]
    struct Output {
        id: String,
        created_at: String,
    }
    let mut ids = Vec::new();
    let mut after: Option<Keyset> = None;
    loop {
        let query = rest::table("generations", token).select("id,created_at").eq("session_id", id);
        let page = rest::keyset_page::<Output>(query, Direction::OldestFirst, after.as_ref(), OUTPUT_PAGE).await?;
        after = page.rows.last().map(|o| Keyset { created_at: o.created_at.clone(), id: o.id.clone() });
        ids.extend(page.rows.into_iter().map(|o| o.id));
        if !page.more || after.is_none() {
            return Ok(ids);
        }
    }
}
