//! Who is signed in: the auth session, whether it is still being restored, and its copy in
//! `localStorage` (key `atelier.auth`).

use leptos::prelude::*;

use crate::domain::AuthSession;

/// The `localStorage` key the session is persisted under.
pub const STORAGE_KEY: &str = "atelier.auth";

/// The signed-in user's session, shared as context.
#[derive(Debug, Clone, Copy)]
pub struct AuthState {
    /// The current session; `None` when signed out.
    pub session: RwSignal<Option<AuthSession>>,
    /// True while a stored session is being restored (refreshed) at start.
    pub restoring: RwSignal<bool>,
}

impl Default for AuthState {
    fn default() -> Self {
        Self::new()
    }
}

impl AuthState {
    /// A signed-out state that is restoring until [`AuthState::finish_restore`].
    pub fn new() -> Self {
        Self { session: RwSignal::new(None), restoring: RwSignal::new(true) }
    }

    /// The state provided by [`crate::state::provide_all`].
    pub fn expect_context() -> Self {
        expect_context::<Self>()
    }

    /// Route guard condition: `None` while restoring, then whether someone is signed in.
    pub fn guard(&self) -> Option<bool> {
        if self.restoring.get() {
            None
        } else {
            Some(self.session.with(Option::is_some))
        }
    }

    /// Replaces the session and its persisted copy (`None` signs out locally).
    pub fn set_session(&self, session: Option<AuthSession>) {
        match &session {
            Some(s) => Self::store(s),
            None => Self::forget(),
        }
        self.session.set(session);
    }

    /// Marks the start-up restore as done.
    pub fn finish_restore(&self) {
        self.restoring.set(false);
    }

    /// The session saved by an earlier visit, if any and readable.
    pub fn stored() -> Option<AuthSession> {
        let text = local_storage()?.get_item(STORAGE_KEY).ok()??;
        let parsed = serde_json::from_str(&text).ok();
        if parsed.is_none() {
            Self::forget();
        }
        parsed
    }

    /// Writes a session to `localStorage` (other tabs see it through the `storage` event).
    pub fn store(session: &AuthSession) {
        if let (Some(storage), Ok(text)) = (local_storage(), serde_json::to_string(session)) {
            let _ = storage.set_item(STORAGE_KEY, &text);
        }
    }

    /// Removes the stored session, and the last token rotation recorded with it.
    pub fn forget() {
        if let Some(storage) = local_storage() {
            let _ = storage.remove_item(STORAGE_KEY);
        }
        crate::supabase::rotation::clear();
    }

    /// The access token to call the API with, without tracking.
    pub fn access_token(&self) -> Option<String> {
        self.session.with_untracked(|s| s.as_ref().map(|s| s.access_token.clone()))
    }

    /// The signed-in user's id (tracked).
    pub fn user_id(&self) -> Option<String> {
        self.session.with(|s| s.as_ref().map(|s| s.user.id.clone()))
    }

    /// The signed-in user's email (tracked), empty when signed out.
    pub fn email(&self) -> String {
        self.session.with(|s| s.as_ref().map(|s| s.email().to_owned()).unwrap_or_default())
    }
}

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}
