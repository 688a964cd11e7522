//! The states every service needs, gathered once so calls stay short.

use crate::state::{AuthState, PublishState, SessionsState, UiState};
use leptos::prelude::*;

/// The app's states (all `Copy` handles), as services take them.
#[derive(Debug, Clone, Copy)]
pub struct Services {
    pub auth: AuthState,
    pub sessions: SessionsState,
    pub publish: PublishState,
    pub ui: UiState,
}

impl Services {
    /// The states provided by [`crate::state::provide_all`].
    pub fn expect_context() -> Self {
        Self {
            auth: AuthState::expect_context(),
            sessions: SessionsState::expect_context(),
            publish: PublishState::expect_context(),
            ui: UiState::expect_context(),
        }
    }

    /// An access token that is not about to expire (refreshing first if needed).
    pub async fn token(&self) -> Result<String, crate::supabase::ApiError> {
        super::auth::fresh_token(self.auth, self.ui).await
    }

    /// The signed-in user's id, without tracking.
    pub fn user_id(&self) -> Result<String, crate::supabase::ApiError> {
        self.auth
            .session
            .with_untracked(|s| s.as_ref().map(|s| s.user.id.clone()))
            .ok_or(crate::supabase::ApiError::NotSignedIn)
    }
}
