//! Keeping the post dialog's draft between opens (see `state::kept_draft`): restore on open,
//! save on every change, forget on a successful publish or "Discard draft", and read what a
//! send whose answer was lost left in the database. Also finds the generation the URL's
//! `?post=<id>` names.

use leptos::prelude::*;

use crate::domain::{Generation, Post};
use crate::services::{ServiceError, Services};
use crate::state::kept_draft::{self, KeptDraft};
use crate::state::post_draft::{is_generation_id, PostTarget};
use crate::state::publish::PostDraft;
use crate::supabase::rest;

/// What the dialog shows for `?post=<id>` when the answer needs no read: the grid holds the
/// generation, or `id` is not an id at all. `None`: read it with [`read_target`].
pub fn held_target(app: Services, id: &str) -> Option<PostTarget> {
    if !is_generation_id(id) {
        return Some(PostTarget::NotFound);
    }
    let row = app.sessions.get_untracked(id)?;
    Some(match app.user_id() {
        Ok(user_id) => PostTarget::of(Some(row), &user_id),
        Err(e) => PostTarget::Failed(e.user_message()),
    })
}

/// What the dialog shows for `?post=<id>` when the grid does not hold it (an output of
/// another session, or one beyond the loaded pages): the row read by id. Row-level security
/// returns only the creator's own rows, so another creator's id reads as none.
pub async fn read_target(app: Services, id: String) -> PostTarget {
    let read = async {
        let user_id = app.user_id()?;
        let token = app.token().await?;
        let query = rest::table("generations", &token).select("*").eq("id", &id);
        Ok::<_, crate::supabase::ApiError>((rest::rows::<Generation>(query).await?, user_id))
    };
    match read.await {
        Ok((rows, user_id)) => PostTarget::of(rows.into_iter().next(), &user_id),
        Err(e) if e.status() == Some(401) => PostTarget::Failed(e.user_message()),
        // The database refused the id itself (it is not one it knows): nothing to show.
        Err(e) if e.status().is_some_and(|s| (400..500).contains(&s) && s != 429) => PostTarget::NotFound,
        Err(_) => PostTarget::Failed(
            "Atelier could not load this output just now. Check your connection, then reload the page.".to_owned(),
        ),
    }
}

/// Fills a fresh `draft` with the signed-in creator's kept content for its generation, if any.
pub fn restore(app: Services, draft: &mut PostDraft) {
    let Ok(user_id) = app.user_id() else { return };
    if let Some(kept) = kept_draft::load(&user_id, &draft.generation_id) {
        draft.restore(kept);
    }
}

/// Saves the open draft's content (called whenever it changes).
pub fn keep_open_draft(app: Services) {
    let Ok(user_id) = app.user_id() else { return };
    app.publish.draft.with_untracked(|d| {
        if let Some(d) = d {
            kept_draft::save(&user_id, &d.generation_id, &d.kept());
        }
    });
}

/// Records a send's key state for `generation_id`: in storage (the dialog may be closed by
/// now) and in the open draft when it is still that generation's.
pub fn record_send(app: Services, generation_id: &str, kept: &KeptDraft) {
    if let Ok(user_id) = app.user_id() {
        let mut stored = kept_draft::load(&user_id, generation_id).unwrap_or_else(|| kept.clone());
        stored.request_key = kept.request_key.clone();
        stored.sent = kept.sent.clone();
        kept_draft::save(&user_id, generation_id, &stored);
    }
    app.publish.edit(|d| {
        if d.generation_id == generation_id {
            d.take_send_state(kept);
        }
    });
}

/// Forgets the kept draft of `generation_id` (published, or discarded).
pub fn forget(app: Services, generation_id: &str) {
    if let Ok(user_id) = app.user_id() {
        kept_draft::forget(&user_id, generation_id);
    }
}

/// The posts an earlier send with `request_key` wrote, if its answer never arrived.
pub async fn posts_of_send(app: Services, request_key: &str) -> Result<Vec<Post>, ServiceError> {
    let token = app.token().await?;
    let query = rest::table("posts", &token).select("*").eq("request_key", request_key);
    Ok(rest::rows(query).await?)
}
