//! Loading the platform limits the database holds, once per app.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::domain::platforms::PlatformLimits;
use crate::services::Services;
use crate::state::PlatformsState;
use crate::supabase::rest;

/// Starts loading the limits unless already loaded or loading; a failure is toasted and
/// the next caller tries again.
pub fn ensure_loaded(app: Services, platforms: PlatformsState) {
    if platforms.requested.get_untracked() {
        return;
    }
    platforms.requested.set(true);
    spawn_local(async move {
        let result = async {
            let token = app.token().await?;
            rest::rows::<PlatformLimits>(rest::table("platform_limits", &token).select("*").order("platform")).await
        }
        .await;
        match result {
            Ok(rows) => platforms.limits.set(rows),
            Err(e) => {
                platforms.requested.set(false);
                app.ui.push_error(format!("Could not load the platform rules: {}", e.user_message()));
            }
        }
    });
}
