//! The signed-in user's generation sessions (newest first, loaded a page at a time), the
//! current session (the one the URL names), and that session's generations keyed by id. Every row — from a REST load, a
//! function response or a realtime event — goes through [`SessionsState::apply_batch`], which
//! follows the one merge rule of `domain::merge`, so the order of arrival never regresses a
//! card. Each generation has its own signal: one status change patches one card; a batch of
//! rows (a page of a thousand) writes the order once.

use std::collections::{HashMap, HashSet};

use leptos::prelude::*;

use crate::domain::generation::LocalFailure;
use crate::domain::merge::{Applied, BatchApplied, VersionedMap};
use crate::domain::time::parse_timestamp;
use crate::domain::{Generation, Session};
use crate::supabase::rest::Keyset;

/// Whether the current session could be shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CurrentSession {
    /// No session is named (the empty workspace).
    None,
    /// The session's rows are being loaded.
    Loading(String),
    /// The session is the user's and its rows are held.
    Ready(String),
    /// The id is not one of the user's sessions (or does not exist): "Session not found".
    NotFound(String),
}

impl CurrentSession {
    /// The id the URL names, whatever its state.
    pub fn id(&self) -> Option<&str> {
        match self {
            CurrentSession::None => None,
            CurrentSession::Loading(id) | CurrentSession::Ready(id) | CurrentSession::NotFound(id) => Some(id),
        }
    }
}

/// The rail's data and the current session's generations, shared as context.
#[derive(Debug, Clone, Copy)]
pub struct SessionsState {
    /// The user's sessions held (the pages loaded, plus any opened by its URL), newest first.
    pub list: RwSignal<Vec<Session>>,
    /// Whether `list` has been loaded since sign-in.
    pub loaded: RwSignal<bool>,
    /// Whether older sessions than the pages loaded exist ("Load more sessions").
    pub more: RwSignal<bool>,
    /// The last session of the last page loaded: where the next page starts. Kept apart
    /// from `list`, which may also hold an older session opened by its URL.
    cursor: StoredValue<Option<Keyset>>,
    /// Thumbnail URL of each session's latest completed output, by session id.
    pub thumbnails: RwSignal<HashMap<String, String>>,
    /// The current session and whether it could be shown.
    pub current: RwSignal<CurrentSession>,
    /// Ids of the current session's generations, newest first (changes on insert/delete only).
    pub order: RwSignal<Vec<String>>,
    /// How many generations the current session has on the server (from the count header).
    pub total: RwSignal<Option<usize>>,
    /// Failures the client saw that a row's status cannot carry (see `domain::generation`).
    pub local_failures: RwSignal<HashMap<String, LocalFailure>>,
    /// Whether any held generation is unfinished (queued or processing): the grid's clock
    /// ticks only then. Written only when it flips.
    pub in_flight: RwSignal<bool>,
    rows: StoredValue<VersionedMap<Generation>>,
    /// Ids of the held generations that are unfinished.
    unfinished: StoredValue<HashSet<String>>,
    cells: StoredValue<HashMap<String, RwSignal<Generation>>>,
    /// The owner the state was made under (the app's): each card's signal is created under
    /// it, so it lives as long as the state, not as long as whichever component or action
    /// happened to apply the row first.
    owner: StoredValue<Option<Owner>>,
}

impl Default for SessionsState {
    fn default() -> Self {
        Self::new()
    }
}

impl SessionsState {
    /// An empty list with no current session.
    pub fn new() -> Self {
        Self {
            list: RwSignal::new(Vec::new()),
            loaded: RwSignal::new(false),
            more: RwSignal::new(false),
            cursor: StoredValue::new(None),
            thumbnails: RwSignal::new(HashMap::new()),
            current: RwSignal::new(CurrentSession::None),
            order: RwSignal::new(Vec::new()),
            total: RwSignal::new(None),
            local_failures: RwSignal::new(HashMap::new()),
            in_flight: RwSignal::new(false),
            rows: StoredValue::new(VersionedMap::default()),
            unfinished: StoredValue::new(HashSet::new()),
            cells: StoredValue::new(HashMap::new()),
            owner: StoredValue::new(Owner::current()),
        }
    }

    /// The state provided by [`crate::state::provide_all`].
    pub fn expect_context() -> Self {
        expect_context::<Self>()
    }

    /// Replaces the list with the first page (newest first); `more` when older ones exist.
    /// The current session stays listed even when it is older than the page (opened by its
    /// URL while the page loaded).
    pub fn replace(&self, page: Vec<Session>, more: bool) {
        self.cursor.set_value(page.last().map(keyset_of));
        let current = self.current_id_untracked();
        let kept = self.list.with_untracked(|list| list.iter().find(|s| Some(&s.id) == current.as_ref()).cloned());
        let mut page = page;
        if let Some(session) = kept {
            insert_in_order(&mut page, session);
        }
        self.list.set(page);
        self.more.set(more);
        self.loaded.set(true);
    }

    /// Adds the next page of older sessions; `more` when still older ones exist.
    pub fn append_page(&self, page: Vec<Session>, more: bool) {
        if let Some(last) = page.last() {
            self.cursor.set_value(Some(keyset_of(last)));
        }
        self.list.update(|list| {
            for session in page {
                insert_in_order(list, session);
            }
        });
        self.more.set(more);
    }

    /// Where the next page of the rail starts (untracked); `None` before the first page.
    pub fn cursor(&self) -> Option<Keyset> {
        self.cursor.get_value()
    }

