//! The signed-in user's generation sessions (newest first) and which one is selected.

use leptos::prelude::*;

use crate::domain::Session;

/// The rail's data, shared as context.
#[derive(Debug, Clone, Copy)]
pub struct SessionsState {
    /// The user's sessions, newest first.
    pub list: RwSignal<Vec<Session>>,
    /// The id of the selected session, if any.
    pub selected: RwSignal<Option<String>>,
}

impl Default for SessionsState {
    fn default() -> Self {
        Self::new()
    }
}

impl SessionsState {
    /// An empty list with nothing selected.
    pub fn new() -> Self {
        Self { list: RwSignal::new(Vec::new()), selected: RwSignal::new(None) }
    }

    /// The state provided by [`crate::state::provide_all`].
    pub fn expect_context() -> Self {
        expect_context::<Self>()
    }

    /// Replaces the list with what the server returned (already newest first), keeping the
    /// selection if it still exists, otherwise selecting the newest session.
    pub fn replace(&self, sessions: Vec<Session>) {
        let keep = self
            .selected
            .with_untracked(|sel| sel.as_ref().filter(|id| sessions.iter().any(|s| &s.id == *id)).cloned());
        let selected = keep.or_else(|| sessions.first().map(|s| s.id.clone()));
        self.list.set(sessions);
        self.selected.set(selected);
    }

    /// Puts a just-created session at the top and selects it.
    pub fn prepend(&self, session: Session) {
        let id = session.id.clone();
        self.list.update(|list| {
            list.retain(|s| s.id != id);
            list.insert(0, session);
        });
        self.selected.set(Some(id));
    }

    /// Selects a session by id.
    pub fn select(&self, id: String) {
        self.selected.set(Some(id));
    }

    /// The selected session (tracked).
    pub fn selected_session(&self) -> Option<Session> {
        let id = self.selected.get()?;
        self.list.with(|list| list.iter().find(|s| s.id == id).cloned())
    }

    /// Forgets everything (on sign-out).
    pub fn clear(&self) {
        self.list.set(Vec::new());
        self.selected.set(None);
    }
}
