//! Pure Rust core of Atelier: the canonical statuses and models shared by every layer.
//! Nothing here touches the browser, so it is tested with plain `cargo test`.
//! The database enums in `supabase/migrations` mirror these 1:1; their strings live only here.

pub mod aspect_ratio;
pub mod auth;
pub mod caption;
pub mod caption_tone;
pub mod connect;
pub mod generation;
pub mod handles;
pub mod hashtags;
pub mod merge;
pub mod models;
pub mod platforms;
pub mod publishing;
pub mod routes;
pub mod schedule;
pub mod schedule_time;
pub mod schedule_zones;
pub mod status;
pub mod time;

pub use auth::{AuthSession, AuthUser};
pub use generation::Generation;
pub use models::Session;
pub use publishing::{ConnectedAccount, Post};
pub use status::{AccountStatus, GenerationStatus, MediaKind, Platform, PostStatus};