    /// Puts a session in its place in the list (newest first: a new one goes on top),
    /// replacing an older copy.
    pub fn insert(&self, session: Session) {
        self.list.update(|list| insert_in_order(list, session));
    }

    /// Replaces one session in the list (renamed).
    pub fn update_session(&self, session: Session) {
        self.list.update(|list| {
            if let Some(held) = list.iter_mut().find(|s| s.id == session.id) {
                *held = session;
            }
        });
    }

    /// Drops a session from the list (deleted); the current session is cleared if it was it.
    pub fn forget_session(&self, id: &str) {
        self.list.update(|list| list.retain(|s| s.id != id));
        if self.current_id_untracked().as_deref() == Some(id) {
            self.show(CurrentSession::None);
        }
    }

    /// The newest session, if any (untracked).
    pub fn newest_id(&self) -> Option<String> {
        self.list.with_untracked(|list| list.first().map(|s| s.id.clone()))
    }

    /// The current session's id (tracked).
    pub fn current_id(&self) -> Option<String> {
        self.current.with(|c| c.id().map(str::to_owned))
    }

    /// The current session's id, without tracking.
    pub fn current_id_untracked(&self) -> Option<String> {
        self.current.with_untracked(|c| c.id().map(str::to_owned))
    }

    /// The current session's row from the list (tracked).
    pub fn current_session(&self) -> Option<Session> {
        let id = self.current_id()?;
        self.list.with(|list| list.iter().find(|s| s.id == id).cloned())
    }

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
    pub fn apply_batch(&self, rows: impl IntoIterator<Item = Generation>) -> BatchApplied {
        let Some(current) = self.current_id_untracked() else { return BatchApplied::default() };
        let rows = rows.into_iter().filter(|row| row.session_id == current);
        let done = self.rows.try_update_value(|map| map.apply_batch(rows)).unwrap_or_default();
        if done.changed.is_empty() {
            return done;
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

    /// Removes a generation (deleted here or a DELETE event); ids not held are ignored.
    pub fn remove(&self, id: &str) -> bool {
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

    /// Forgets everything (on sign-out).
    pub fn clear(&self) {
        self.list.set(Vec::new());
        self.loaded.set(false);
        self.more.set(false);
        self.cursor.set_value(None);
        self.thumbnails.set(HashMap::new());
        self.show(CurrentSession::None);
    }
}

/// The rail's order: newest `created_at` first (compared as instants), then id, as the
/// server's `order=created_at.desc,id.desc`.
fn rail_order(a: &Session, b: &Session) -> std::cmp::Ordering {
    let at = |s: &Session| parse_timestamp(&s.created_at);
    at(b).cmp(&at(a)).then_with(|| b.id.cmp(&a.id))
}

fn insert_in_order(list: &mut Vec<Session>, session: Session) {
    list.retain(|held| held.id != session.id);
    let at = list.partition_point(|held| rail_order(held, &session).is_lt());
    list.insert(at, session);
}

fn keyset_of(session: &Session) -> Keyset {
    Keyset { created_at: session.created_at.clone(), id: session.id.clone() }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn session(id: &str, created: &str) -> Session {
        Session {
            id: id.into(),
            user_id: "u".into(),
            title: id.into(),
            created_at: created.into(),
            updated_at: created.into(),
        }
    }

    fn ids(list: &[Session]) -> Vec<&str> {
        list.iter().map(|s| s.id.as_str()).collect()
    }

    #[test]
    fn sessions_keep_the_servers_order_whatever_the_arrival() {
        let mut list = Vec::new();
        insert_in_order(&mut list, session("b", "2026-12-03T10:00:00.5+00:00"));
        insert_in_order(&mut list, session("c", "2026-12-03T10:00:00.5+00:00"));
        insert_in_order(&mut list, session("a", "2026-12-03T09:00:00+00:00"));
        // Newer by instant, not by text: "11:00:00+01:00" is 10:00 UTC.
        insert_in_order(&mut list, session("d", "2026-12-03T10:00:01Z"));
        insert_in_order(&mut list, session("e", "2026-12-03T11:00:00+01:00"));
        assert_eq!(ids(&list), ["d", "c", "b", "e", "a"]);
        // A copy replaces the one held, in its place.
        insert_in_order(&mut list, session("a", "2026-12-03T09:00:00+00:00"));
        assert_eq!(ids(&list), ["d", "c", "b", "e", "a"]);
    }

    #[test]
    fn pages_follow_the_cursor_and_a_session_opened_by_its_url_stays_listed() {
        let state = SessionsState::new();
        // Opened by its URL before the rail's first page arrived.
        state.insert(session("old", "2026-01-01T00:00:00Z"));
        state.show(CurrentSession::Loading("old".into()));
        state.replace(vec![session("d", "2026-12-03T10:00:00Z"), session("c", "2026-12-03T09:00:00Z")], true);
        assert_eq!(ids(&state.list.get_untracked()), ["d", "c", "old"]);
        assert_eq!(state.cursor().map(|k| k.id), Some("c".to_owned()), "the page's last row, not the opened one");
        // The next page lands above the opened session, which it brings again only once.
        state.append_page(vec![session("b", "2026-06-01T00:00:00Z"), session("old", "2026-01-01T00:00:00Z")], false);
        assert_eq!(ids(&state.list.get_untracked()), ["d", "c", "b", "old"]);
        assert_eq!(state.cursor().map(|k| k.id), Some("old".to_owned()));
        assert!(!state.more.get_untracked());
    }
}

#[cfg(test)]
#[path = "sessions_rows_tests.rs"]
mod rows_tests;
