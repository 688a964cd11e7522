//! The posts of the outputs a page of the grid shows: read with that page (one request per
//! page of cards, `generation_id=in.(…)`), kept in the publish state beside the posts page's,
//! so a card says where its output went and whether a post still holds it.

use leptos::prelude::*;

use crate::domain::Post;
use crate::services::{publish, Services};
use crate::supabase::{rest, ApiError};

/// Reads every post of these outputs into the publish state (and the accounts, once, for the
/// cards' "Posted to …" names). A page of cards is a few hundred outputs at most, so its posts
/// stay far below PostgREST's `max_rows`.
pub async fn load_card_posts(app: Services, token: &str, generation_ids: &[String]) -> Result<(), ApiError> {
    if generation_ids.is_empty() {
        return Ok(());
    }
    let query = rest::table("posts", token).select("*").in_("generation_id", generation_ids);
    let posts: Vec<Post> = rest::rows(query).await?;
    if !posts.is_empty() && !app.publish.accounts_loaded.get_untracked() {
        publish::reload_accounts(app);
    }
    app.publish.apply_posts(posts);
    Ok(())
}
