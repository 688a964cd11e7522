//! Deleting a session: its outputs' media first, then its rows, so no file of a deleted output
//! stays public at its URL — however many outputs the session has (PostgREST answers at most
//! `max_rows` rows per read, so the outputs are read page by page).

use serde::Deserialize;

use crate::services::{generation, ServiceError, Services};
use crate::supabase::rest::{self, Direction, Keyset};

/// Outputs per page while collecting a session's outputs (below any `max_rows`, 1,000 on hosted
/// Supabase: a page asks for one row more than it keeps).
const OUTPUT_PAGE: usize = 900;

const POSTED: &str =
    "This session can't be deleted: some of its outputs were posted. Posts keep the output they came from.";

/// Deletes a session and its generations. One whose outputs were posted is refused before
/// anything is removed (posts keep their generation). Every output's media is removed next;
/// if that fails, the rows stay (the session is still listed, and deleting it again finishes
/// the job) and the error says so. Only then are the rows deleted.
pub async fn delete(app: Services, id: String) -> Result<(), ServiceError> {
    let token = app.token().await?;
    if was_posted(&token, &id).await? {
        return Err(ServiceError::Refused(POSTED.to_owned()));
    }
    let outputs = output_ids(&token, &id).await?;
    if let Err(e) = generation::remove_media(app, &token, &outputs).await {
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
        Err(e) if e.code() == Some("23503") => Err(ServiceError::Refused(POSTED.to_owned())),
        Err(e) => Err(e.into()),
    }
}

/// Whether any post points at an output of session `id`.
async fn was_posted(token: &str, id: &str) -> Result<bool, ServiceError> {
    let query = rest::table("posts", token).select("id,generations!inner(session_id)").eq("generations.session_id", id);
    let posted: Vec<serde_json::Value> = rest::rows(query.limit(1)).await?;
    Ok(!posted.is_empty())
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
