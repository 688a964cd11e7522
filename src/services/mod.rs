//! Orchestration that is neither UI nor transport: it calls `supabase`, applies `domain`
//! rules and writes `state`.

pub mod auth;
pub mod sessions;

use crate::domain::models::TitleError;
use crate::supabase::ApiError;

/// Why a service call failed: input the user must fix, or the API call itself.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ServiceError {
    #[error(transparent)]
    Title(#[from] TitleError),
    #[error(transparent)]
    Api(#[from] ApiError),
}

impl ServiceError {
    /// What to tell the user.
    pub fn user_message(&self) -> String {
        match self {
            ServiceError::Title(e) => e.to_string(),
            ServiceError::Api(e) => e.user_message(),
        }
    }
}
