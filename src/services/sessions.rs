//! The rail's sessions (a page at a time, create, rename, delete) and opening one: checking
//! it is the user's, then reading the first page of its generations (older pages as the grid
//! asks, see `generations`).

use leptos::prelude::*;
use serde::Deserialize;
use serde_json::json;

use crate::domain::models::validate_session_title;
use crate::domain::{GenerationStatus, Session};
use crate::services::{ServiceError, Services};
use crate::state::sessions::{CurrentSession, ListingKind};
use crate::supabase::{rest, PgCode};

mod card_posts;
mod delete;
mod generations;
mod page_read;
mod recovery;
pub use card_posts::load_card_posts;
pub use delete::{delete, delete_output, output_refusal};
pub use generations::{first_page, load_older, load_through, FIRST_PAGE_SIZE, PAGE_SIZE};
pub use recovery::reload_generations;

const COLUMNS: &str = "id,user_id,title,created_at,updated_at";
/// Sessions per page of the rail.
pub const RAIL_PAGE: usize = 30;

/// A rail row: the session's columns and its latest completed output's thumbnail, if any.
/// (Spelled out rather than `#[serde(flatten)]`, which costs the bundle a buffering decoder.)
#[derive(Deserialize)]
struct RailRow {
    id: String,
    user_id: String,
    title: String,
    created_at: String,
    updated_at: String,
    #[serde(default)]
    generations: Vec<Thumbnail>,
}

impl RailRow {
    fn session(self) -> Session {
        let RailRow { id, user_id, title, created_at, updated_at, .. } = self;
        Session { id, user_id, title, created_at, updated_at }
    }
}

#[derive(Deserialize)]
struct Thumbnail {
    thumbnail_url: Option<String>,
}

/// Loads the user's newest sessions (the rail's first page) with their thumbnails.
pub async fn load(app: Services) -> Result<(), ServiceError> {
    let page = rail_page(app, None).await?;
    app.sessions.replace(page.rows, page.more);
    Ok(())
}

/// Loads the next page of older sessions ("Load more sessions").
pub async fn load_more(app: Services) -> Result<(), ServiceError> {
    let Some(after) = app.sessions.cursor() else { return load(app).await };
    let page = rail_page(app, Some(&after)).await?;
    app.sessions.append_page(page.rows, page.more);
    Ok(())
}

/// One page of the rail, newest first, after `after`; each session's thumbnail is its latest
/// completed output's (embedded, one row at most per session) and goes into the state.
async fn rail_page(app: Services, after: Option<&rest::Keyset>) -> Result<rest::KeysetPage<Session>, ServiceError> {
    let token = app.token().await?;
    let user_id = app.user_id()?;
    let query = rest::table("sessions", &token)
        .select(format!("{COLUMNS},generations(thumbnail_url)"))
        .eq("user_id", &user_id)
        .eq("generations.status", GenerationStatus::Completed.as_str())
        .not("is", "generations.thumbnail_url", "null")
        .order_with_options("created_at", Some("generations"), false, false)
        .foreign_table_limit(1, "generations");
    let page = rest::keyset_page::<RailRow>(query, rest::Direction::NewestFirst, after, RAIL_PAGE).await?;
    app.sessions.thumbnails.update(|thumbs| {
        for row in &page.rows {
            if let Some(url) = row.generations.first().and_then(|g| g.thumbnail_url.clone()) {
                thumbs.entry(row.id.clone()).or_insert(url);
            }
        }
    });
    Ok(rest::KeysetPage { rows: page.rows.into_iter().map(RailRow::session).collect(), more: page.more })
}

/// Validates the title, inserts the session (`Prefer: return=representation`) and puts it
/// at the top of the rail.
pub async fn create(app: Services, raw_title: String) -> Result<Session, ServiceError> {
    let title = validate_session_title(&raw_title)?;
    let token = app.token().await?;
    let query = rest::table("sessions", &token).insert(json!({ "title": title }).to_string()).select(COLUMNS);
    let created = first(rest::rows::<Session>(query).await?, "the new session was not returned")?;
    app.sessions.insert(created.clone());
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

/// Makes `id` the current session: checks it is one of the user's (otherwise "Session not
/// found", never another user's data) and reads the first page of its generations. A session the rail does not
/// hold yet (a cold load of its URL) is looked up while its generations load, in the same wave
/// of requests: row-level security returns no generation of a session that is not the user's,
/// so the listing shows nothing it should not, and a missing session still ends "not found".
pub async fn open(app: Services, id: String) -> Result<(), ServiceError> {
    let held = app.sessions.list.with_untracked(|list| list.iter().any(|s| s.id == id));
    app.sessions.show(CurrentSession::Loading(id.clone()));
    let token = app.token().await?;
    if held {
        first_page(app, &id, ListingKind::All).await?;
    } else {
        let (found, listed) = futures::join!(find_session(&token, &id), first_page(app, &id, ListingKind::All));
        match found? {
            Some(session) => app.sessions.insert(session),
            None => {
                app.sessions.show(CurrentSession::NotFound(id));
                return Ok(());
            }
        }
        listed?;
    }
    if app.sessions.current_id_untracked().as_deref() == Some(id.as_str()) {
        app.sessions.show(CurrentSession::Ready(id));
    }
    Ok(())
}

/// The user's session `id`, or `None` when there is no such session of theirs.
async fn find_session(token: &str, id: &str) -> Result<Option<Session>, ServiceError> {
    let query = rest::table("sessions", token).select(COLUMNS).eq("id", id);
    match rest::rows::<Session>(query).await {
        Ok(rows) => Ok(rows.into_iter().next()),
        // A malformed id is simply not one of the user's sessions.
        Err(e) if e.is_pg(PgCode::InvalidText) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

fn first<T>(rows: Vec<T>, missing: &str) -> Result<T, ServiceError> {
    rows.into_iter().next().ok_or_else(|| ServiceError::Refused(missing.to_owned()))
}
