//! The platform limits the database holds (`public.platform_limits`): caption and hashtag
//! caps, the media each platform takes and its aspect ratios. Read once; the same rows the
//! database enforces, so the app never keeps a second copy of the rules.

use leptos::prelude::*;

use crate::domain::platforms::PlatformLimits;
use crate::domain::Platform;

/// The limits, shared as context.
#[derive(Debug, Clone, Copy)]
pub struct PlatformsState {
    /// One row per platform, once loaded.
    pub limits: RwSignal<Vec<PlatformLimits>>,
    /// Whether a load has been started (so it runs once).
    pub requested: RwSignal<bool>,
}

impl Default for PlatformsState {
    fn default() -> Self {
        Self::new()
    }
}

impl PlatformsState {
    /// Nothing loaded.
    pub fn new() -> Self {
        Self { limits: RwSignal::new(Vec::new()), requested: RwSignal::new(false) }
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
