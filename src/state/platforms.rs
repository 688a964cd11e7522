//! The platform limits the database holds (`public.platform_limits`): caption and hashtag
//! caps, the media each platform takes and its aspect ratios. The app starts with the rows
//! compiled in ([`cache`]), so the first screen sends no request for them; the schema mirror
//! test keeps that cache equal to the database's rows.

pub mod cache;

use leptos::prelude::*;

use crate::domain::platforms::PlatformLimits;
use crate::domain::Platform;

/// The limits, shared as context.
#[derive(Debug, Clone, Copy)]
pub struct PlatformsState {
    /// One row per platform.
    pub limits: RwSignal<Vec<PlatformLimits>>,
}

impl Default for PlatformsState {
    fn default() -> Self {
        Self::new()
    }
}

impl PlatformsState {
    /// The compiled rows ([`cache::cached_limits`]).
    pub fn new() -> Self {
        Self { limits: RwSignal::new(cache::cached_limits()) }
    }

    /// The state provided by [`crate::state::provide_all`].
    pub fn expect_context() -> Self {
        expect_context::<Self>()
    }

    /// The row of one platform (tracked).
    pub fn of(&self, platform: Platform) -> Option<PlatformLimits> {
        self.limits.with(|l| l.iter().find(|l| l.platform == platform).cloned())
    }
}
