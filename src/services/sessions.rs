//! The rail's sessions (list, create, rename, delete) and opening one: checking it is the
//! user's, then loading its generations page by page into the state.

use leptos::prelude::*;
use serde::Deserialize;
use serde_json::json;

use crate::domain::models::validate_session_title;
use crate::domain::{Generation, GenerationStatus, Session};
use crate::services::{ServiceError, Services};
use crate::state::sessions::CurrentSession;
use crate::supabase::{rest, ApiError};

const COLUMNS: &str = "id,user_id,title,created_at,updated_at";
/// Rows per REST page of a session's generations.
pub const PAGE_SIZE: usize = 200;

/// Loads the user's sessions, newest first, and their thumbnails into the state.
pub async fn load(app: Services) -> Result<(), ServiceError> {
    let token = app.token().await?;
    let user_id = app.user_id()?;
    let query = rest::table("sessions", &token).select(COLUMNS).eq("user_id", &user_id).order("created_at.desc");
    let sessions: Vec<Session> = rest::rows(query).await?;
    app.sessions.replace(sessions);
    load_thumbnails(app, &token).await;
    Ok(())
}

/// Each session's latest completed output, for the rail (best effort: a failure leaves the
/// rail without thumbnails, not without sessions).
async fn load_thumbnails(app: Services, token: &str) {
    #[derive(Deserialize)]
    struct Thumb {
        session_id: String,
        thumbnail_url: Option<String>,
    }
    let query = rest::table("generations", token)
        .select("session_id,thumbnail_url")
        .eq("status", GenerationStatus::Completed.as_str())
        .not("is", "thumbnail_url", "null")
        .order("created_at.desc")
        .limit(500);
    if let Ok(rows) = rest::rows::<Thumb>(query).await {
        app.sessions.thumbnails.update(|thumbs| {
            for row in rows.into_iter().rev() {
                if let Some(url) = row.thumbnail_url {
                    thumbs.insert(row.session_id, url);
                }
            }
        });
    }
}

/// Validates the title, inserts the session (`Prefer: return=representation`) and puts it
/// at the top of the rail.
pub async fn create(app: Services, raw_title: String) -> Result<Session, ServiceError> {
    let title = validate_session_title(&raw_title)?;
    let token = app.token().await?;
    let query = rest::table("sessions", &token).insert(json!({ "title": title }).to_string()).select(COLUMNS);
    let created = first(rest::rows::<Session>(query).await?, "the new session was not returned")?;
    app.sessions.prepend(created.clone());
    Ok(created)
}

/// Renames a session in place.
pub async fn rename(app: Services, id: String, raw_title: String) -> Result<Session, ServiceError> {
    let title = validate_session_title(&raw_title)?;
    let token = app.token().await?;
    let query =
        rest::table("sessions", &token).eq("id", &id).update(json!({ "title": title }).to_string()).select(COLUMNS);
    let renamed = first(rest::rows::<Session>(query).await?, "This session no longer exists.")?;
    app.sessions.update_session(renamed.clone());
    Ok(renamed)
}

/// Deletes a session and its generations. One whose outputs were posted is refused by the
/// database (posts keep their generation), and the message says so.
/// Its outputs' media are removed after the rows, so nothing stays reachable at its URL.
pub async fn delete(app: Services, id: String) -> Result<(), ServiceError> {
    #[derive(Deserialize)]
    struct Id {
        id: String,
    }
    let token = app.token().await?;
    let outputs: Vec<Id> = rest::rows(rest::table("generations", &token).select("id").eq("session_id", &id)).await?;
    let query = rest::table("sessions", &token).eq("id", &id).delete().select("id");
    match rest::rows::<serde_json::Value>(query).await {
        Ok(_) => {
            app.sessions.forget_session(&id);
            let ids: Vec<String> = outputs.into_iter().map(|o| o.id).collect();
            if let Err(e) = super::generation::remove_media(app, &token, &ids).await {
                app.ui.push_error(format!(
                    "The session was deleted, but some of its files were not: {}",
                    e.user_message()
                ));
            }
            Ok(())
        }
        Err(e) if e.code() == Some("23503") => Err(ServiceError::Refused(
            "This session can't be deleted: some of its outputs were posted. Posts keep the output they came from."
                .to_owned(),
        )),
        Err(e) => Err(e.into()),
    }
}

/// Makes `id` the current session: checks it is one of the user's (otherwise "Session not
/// found", never another user's data) and loads its generations.
pub async fn open(app: Services, id: String) -> Result<(), ServiceError> {
    let held = app.sessions.list.with_untracked(|list| list.iter().any(|s| s.id == id));
    app.sessions.show(CurrentSession::Loading(id.clone()));
    let token = app.token().await?;
    if !held {
        let query = rest::table("sessions", &token).select(COLUMNS).eq("id", &id);
        let found = match rest::rows::<Session>(query).await {
            Ok(rows) => rows.into_iter().next(),
            // A malformed id is simply not one of the user's sessions.
            Err(e) if e.code() == Some("22P02") => None,
            Err(e) => return Err(e.into()),
        };
        match found {
            Some(session) => app.sessions.prepend(session),
            None => {
                app.sessions.show(CurrentSession::NotFound(id));
                return Ok(());
            }
        }
    }
    reload_generations(app, &id).await?;
    if app.sessions.current_id_untracked().as_deref() == Some(id.as_str()) {
        app.sessions.show(CurrentSession::Ready(id));
    }
    Ok(())
}

/// Loads every generation of session `id`, newest first, page by page (each page is shown
/// as it arrives). Used on open and after every realtime (re)join, so nothing missed while
/// disconnected stays missing. Stops if the creator switched sessions meanwhile.
pub async fn reload_generations(app: Services, id: &str) -> Result<(), ApiError> {
    // Rows held before this listing began and absent from it were deleted meanwhile (a DELETE
    // missed while disconnected). Rows that arrive during the listing are never dropped.
    let held_before = app.sessions.order.get_untracked();
    let mut listed = std::collections::HashSet::new();
    let mut from = 0;
    loop {
        let token = app.token().await?;
        let query = rest::table("generations", &token).select("*").eq("session_id", id).order("created_at.desc");
        let page = rest::page::<Generation>(query, from, from + PAGE_SIZE - 1).await?;
        if app.sessions.current_id_untracked().as_deref() != Some(id) {
            return Ok(());
        }
        let got = page.rows.len();
        app.sessions.total.set(page.total);
        listed.extend(page.rows.iter().map(|g| g.id.clone()));
        app.sessions.apply_all(page.rows);
        from += got;
        let more = page.total.map_or(got == PAGE_SIZE, |total| from < total);
        if got == 0 || !more {
            // Only a listing that saw every row (pages can shift under concurrent writes) may
            // conclude that a held row is gone.
            if page.total == Some(listed.len()) {
                for gone in held_before.iter().filter(|held| !listed.contains(*held)) {
                    app.sessions.remove(gone);
                }
            }
            return Ok(());
        }
    }
}

fn first<T>(rows: Vec<T>, missing: &str) -> Result<T, ServiceError> {
    rows.into_iter().next().ok_or_else(|| ServiceError::Refused(missing.to_owned()))
}
