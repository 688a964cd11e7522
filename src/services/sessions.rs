//! Loading the rail's sessions and creating new ones.

use leptos::prelude::*;

use crate::domain::models::validate_session_title;
use crate::domain::Session;
use crate::services::{auth::fresh_token, ServiceError};
use crate::state::{AuthState, SessionsState, UiState};
use crate::supabase::{rest, ApiError};

const COLUMNS: &str = "id,user_id,title,created_at,updated_at";

/// Loads the user's sessions, newest first, into the state. A failure is also toasted.
pub async fn load(auth: AuthState, sessions: SessionsState, ui: UiState) -> Result<(), ServiceError> {
    match fetch(auth, ui).await {
        Ok(rows) => {
            sessions.replace(rows);
            Ok(())
        }
        Err(e) => {
            ui.push_error(format!("Could not load your sessions: {}", e.user_message()));
            Err(e.into())
        }
    }
}

async fn fetch(auth: AuthState, ui: UiState) -> Result<Vec<Session>, ApiError> {
    let token = fresh_token(auth, ui).await?;
    let user_id = auth.session.with_untracked(|s| s.as_ref().map(|s| s.user.id.clone()));
    let user_id = user_id.ok_or(ApiError::NotSignedIn)?;
    let query = rest::table("sessions", &token).select(COLUMNS).eq("user_id", user_id).order("created_at.desc");
    rest::rows(query).await
}

/// Validates the title, inserts the session (`Prefer: return=representation`), and puts it
/// at the top of the rail, selected.
pub async fn create(
    auth: AuthState,
    sessions: SessionsState,
    ui: UiState,
    raw_title: String,
) -> Result<Session, ServiceError> {
    let title = validate_session_title(&raw_title)?;
    let token = fresh_token(auth, ui).await?;
    let body = serde_json::json!({ "title": title }).to_string();
    let query = rest::table("sessions", &token).insert(body).select(COLUMNS);
    let created = rest::rows::<Session>(query)
        .await?
        .into_iter()
        .next()
        .ok_or_else(|| ApiError::Decode("the new session was not returned".to_owned()))?;
    sessions.prepend(created.clone());
    Ok(created)
}
