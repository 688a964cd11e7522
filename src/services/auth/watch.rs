//! What keeps a held session fresh without a request from the page: a timer before expiry
//! (re-armed on every change, retried after a network failure or a rate limit), the tab
//! becoming visible after a sleep, and other tabs signing in, refreshing or out.

use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

use super::refresh::refresh;
use crate::state::{AuthState, UiState};
use crate::supabase::auth::now_secs;
use crate::supabase::ApiError;

/// How long to wait before retrying a refresh that failed on the network.
const NETWORK_RETRY_AFTER: Duration = Duration::from_secs(15);

/// Re-arms one timer whenever the session changes, firing `REFRESH_MARGIN_SECS` before expiry.
pub(super) fn watch_expiry(auth: AuthState, ui: UiState) {
    let timer: StoredValue<Option<TimeoutHandle>> = StoredValue::new(None);
    Effect::new(move |_| {
        let due_in = auth.session.with(|s| s.as_ref().map(|s| s.refresh_due_in(now_secs())));
        arm(timer, due_in.map(|secs| Duration::from_secs(secs as u64)), auth, ui);
    });
}

fn arm(timer: StoredValue<Option<TimeoutHandle>>, delay: Option<Duration>, auth: AuthState, ui: UiState) {
    if let Some(handle) = timer.get_value() {
        handle.clear();
    }
    let handle = delay.and_then(|delay| {
        set_timeout_with_handle(
            move || {
                spawn_local(async move {
                    match refresh(auth, ui, true).await {
                        Err(ApiError::Network(_)) => arm(timer, Some(NETWORK_RETRY_AFTER), auth, ui),
                        Err(ApiError::RateLimited { retry_after }) => arm(timer, Some(retry_after), auth, ui),
                        _ => {}
                    }
                })
            },
            delay,
        )
        .ok()
    });
    timer.set_value(handle);
}

/// Timers do not fire while a laptop sleeps: when the tab becomes visible again with a token
/// that is due, refresh at once instead of waiting for a late timer.
pub(super) fn watch_visibility(auth: AuthState, ui: UiState) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
    let doc = document.clone();
    let on_change = Closure::<dyn Fn()>::new(move || {
        if doc.visibility_state() != web_sys::VisibilityState::Visible {
            return;
        }
        let due = auth.session.with_untracked(|s| s.as_ref().is_some_and(|s| s.needs_refresh(now_secs())));
        if due {
            spawn_local(async move {
                let _ = refresh(auth, ui, true).await;
            });
        }
    });
    let _ = document.add_event_listener_with_callback("visibilitychange", on_change.as_ref().unchecked_ref());
    on_change.forget();
}

/// Another tab stored a new session (signed in, refreshed) or removed it (signed out):
/// follow it, so every tab holds the newest token and none replays an old one.
pub(super) fn watch_other_tabs(auth: AuthState) {
    let Some(window) = web_sys::window() else { return };
    let on_storage = Closure::<dyn Fn(web_sys::StorageEvent)>::new(move |event: web_sys::StorageEvent| {
        if event.key().as_deref() != Some(crate::state::auth::STORAGE_KEY) {
            return;
        }
        let stored = AuthState::stored();
        let changed = auth.session.with_untracked(|held| {
            held.as_ref().map(|h| &h.refresh_token) != stored.as_ref().map(|s| &s.refresh_token)
        });
        if changed {
            auth.session.set(stored);
        }
    });
    let _ = window.add_event_listener_with_callback("storage", on_storage.as_ref().unchecked_ref());
    on_storage.forget();
}
