//! The Supabase client: runtime config, auth (GoTrue), rest (requests built by postgrest-rs),
//! storage and functions — all sent through the one HTTP path in `http` — realtime (Phoenix
//! channels), and the one error type they share.
//! Knows only `domain`.

pub mod auth;
pub mod config;
pub mod error;
pub mod error_pg_code;
pub mod functions;
pub mod http;
pub mod lock;
pub mod prefetched;
pub mod realtime;
pub mod rest;
pub mod rotation;
pub mod storage;

pub use config::Config;
pub use error::ApiError;
pub use error_pg_code::PgCode;

/// The API version header GoTrue uses to pick its `{code, message}` error format.
pub(crate) const API_VERSION: &str = "2024-01-01";
