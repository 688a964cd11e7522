//! The signed-in user's generation sessions (the rail: newest first, loaded a page at a time)
//! and the current session (the one the URL names). That session's generations are held in
//! the same state, by the impls of `sessions_rows.rs` (the merge of every row, one signal per
//! card) and `sessions_pages.rs` (the keyset listings the grid reads and the counts it shows).

use std::collections::{HashMap, HashSet};

use leptos::prelude::*;

use crate::domain::generation::LocalFailure;
use crate::domain::merge::VersionedMap;
use crate::domain::time::parse_timestamp;
use crate::domain::{Generation, Session};
use crate::supabase::rest::Keyset;

#[path = "sessions_listing.rs"]
mod listing;
#[path = "sessions_pages.rs"]
mod pages;
#[path = "sessions_rows.rs"]
mod rows;
pub use listing::{Listing, ListingKind};

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
    /// How many generations the current session has on the server, as the last listing counted
    /// them (the count header); what the grid shows is [`SessionsState::outputs_count`].
    pub total: RwSignal<Option<usize>>,
    /// Rows this client saw inserted (less those deleted) since `total` was counted.
    added: RwSignal<i64>,
    /// How far the listing of all the session's outputs has been read.
    pub listing: RwSignal<Listing>,
    /// How far the listing of its starred outputs has been read.
    pub starred_listing: RwSignal<Listing>,
    /// How many outputs are starred, as the starred listing counted them.
    pub starred_total: RwSignal<Option<usize>>,
    /// Stars this client saw turned on (less those turned off) since `starred_total`.
    starred_added: RwSignal<i64>,
    /// Whether a page of a listing is being read (one at a time; the first page included).
    pub paging: RwSignal<bool>,
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
            added: RwSignal::new(0),
            listing: RwSignal::new(Listing::default()),
            starred_listing: RwSignal::new(Listing::default()),
            starred_total: RwSignal::new(None),
            starred_added: RwSignal::new(0),
            paging: RwSignal::new(false),
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

#[cfg(test)]
#[path = "sessions_pages_tests.rs"]
mod pages_tests;
