//! The listings of the current session: each page moves the keyset cursor to its last row, the
//! grid shows only the unbroken range read, a recovery may drop only rows inside that range, and
//! the counts follow the server's count plus what this client saw happen.

use super::*;
use crate::domain::GenerationStatus;

/// A completed row of session "s", created at second `created` (ties on the id).
fn row(id: &str, created: u32, starred: bool) -> Generation {
    serde_json::from_value(serde_json::json!({
        "id": id, "session_id": "s", "user_id": "u", "kind": "image", "prompt": id,
        "status": GenerationStatus::Completed.as_str(), "starred": starred,
        "created_at": format!("2026-12-04T10:00:{created:02}.5+00:00"),
        "updated_at": "2026-12-04T11:00:00+00:00",
    }))
    .unwrap()
}

fn state_on_s() -> SessionsState {
    let state = SessionsState::new();
    state.show(CurrentSession::Ready("s".into()));
    state
}

#[test]
fn each_page_moves_the_cursor_to_its_last_row_and_the_grid_shows_the_range_read() {
    let state = state_on_s();
    // First page: e, d(5)… newest first, two rows sharing second 3 (one insert).
    state.apply_page(ListingKind::All, vec![row("e", 9, false), row("z", 3, false)], true, Some(6));
    let end = state.listing.get_untracked().end.expect("a cursor");
    assert_eq!((end.id.as_str(), end.created_at.as_str()), ("z", "2026-12-04T10:00:03.5+00:00"));
    // A live update of an older row not read yet (same instant, smaller id: after the cursor).
    state.apply(row("b", 3, false));
    state.apply(row("a", 1, false));
    assert_eq!(state.order.get_untracked(), ["e", "z", "b", "a"]);
    assert_eq!(state.shown_ids_untracked(ListingKind::All), ["e", "z"], "no gap: older rows wait for their page");
    assert!(state.holds_untracked(ListingKind::All, "z"));
    assert!(!state.holds_untracked(ListingKind::All, "b"), "a recovery may not drop it");
    // The next page brings the rest: the last page holds everything.
    state.apply_page(ListingKind::All, vec![row("b", 3, false), row("a", 1, false)], false, None);
    assert_eq!(state.listing.get_untracked().end.map(|k| k.id), Some("a".to_owned()));
    assert_eq!(state.shown_ids_untracked(ListingKind::All), ["e", "z", "b", "a"]);
    assert!(state.holds_untracked(ListingKind::All, "a"));
}

#[test]
fn the_counts_are_the_servers_plus_what_this_client_saw() {
    let state = state_on_s();
    state.apply_page(ListingKind::All, vec![row("e", 9, false), row("d", 8, true)], true, Some(2000));
    assert_eq!(state.outputs_count(), Some(2000), "the server's count, not the rows held");
    // A Generate inserts two newer rows; another writer's update of an older row not read yet
    // is not a new output.
    state.apply_batch([row("g", 20, false), row("f", 19, false), row("a", 1, false)]);
    assert_eq!(state.outputs_count(), Some(2002));
    assert!(state.remove("g"));
    assert_eq!(state.outputs_count(), Some(2001));
    // A listing's rows never count: its count includes them.
    state.apply_page(ListingKind::All, vec![row("c", 7, false)], true, None);
    assert_eq!(state.outputs_count(), Some(2001));
    // The starred listing has its own count; stars turned on and off move it.
    assert_eq!(state.starred_count(), None);
    state.apply_page(ListingKind::Starred, vec![row("d", 8, true)], true, Some(7));
    assert_eq!(state.shown_ids_untracked(ListingKind::Starred), ["d"]);
    state.apply(row_updated(row("e", 9, true)));
    assert_eq!(state.starred_count(), Some(8));
    assert_eq!(state.shown_ids_untracked(ListingKind::Starred), ["e", "d"]);
    state.apply(row_updated(row_updated(row("d", 8, false))));
    assert_eq!(state.starred_count(), Some(7));
    assert_eq!(state.shown_ids_untracked(ListingKind::Starred), ["e"]);
    // A recount starts again from the server's number.
    state.set_counted(ListingKind::All, 1990);
    assert_eq!(state.outputs_count(), Some(1990));
    // Another session forgets the listings.
    state.show(CurrentSession::Ready("t".into()));
    assert_eq!((state.outputs_count(), state.starred_count()), (None, None));
    assert!(!state.listing.get_untracked().started);
}

#[test]
fn the_starred_view_is_empty_until_its_listing_was_read() {
    let state = state_on_s();
    state.apply_page(ListingKind::All, vec![row("e", 9, true)], false, Some(1));
    assert!(state.shown_ids_untracked(ListingKind::Starred).is_empty());
    state.apply_page(ListingKind::Starred, vec![row("e", 9, true)], false, Some(1));
    assert_eq!(state.shown_ids_untracked(ListingKind::Starred), ["e"]);
}

/// The same row a minute later (a newer version, so the merge takes it).
fn row_updated(mut g: Generation) -> Generation {
    let minute: u32 = g.updated_at[14..16].parse().unwrap();
    g.updated_at = format!("2026-12-04T11:{:02}:00+00:00", minute + 1);
    g
}
