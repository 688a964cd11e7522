//! How far the current session's generations have been read from the server. A session of
//! thousands of outputs is read newest first in keyset pages (`created_at desc, id desc`), so
//! what is held is always one unbroken range of the server's order: from the newest row down to
//! the oldest row read (`end`). A row newer than `end` that the server no longer returns was
//! deleted; a row older than `end` is simply not read yet. The starred view has its own range,
//! read with `starred=is.true`.

use std::cmp::Ordering;

use crate::domain::time::{parse_timestamp, EpochMicros};
use crate::supabase::rest::Keyset;

/// Which listing of the session: all its outputs, or the starred ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ListingKind {
    All,
    Starred,
}

/// A row's place in the grid's order, as instants: newer `created_at` first (a row without one
/// last), then the greater id first — the server's `order=created_at.desc,id.desc`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    pub created: Option<EpochMicros>,
    pub id: String,
}

impl Place {
    pub fn new(created: Option<EpochMicros>, id: &str) -> Self {
        Self { created, id: id.to_owned() }
    }

    /// `Less` when `self` comes first in the grid (is newer).
    pub fn grid_cmp(&self, other: &Place) -> Ordering {
        // `None < Some` for options: a row without `created_at` is the oldest, so it sorts last.
        other.created.cmp(&self.created).then_with(|| other.id.cmp(&self.id))
    }
}

/// How far one listing has been read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Listing {
    /// Whether its first page has arrived.
    pub started: bool,
    /// The oldest row read: where the next page starts (`None` while nothing was read).
    pub end: Option<Keyset>,
    /// `end` as a place in the order.
    end_place: Option<Place>,
    /// Whether the server holds rows older than `end`.
    pub more: bool,
}

impl Listing {
    /// The listing after a page whose last row is `last` (`None`: the page was empty).
    pub fn after_page(&self, last: Option<Keyset>, more: bool) -> Listing {
        let end = last.or_else(|| self.end.clone());
        let end_place = end.as_ref().map(|k| Place::new(parse_timestamp(&k.created_at), &k.id));
        Listing { started: true, end, end_place, more }
    }

    /// Whether a row at `place` is inside the range read (so the grid may show it): every row
    /// is once the last page was read; otherwise the rows at `end` or newer.
    pub fn holds(&self, place: &Place) -> bool {
        if !self.more {
            return true;
        }
        self.end_place.as_ref().is_some_and(|end| place.grid_cmp(end) != Ordering::Greater)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(at: &str, id: &str) -> Keyset {
        Keyset { created_at: at.into(), id: id.into() }
    }

    fn place(at: &str, id: &str) -> Place {
        Place::new(parse_timestamp(at), id)
    }

    #[test]
    fn a_range_holds_the_rows_down_to_its_end_ties_broken_on_id() {
        let page = Listing::default().after_page(Some(key("2026-12-04T10:00:00.5+00:00", "m")), true);
        assert!(page.holds(&place("2026-12-04T10:00:01Z", "a")), "newer");
        assert!(page.holds(&place("2026-12-04T10:00:00.5Z", "m")), "the end itself");
        assert!(page.holds(&place("2026-12-04T10:00:00.5Z", "z")), "same instant, greater id: before the end");
        assert!(!page.holds(&place("2026-12-04T10:00:00.5Z", "b")), "same instant, smaller id: after the end");
        assert!(!page.holds(&place("2026-12-04T09:00:00Z", "z")), "older");
        assert!(!page.holds(&Place::new(None, "z")), "no created_at: last of all");
    }

    #[test]
    fn the_last_page_holds_everything_and_an_empty_page_keeps_the_end() {
        let first = Listing::default().after_page(Some(key("2026-12-04T10:00:00Z", "m")), true);
        let last = first.after_page(None, false);
        assert_eq!(last.end, first.end, "an empty page does not move the end");
        assert!(last.holds(&place("2020-01-01T00:00:00Z", "a")));
        assert!(!Listing::default().after_page(None, true).holds(&place("2026-12-04T10:00:00Z", "a")));
    }

    #[test]
    fn the_grid_order_is_newest_first_then_the_greater_id() {
        let mut places =
            vec![place("2026-12-04T10:00:00Z", "a"), Place::new(None, "q"), place("2026-12-04T10:00:00Z", "b")];
        places.push(place("2026-12-04T11:00:00Z", "a"));
        places.sort_by(Place::grid_cmp);
        let ids: Vec<&str> = places.iter().map(|p| p.id.as_str()).collect();
        assert_eq!(ids, ["a", "b", "a", "q"]);
    }
}
