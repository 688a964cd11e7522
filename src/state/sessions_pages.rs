//! The current session's listings (all outputs, starred ones), read a keyset page at a time:
//! which rows the grid shows (the unbroken range read, see [`Listing`]), and how many outputs
//! the server holds — its exact count, kept right by this client's own writes and realtime
//! events until a listing counts again.

use std::collections::HashMap;

use leptos::prelude::*;

use super::listing::{Listing, ListingKind, Place};
use super::SessionsState;
use crate::domain::Generation;
use crate::supabase::rest::Keyset;

/// A row's place in the grid's order.
pub(super) fn place_of(g: &Generation) -> Place {
    Place::new(g.created(), &g.id)
}

impl SessionsState {
    /// The listing of `kind`'s signal.
    pub fn listing_of(&self, kind: ListingKind) -> RwSignal<Listing> {
        match kind {
            ListingKind::All => self.listing,
            ListingKind::Starred => self.starred_listing,
        }
    }

    /// Applies one page of a listing (newest first), moves its end and, for a first page, takes
    /// the server's count. Its rows do not move the counts: the count includes them.
    pub fn apply_page(&self, kind: ListingKind, rows: Vec<Generation>, more: bool, total: Option<usize>) {
        let last = rows.last().map(|g| Keyset { created_at: g.created_at.clone(), id: g.id.clone() });
        self.merge(rows, false);
        self.listing_of(kind).update(|listing| *listing = listing.after_page(last, more));
        if let Some(total) = total {
            self.set_counted(kind, total);
        }
    }

    /// Applies rows a listing read again (a recovery): by the merge rule, counts untouched.
    pub fn apply_listed(&self, rows: Vec<Generation>) {
        self.merge(rows, false);
    }

    /// The server's count of `kind`; what this client saw happen since starts again from it.
    pub fn set_counted(&self, kind: ListingKind, total: usize) {
        match kind {
            ListingKind::All => {
                self.total.set(Some(total));
                self.added.set(0);
            }
            ListingKind::Starred => {
                self.starred_total.set(Some(total));
                self.starred_added.set(0);
            }
        }
    }

    /// How many outputs the session has (tracked): the server's count, plus the rows inserted
    /// and minus those deleted since; `None` before the first page.
    pub fn outputs_count(&self) -> Option<usize> {
        self.total.get().map(|total| (total as i64 + self.added.get()).max(0) as usize)
    }

    /// How many of them are starred (tracked); `None` until the starred listing counted.
    pub fn starred_count(&self) -> Option<usize> {
        self.starred_total.get().map(|total| (total as i64 + self.starred_added.get()).max(0) as usize)
    }

    /// How many outputs listing `kind` has on the server (tracked): [`Self::outputs_count`] or
    /// [`Self::starred_count`].
    pub fn count_of(&self, kind: ListingKind) -> Option<usize> {
        match kind {
            ListingKind::All => self.outputs_count(),
            ListingKind::Starred => self.starred_count(),
        }
    }

    /// The ids the grid shows for `kind` (tracked), newest first: the held rows inside the range
    /// that listing read — rows older than its end are not shown until their page is read, so
    /// the grid never has a gap. Starred: only the rows starred now.
    pub fn shown_ids(&self, kind: ListingKind) -> Vec<String> {
        let mut order = self.order.get();
        let listing = self.listing_of(kind).get();
        if kind == ListingKind::Starred && !listing.started {
            return Vec::new();
        }
        let inside = self
            .rows
            .with_value(|map| order.partition_point(|id| map.get(id).is_some_and(|g| listing.holds(&place_of(g)))));
        order.truncate(inside);
        if kind == ListingKind::Starred {
            order.retain(|id| self.row(id).is_some_and(|row| row.with(|g| g.starred)));
        }
        order
    }

    /// [`SessionsState::shown_ids`] without tracking.
    pub fn shown_ids_untracked(&self, kind: ListingKind) -> Vec<String> {
        untrack(|| self.shown_ids(kind))
    }

    /// Drops a held row a listing read again no longer finds; the count comes from that listing.
    pub fn drop_listed(&self, id: &str) -> bool {
        self.drop_row(id)
    }

    /// Whether held row `id` is inside the range `kind` read (untracked).
    pub fn holds_untracked(&self, kind: ListingKind, id: &str) -> bool {
        self.listing_of(kind).with_untracked(|listing| {
            self.rows.with_value(|map| map.get(id).is_some_and(|g| listing.holds(&place_of(g))))
        })
    }

    /// Moves the counts for rows this client saw arrive live: a row new to a range read counts
    /// there; a star turned on or off counts in the starred count. `before` says whether each
    /// row was held, and starred, before.
    pub(super) fn count_live(&self, changed: &[String], before: &HashMap<String, Option<bool>>) {
        let (mut added, mut starred) = (0i64, 0i64);
        for id in changed {
            let Some(now) = self.rows.with_value(|map| map.get(id).map(|g| (g.starred, place_of(g)))) else {
                continue;
            };
            let (is_starred, place) = now;
            let in_starred = self.starred_listing.with_untracked(|l| l.holds(&place));
            match before.get(id).copied().flatten() {
                None => {
                    added += i64::from(self.listing.with_untracked(|l| l.holds(&place)));
                    starred += i64::from(is_starred && in_starred);
                }
                Some(was) if was != is_starred && in_starred => starred += if is_starred { 1 } else { -1 },
                Some(_) => {}
            }
        }
        if added != 0 {
            self.added.update(|n| *n += added);
        }
        if starred != 0 {
            self.starred_added.update(|n| *n += starred);
        }
    }

    /// A held row about to be deleted no longer counts.
    pub(super) fn count_removed(&self, id: &str) {
        let Some((is_starred, place)) = self.rows.with_value(|map| map.get(id).map(|g| (g.starred, place_of(g))))
        else {
            return;
        };
        if self.listing.with_untracked(|l| l.holds(&place)) {
            self.added.update(|n| *n -= 1);
        }
        if is_starred && self.starred_listing.with_untracked(|l| l.holds(&place)) {
            self.starred_added.update(|n| *n -= 1);
        }
    }

    /// Forgets both listings and their counts (another session is shown).
    pub(super) fn forget_listings(&self) {
        self.listing.set(Listing::default());
        self.starred_listing.set(Listing::default());
        self.starred_total.set(None);
        self.added.set(0);
        self.starred_added.set(0);
        self.paging.set(false);
    }
}
