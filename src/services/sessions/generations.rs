//! A session's generations, read newest first in keyset pages (`created_at desc, id desc`, then
//! `or=(created_at.lt.T,and(created_at.eq.T,id.lt.I))` after the last row read — outputs of one
//! insert share `created_at`): opening a session reads its first page and the server's exact
//! count only, so a session of ten thousand outputs never reads them all at once; the grid asks
//! for older pages as it nears the end of what is held. The starred view is its own listing
//! (`starred=is.true`). After a realtime (re)join, and while polling, `recovery.rs` reads again
//! the range held.

use leptos::prelude::*;
use postgrest::Builder;

use super::load_card_posts;
use super::page_read::{as_page_read, until_clear};
use crate::domain::Generation;
use crate::services::Services;
use crate::state::sessions::ListingKind;
use crate::supabase::rest::{self, Direction, Keyset};
use crate::supabase::ApiError;

/// Rows per page (below PostgREST's `max_rows` of 1,000, as [`rest::keyset_page`] needs).
pub const PAGE_SIZE: usize = 200;

/// Rows of a listing's first page: two screens of cards on a large display (6 columns by 4
/// rows). Opening a session waits for these rows to arrive and decode before its first card;
/// the grid reads on in [`PAGE_SIZE`] pages as it nears the end of what is held.
pub const FIRST_PAGE_SIZE: usize = 48;

/// The generations of session `id` a listing of `kind` reads.
pub(super) fn listing_query(token: &str, id: &str, kind: ListingKind) -> Builder {
    let query = rest::table("generations", token).select("*").eq("session_id", id);
    match kind {
        ListingKind::All => query,
        ListingKind::Starred => query.is("starred", "true"),
    }
}

/// Reads the first page of listing `kind` of session `id` with the server's count, as the page
/// read under way (see [`SessionsState::paging`](crate::state::sessions::SessionsState)).
pub async fn first_page(app: Services, id: &str, kind: ListingKind) -> Result<(), ApiError> {
    as_page_read(app, id, read_first_page(app, id, kind)).await
}

async fn read_first_page(app: Services, id: &str, kind: ListingKind) -> Result<(), ApiError> {
    let token = app.token().await?;
    let page = rest::keyset_page_counted::<Generation>(
        listing_query(&token, id, kind),
        Direction::NewestFirst,
        None,
        FIRST_PAGE_SIZE,
    )
    .await?;
    if app.sessions.current_id_untracked().as_deref() != Some(id) {
        return Ok(());
    }
    let ids = ids_of(&page.rows);
    app.sessions.apply_page(kind, page.rows, page.more, page.total);
    posts_of(app, &token, &ids).await;
    Ok(())
}

/// Reads the next older page of listing `kind` of the current session, if it has one and no
/// page is being read; `true` when a page was read.
pub async fn load_older(app: Services, kind: ListingKind) -> Result<bool, ApiError> {
    let Some(id) = app.sessions.current_id_untracked() else { return Ok(false) };
    if app.sessions.paging.get_untracked() {
        return Ok(false);
    }
    let listing = app.sessions.listing_of(kind).get_untracked();
    if !listing.started {
        first_page(app, &id, kind).await?;
        return Ok(true);
    }
    if !listing.more {
        return Ok(false);
    }
    as_page_read(app, &id, older_page(app, &id, kind, listing.end.as_ref())).await.map(|()| true)
}

async fn older_page(app: Services, id: &str, kind: ListingKind, after: Option<&Keyset>) -> Result<(), ApiError> {
    let token = app.token().await?;
    let page =
        rest::keyset_page::<Generation>(listing_query(&token, id, kind), Direction::NewestFirst, after, PAGE_SIZE)
            .await?;
    let still = app.sessions.current_id_untracked().as_deref() == Some(id)
        && app.sessions.listing_of(kind).with_untracked(|l| l.end.as_ref() == after);
    if !still {
        return Ok(());
    }
    let ids = ids_of(&page.rows);
    app.sessions.apply_page(kind, page.rows, page.more, None);
    posts_of(app, &token, &ids).await;
    Ok(())
}

/// Reads older pages of listing `kind` until it shows `count` outputs or has no more (End, the
/// lightbox stepping past the last card held).
pub async fn load_through(app: Services, kind: ListingKind, count: usize) -> Result<(), ApiError> {
    while app.sessions.shown_ids_untracked(kind).len() < count {
        let listing = app.sessions.listing_of(kind).get_untracked();
        if listing.started && !listing.more {
            return Ok(());
        }
        if !load_older(app, kind).await? {
            // Another read of a page is under way: wait for it to land.
            until_clear(app.sessions.paging).await;
        }
    }
    Ok(())
}

pub(super) fn ids_of(rows: &[Generation]) -> Vec<String> {
    rows.iter().map(|g| g.id.clone()).collect()
}

/// The page's posts ("Posted to …" on its cards): one read per page of cards.
pub(super) async fn posts_of(app: Services, token: &str, ids: &[String]) {
    if let Err(e) = load_card_posts(app, token, ids).await {
        leptos::logging::warn!("Could not read the posts of these outputs: {}", e.user_message());
    }
}
