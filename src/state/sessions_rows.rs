//! The current session's generations: every row — from a listing's page, a function response
//! or a realtime event — goes through one merge (`domain::merge`), so the order of arrival never
//! regresses a card. Each generation has its own signal: one status change patches one card; a
//! batch of rows (a page of hundreds) writes the order once.

use std::collections::{HashMap, HashSet};

use leptos::prelude::*;

use super::{CurrentSession, SessionsState};
use crate::domain::generation::LocalFailure;
use crate::domain::merge::{Applied, BatchApplied, VersionedMap};
use crate::domain::Generation;

impl SessionsState {
    /// Switches to another session (or none): forgets the held rows and failures.
    pub fn show(&self, current: CurrentSession) {
        let same = self.current.with_untracked(|c| c.id() == current.id());
        if !same {
            self.rows.update_value(VersionedMap::clear);
            self.cells.update_value(HashMap::clear);
            self.unfinished.update_value(HashSet::clear);
            self.in_flight.set(false);
            self.order.set(Vec::new());
            self.total.set(None);
            self.forget_listings();
            self.local_failures.set(HashMap::new());
        }
        self.current.set(current);
    }

    /// Applies one row by the merge rule; rows of another session are ignored.
    pub fn apply(&self, row: Generation) -> Applied {
        let done = self.apply_batch([row]);
        match (done.changed.is_empty(), done.reordered) {
            (true, _) => Applied::Ignored,
            (false, true) => Applied::Inserted,
            (false, false) => Applied::Updated,
        }
    }

    /// Applies many rows (a REST page, a function response): the same as applying them one
    /// by one, in one update — the order is written once, each changed card's signal once.
    pub fn apply_all(&self, rows: impl IntoIterator<Item = Generation>) {
        self.apply_batch(rows);
    }

    /// Applies a batch of rows by the merge rule (rows of another session are ignored) and
    /// reports what changed. One write of `order` when it changed, one of `local_failures`
    /// and of `thumbnails` when theirs did, and one `set` per changed card.
    ///
    /// These rows come from this client's own writes and from realtime events: a row new to
    /// the range read counts in the outputs shown (see [`SessionsState::outputs_count`]), and a
    /// star turned on or off in the starred count.
    pub fn apply_batch(&self, rows: impl IntoIterator<Item = Generation>) -> BatchApplied {
        self.merge(rows, true)
    }

    /// Applies rows by the merge rule; `live` rows (not a listing's) move the counts.
    pub(super) fn merge(&self, rows: impl IntoIterator<Item = Generation>, live: bool) -> BatchApplied {
        let Some(current) = self.current_id_untracked() else { return BatchApplied::default() };
        let rows: Vec<Generation> = rows.into_iter().filter(|row| row.session_id == current).collect();
        // Whether each row was held, and starred, before: what the counts follow.
        let before: HashMap<String, Option<bool>> = if live {
            self.rows.with_value(|map| rows.iter().map(|r| (r.id.clone(), map.get(&r.id).map(|g| g.starred))).collect())
        } else {
            HashMap::new()
        };
        let done = self.rows.try_update_value(|map| map.apply_batch(rows)).unwrap_or_default();
        if done.changed.is_empty() {
            return done;
        }
        if live {
            self.count_live(&done.changed, &before);
        }
        // A local failure holds only for the version it saw.
        let stale: Vec<&String> = self.local_failures.with_untracked(|failures| {
            self.rows.with_value(|map| {
                done.changed
                    .iter()
                    .filter(|id| failures.get(*id).is_some_and(|f| f.seen_version != map.version_of(id)))
                    .collect()
            })
        });
        if !stale.is_empty() {
            self.local_failures.update(|failures| {
                for id in stale {
                    failures.remove(id);
                }
            });
        }
        let owner = self.owner.get_value();
        let mut flipped = false;
        let mut finished_with_thumbnail = false;
        for id in &done.changed {
            let Some(latest) = self.get_untracked(id) else { continue };
            finished_with_thumbnail |= latest.status.is_terminal() && latest.thumbnail_url.is_some();
            flipped |= self.unfinished.try_update_value(|unfinished| {
                if latest.is_terminal() {
                    unfinished.remove(id)
                } else {
                    unfinished.insert(id.clone())
                }
            }) == Some(true);
            match self.row(id) {
                Some(cell) => cell.set(latest),
                None => {
                    let cell = match &owner {
                        Some(owner) => owner.with(|| RwSignal::new(latest)),
                        None => RwSignal::new(latest),
                    };
                    self.cells.update_value(|cells| {
                        cells.insert(id.clone(), cell);
                    });
                }
            }
        }
        if flipped {
            self.sync_in_flight();
        }
        if finished_with_thumbnail {
            self.show_newest_thumbnail(&current);
        }
        if done.reordered {
            self.order.set(self.rows.with_value(VersionedMap::ids_newest_first));
        }
        done
    }

