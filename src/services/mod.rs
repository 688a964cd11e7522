//! Orchestration that is neither UI nor transport: it calls `supabase`, applies `domain`
//! rules and writes `state`. Components call these; none talks to the client directly.

pub mod accounts;
pub mod after_paint;
pub mod auth;
pub mod connections;
pub mod context;
pub mod edit_post;
pub mod generation;
pub mod live;
pub mod media;
pub mod post_drafts;
pub mod post_pages;
pub mod publish;
pub mod realtime;
pub mod sessions;
pub mod time_zone;

use crate::domain::generation::RequestError;
use crate::domain::models::TitleError;
use crate::supabase::ApiError;

pub use context::Services;

/// Why a service call failed: input the user must fix, a rule the service enforces, or the
/// API call itself.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ServiceError {
    #[error(transparent)]
    Title(#[from] TitleError),
    #[error(transparent)]
    Request(#[from] RequestError),
    /// A rule the service checked before writing anything (the text says what to do).
    #[error("{0}")]
    Refused(String),
    #[error(transparent)]
    Api(#[from] ApiError),
}

impl ServiceError {
    /// What to tell the user.
    pub fn user_message(&self) -> String {
        match self {
            ServiceError::Title(e) => e.to_string(),
            ServiceError::Request(e) => e.to_string(),
            ServiceError::Refused(text) => text.clone(),
            ServiceError::Api(e) => e.user_message(),
        }
    }
}

/// A random UUID (v4) from the browser's `crypto.randomUUID()`, for request keys.
pub fn random_uuid() -> String {
    let crypto = web_sys::window().and_then(|w| w.crypto().ok());
    match crypto {
        Some(crypto) => crypto.random_uuid(),
        None => {
            // Every browser the app supports has it; this keeps a key unique enough anyway.
            let r = || (js_sys::Math::random() * 4_294_967_296.0) as u32;
            format!("{:08x}-{:04x}-4{:03x}-a{:03x}-{:08x}{:04x}", r(), r() >> 16, r() >> 20, r() >> 20, r(), r() >> 16)
        }
    }
}
