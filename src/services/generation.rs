//! The one path that creates generations, and what can be done to one afterwards.
//!
//! `start_generation` ensures a session (a first prompt creates one titled from it — the
//! same code path as an existing session), inserts one `queued` row per output (they show at
//! once), invokes `generate-media` with their ids and applies its answer. A client cannot
//! write a row's status, so when the function cannot be reached or fails, the cards say so at
//! once with Retry (a client-side state over the row, replaced by whatever the row becomes
//! next); the server's stale-work sweep fails the row itself at its deadline.

use leptos::prelude::*;
use serde::Deserialize;
use serde_json::json;

use crate::domain::generation::{title_from_prompt, GenerationRequest};
use crate::domain::Generation;
use crate::services::{sessions, ServiceError, Services};
use crate::state::sessions::CurrentSession;
use crate::supabase::{functions, rest, storage, ApiError};

/// The Edge Function that runs generations.
const GENERATE_MEDIA: &str = "generate-media";

#[derive(Deserialize)]
struct MediaResponse {
    #[serde(default)]
    generations: Vec<Generation>,
}

/// Starts a generation request; returns the id of the session it went into. `on_session` is
/// told that id as soon as it is known (a new session: before the outputs are inserted), so
/// the page can put it in the URL while the outputs run.
pub async fn start_generation(
    app: Services,
    request: GenerationRequest,
    on_session: impl FnOnce(&str),
) -> Result<String, ServiceError> {
    request.validate()?;
    let current = app.sessions.current.get_untracked();
    let session_id = match current {
        CurrentSession::Ready(id) | CurrentSession::Loading(id) => id,
        CurrentSession::None | CurrentSession::NotFound(_) => {
            let session = sessions::create(app, title_from_prompt(&request.prompt)).await?;
            app.sessions.show(CurrentSession::Ready(session.id.clone()));
            session.id
        }
    };
    on_session(&session_id);
    let rows = request.rows(&session_id, |_| random_seed())?;
    let token = app.token().await?;
    let body = serde_json::to_string(&rows).map_err(|e| ApiError::Decode(e.to_string()))?;
    let inserted: Vec<Generation> = rest::rows(rest::table("generations", &token).insert(body).select("*")).await?;
    let ids: Vec<String> = inserted.iter().map(|g| g.id.clone()).collect();
    app.sessions.apply_all(inserted);
    run(app, ids).await;
    Ok(session_id)
}

/// Runs a failed (or never started) generation again.
pub async fn retry_generation(app: Services, id: String) -> Result<(), ServiceError> {
    run(app, vec![id]).await;
    Ok(())
}

/// Invokes the function for `ids` and applies its answer; a failure marks those cards
/// failed locally (with the reason) and is toasted once.
async fn run(app: Services, ids: Vec<String>) {
    let result = async {
        let token = app.token().await?;
        functions::invoke::<_, MediaResponse>(GENERATE_MEDIA, &json!({ "generation_ids": ids }), &token).await
    }
    .await;
    match result {
        Ok(response) => app.sessions.apply_all(response.generations),
        Err(e) => {
            let message = e.user_message();
            for id in &ids {
                app.sessions.fail_locally(id, message.clone());
            }
            app.ui.push_error(format!("Generation could not start: {message}"));
        }
    }
}

/// Stars or unstars a generation (persisted through `set_generation_starred`).
pub async fn set_starred(app: Services, id: String, starred: bool) -> Result<(), ServiceError> {
    let token = app.token().await?;
    let args = json!({ "p_generation_id": id, "p_starred": starred });
    let row: Generation = rest::object(rest::rpc("set_generation_starred", &args, &token)).await?;
    app.sessions.apply(row);
    Ok(())
}

/// The link that downloads an output under a readable file name (Storage's `?download=`:
/// the `download` attribute is ignored across origins).
pub fn download_link(generation: &Generation) -> Option<String> {
    let url = generation.media_url.as_deref()?;
    Some(storage::download_url(url, &generation.download_name()))
}

/// A random seed for an output that has none fixed (what the card shows afterwards).
fn random_seed() -> u64 {
    (js_sys::Math::random() * (crate::domain::generation::SEED_MAX as f64 + 1.0)) as u64
}