    /// The session's thumbnail is its newest finished output's (the rail's rule: latest by
    /// `created_at`), whatever order the rows arrived in; written only when it changes.
    fn show_newest_thumbnail(&self, session: &str) {
        let newest = self.rows.with_value(|map| {
            map.newest_first()
                .find(|g| g.status.is_terminal() && g.thumbnail_url.is_some())
                .and_then(|g| g.thumbnail_url.clone())
        });
        let Some(url) = newest else { return };
        if self.thumbnails.with_untracked(|t| t.get(session) != Some(&url)) {
            self.thumbnails.update(|t| {
                t.insert(session.to_owned(), url);
            });
        }
    }

    /// Writes `in_flight` from the set of unfinished ids, only when it flips.
    fn sync_in_flight(&self) {
        let any = self.unfinished.with_value(|unfinished| !unfinished.is_empty());
        if self.in_flight.get_untracked() != any {
            self.in_flight.set(any);
        }
    }

    /// Removes a generation (deleted here or a DELETE event); ids not held are ignored. It no
    /// longer counts in the outputs shown.
    pub fn remove(&self, id: &str) -> bool {
        self.count_removed(id);
        self.drop_row(id)
    }

    /// Removes a held row without touching the counts (a listing that no longer finds it
    /// counts again itself).
    pub(super) fn drop_row(&self, id: &str) -> bool {
        let held = self.rows.try_update_value(|rows| rows.remove(id)).unwrap_or(false);
        if held {
            self.cells.update_value(|cells| {
                cells.remove(id);
            });
            self.order.update(|order| order.retain(|held| held != id));
            if self.local_failures.with_untracked(|f| f.contains_key(id)) {
                self.local_failures.update(|f| {
                    f.remove(id);
                });
            }
            if self.unfinished.try_update_value(|unfinished| unfinished.remove(id)) == Some(true) {
                self.sync_in_flight();
            }
        }
        held
    }

    /// The signal of one generation, for its card.
    pub fn row(&self, id: &str) -> Option<RwSignal<Generation>> {
        self.cells.with_value(|cells| cells.get(id).copied())
    }

    /// A generation's current row, without tracking.
    pub fn get_untracked(&self, id: &str) -> Option<Generation> {
        self.rows.with_value(|rows| rows.get(id).cloned())
    }

    /// Whether some held generation is unfinished (queued or processing), without tracking.
    pub fn has_unfinished_untracked(&self) -> bool {
        self.in_flight.get_untracked()
    }

    /// Every held generation, newest first, without tracking.
    pub fn all_untracked(&self) -> Vec<Generation> {
        self.rows.with_value(|rows| rows.newest_first().cloned().collect())
    }

    /// Records a failure the client saw for a row that is still unfinished.
    pub fn fail_locally(&self, id: &str, message: String) {
        let Some(row) = self.get_untracked(id) else { return };
        if row.is_terminal() {
            return;
        }
        self.local_failures.update(|f| {
            f.insert(id.to_owned(), LocalFailure { message, seen_version: row.version() });
        });
    }
}
