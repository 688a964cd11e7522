//! Recovery of a session's outputs after a Realtime (re)join and while polling: the range of
//! rows held is read again — not more — and the rows of that range the server no longer returns
//! are dropped.

use std::collections::HashSet;

use super::generations::{first_page, ids_of, listing_query, posts_of, PAGE_SIZE};
use super::page_read::until_clear;
use crate::domain::Generation;
use crate::services::Services;
use crate::state::sessions::ListingKind;
use crate::supabase::rest::{self, Direction, Keyset};
use crate::supabase::ApiError;
use leptos::prelude::*;

/// Reads again the range of session `id` that is held — from the newest row down to the oldest
/// row read, in keyset pages — and drops the held rows of that range the server no longer
/// returns (a DELETE missed while disconnected). Used after every realtime (re)join and by the
/// poll, so nothing missed stays missing, without reading the pages the grid never reached.
/// Stops if the creator switched sessions meanwhile. While the session's first page is still
/// on its way (the join landing as the session opens), it waits for that page and then reads
/// the range: that page may have been read before the channel listened.
pub async fn reload_generations(app: Services, id: &str) -> Result<(), ApiError> {
    if !app.sessions.listing.with_untracked(|l| l.started) {
        until_clear(app.sessions.paging).await;
        if app.sessions.current_id_untracked().as_deref() != Some(id) {
            return Ok(());
        }
    }
    let listing = app.sessions.listing.get_untracked();
    if !listing.started {
        return first_page(app, id, ListingKind::All).await;
    }
    // Rows held before this read began and absent from it were deleted meanwhile. Rows that
    // arrive during the read are never dropped. A keyset read skips no row that existed.
    let held_before = app.sessions.order.get_untracked();
    let bound = listing.end.clone().filter(|_| listing.more);
    let mut listed = HashSet::new();
    let mut after: Option<Keyset> = None;
    let mut total = None;
    loop {
        let token = app.token().await?;
        let mut query = listing_query(&token, id, ListingKind::All);
        if let Some(bound) = &bound {
            // Down to the oldest row held, that row included (its instant's rows with a smaller
            // id are beyond the range: outputs of one Generate share `created_at`).
            query = query.or(rest::through_filter(Direction::NewestFirst, bound));
        }
        let page = if after.is_none() {
            rest::keyset_page_counted::<Generation>(query, Direction::NewestFirst, None, PAGE_SIZE).await?
        } else {
            let page =
                rest::keyset_page::<Generation>(query, Direction::NewestFirst, after.as_ref(), PAGE_SIZE).await?;
            rest::CountedPage { rows: page.rows, more: page.more, total: None }
        };
        if app.sessions.current_id_untracked().as_deref() != Some(id) {
            return Ok(());
        }
        total = total.or(page.total);
        after = page.rows.last().map(|g| Keyset { created_at: g.created_at.clone(), id: g.id.clone() });
        let ids = ids_of(&page.rows);
        listed.extend(ids.iter().cloned());
        app.sessions.apply_listed(page.rows);
        posts_of(app, &token, &ids).await;
        if !page.more || after.is_none() {
            break;
        }
    }
    for gone in held_before.iter().filter(|held| !listed.contains(*held)) {
        if app.sessions.holds_untracked(ListingKind::All, gone) {
            app.sessions.drop_listed(gone);
        }
    }
    match (total, &bound) {
        (Some(total), None) => app.sessions.set_counted(ListingKind::All, total),
        // Counted down to the bound only: the whole session is counted apart.
        (Some(_), Some(_)) => recount(app, id).await?,
        (None, _) => {}
    }
    Ok(())
}

/// Counts the session's outputs again: one row read with the exact count of all.
async fn recount(app: Services, id: &str) -> Result<(), ApiError> {
    let token = app.token().await?;
    let query = rest::table("generations", &token).select("id").eq("session_id", id);
    let page = rest::keyset_page_counted::<serde_json::Value>(query, Direction::NewestFirst, None, 1).await?;
    if let (Some(total), true) = (page.total, app.sessions.current_id_untracked().as_deref() == Some(id)) {
        app.sessions.set_counted(ListingKind::All, total);
    }
    Ok(())
}
