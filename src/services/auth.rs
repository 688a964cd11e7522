//! Signing up, in and out; restoring the session at start and keeping its token fresh —
//! before expiry, when the tab becomes visible again after sleeping, and one refresh at a
//! time across tabs (the Web Locks API, re-reading the stored session inside the lock so a
//! token another tab already rotated is never replayed). A refresh that fails for good signs
//! out once, with "You were signed out — sign in again", and never loops. A rate-limited
//! refresh (429) is not a refusal: the session is kept and the refresh is tried again once the
//! server's `Retry-After` has passed.

mod refresh_backoff;

use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

use crate::domain::auth::{newest_session, refresh_plan, RefreshPlan, TokenRotation};
use crate::state::{AuthState, PublishState, SessionsState, UiState};
use crate::supabase::auth::{self as api, now_secs, SignUpOutcome};
use crate::supabase::lock::with_lock;
use crate::supabase::rotation;
use crate::supabase::ApiError;

/// How long to wait before retrying a refresh that failed on the network.
const NETWORK_RETRY_AFTER: Duration = Duration::from_secs(15);
/// The Web Lock every tab takes to refresh.
const REFRESH_LOCK: &str = "atelier.auth.refresh";
/// What a creator reads when their session ended and could not be renewed.
pub const SIGNED_OUT_MESSAGE: &str = "You were signed out — sign in again.";

/// What a sign-up achieved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignUpResult {
    /// The account exists and the user is signed in.
    SignedIn,
    /// The project requires email confirmation before the first sign-in.
    ConfirmEmail,
}

/// Signs in with email and password and stores the session.
pub async fn sign_in(auth: AuthState, email: String, password: String) -> Result<(), ApiError> {
    let session = api::sign_in_with_password(email.trim(), &password).await?;
    auth.set_session(Some(session));
    Ok(())
}

/// Creates an account; signs in at once when the project auto-confirms emails.
pub async fn sign_up(auth: AuthState, email: String, password: String) -> Result<SignUpResult, ApiError> {
    match api::sign_up(email.trim(), &password).await? {
        SignUpOutcome::SignedIn(session) => {
            auth.set_session(Some(session));
            Ok(SignUpResult::SignedIn)
        }
        SignUpOutcome::ConfirmationSent => Ok(SignUpResult::ConfirmEmail),
    }
}

/// The shortest password the project accepts (`auth.minimum_password_length` in
/// supabase/config.toml; GoTrue refuses shorter ones with `weak_password`).
pub const MIN_PASSWORD_LENGTH: usize = 6;
/// The longest password GoTrue accepts (bcrypt reads 72 bytes).
pub const MAX_PASSWORD_BYTES: usize = 72;

/// Why a password was not changed, in words the creator can act on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PasswordChangeError {
    #[error("The two passwords do not match. Type the same new password in both fields.")]
    Mismatch,
    #[error("The new password is too short: use at least {MIN_PASSWORD_LENGTH} characters.")]
    TooShort,
    #[error("The new password is too long: use at most {MAX_PASSWORD_BYTES} characters.")]
    TooLong,
    #[error("That is already your password. Choose a different one.")]
    SamePassword,
    #[error("{0}")]
    Refused(String),
}

/// What is wrong with `new`/`repeat` before anything is sent, if anything.
pub fn check_new_password(new: &str, repeat: &str) -> Result<(), PasswordChangeError> {
    if new.chars().count() < MIN_PASSWORD_LENGTH {
        return Err(PasswordChangeError::TooShort);
    }
    if new.len() > MAX_PASSWORD_BYTES {
        return Err(PasswordChangeError::TooLong);
    }
    if new != repeat {
        return Err(PasswordChangeError::Mismatch);
    }
    Ok(())
}

/// Changes the signed-in creator's password (checked here first, so a mistake sends nothing).
/// The session stays signed in; the old password stops working.
pub async fn change_password(
    auth: AuthState,
    ui: UiState,
    new: String,
    repeat: String,
) -> Result<(), PasswordChangeError> {
    check_new_password(&new, &repeat)?;
    let token = fresh_token(auth, ui).await.map_err(|e| PasswordChangeError::Refused(e.user_message()))?;
    api::update_password(&token, &new).await.map(|_| ()).map_err(|e| match e.code() {
        Some("same_password") => PasswordChangeError::SamePassword,
        Some("weak_password") => {
            PasswordChangeError::Refused(format!("{} Choose a stronger password.", e.user_message()))
        }
        _ => PasswordChangeError::Refused(format!("Your password was not changed: {}", e.user_message())),
    })
}

/// Signs out: local state is cleared at once; the server is told in the background and a
/// failure there does not keep anyone signed in.
pub fn sign_out(auth: AuthState, sessions: SessionsState, publish: PublishState) {
    let token = auth.access_token();
    auth.set_session(None);
    sessions.clear();
    publish.clear();
    if let Some(token) = token {
        spawn_local(async move {
            let _ = api::sign_out(&token).await;
        });
    }
}

/// Restores the stored session (refreshing it first when it is expired or about to be,
/// dropping it when that fails), keeps the token refreshed before it expires and when the
/// tab wakes up, and follows sign-ins, refreshes and sign-outs made in other tabs.
pub fn start(auth: AuthState, ui: UiState) {
    watch_expiry(auth, ui);
    watch_visibility(auth, ui);
    watch_other_tabs(auth);
    match AuthState::stored() {
        None => auth.finish_restore(),
        Some(stored) if !stored.needs_refresh(now_secs()) => {
            auth.set_session(Some(stored));
            auth.finish_restore();
        }
        Some(stored) => {
            auth.session.set(Some(stored));
            spawn_local(async move {
                let _ = refresh(auth, ui, false).await;
                auth.finish_restore();
            });
        }
    }
}

/// An access token that is not about to expire, refreshing the session first if needed. When
/// the refresh is rate-limited, the held token is used while it has not expired yet (it is
/// refreshed a minute early); after that the caller gets [`ApiError::RateLimited`].
pub async fn fresh_token(auth: AuthState, ui: UiState) -> Result<String, ApiError> {
    let session = auth.session.get_untracked().ok_or(ApiError::NotSignedIn)?;
    if !session.needs_refresh(now_secs()) {
        return Ok(session.access_token);
    }
    match refresh(auth, ui, true).await {
        Err(ApiError::RateLimited { .. }) if session.expires_at.is_some_and(|at| at > now_secs()) => {
            Ok(session.access_token)
        }
        result => result,
    }
}

/// Refreshes the session under the cross-tab lock. Inside it, the stored session is read
/// again, with the last rotation any tab recorded: if another tab rotated the token meanwhile,
/// its session is adopted instead of replaying ours. A rejected refresh signs out (once, with a
/// toast when `announce`); a network failure or a rate limit keeps the session so a later
/// attempt can succeed. While a rate limit's wait runs, no request is sent: the error says how
/// long is left.
async fn refresh(auth: AuthState, ui: UiState, announce: bool) -> Result<String, ApiError> {
    let held = auth.session.get_untracked().ok_or(ApiError::NotSignedIn)?;
    let outcome = with_lock(REFRESH_LOCK, async move {
        // The stored copy can lag behind a rotation another tab just made (see
        // `supabase::rotation`); the rotation it recorded before releasing the lock cannot.
        let newest = newest_session(AuthState::stored(), rotation::last().await);
        match refresh_plan(&held, newest.as_ref(), now_secs()) {
            RefreshPlan::Adopt(session) => Ok(session),
            RefreshPlan::SignedOutElsewhere => Err(ApiError::NotSignedIn),
            RefreshPlan::Refresh(token) => {
                if let Some(retry_after) = refresh_backoff::remaining() {
                    return Err(ApiError::RateLimited { retry_after });
                }
                let result = api::refresh_session(&token).await;
                // Store and record inside the lock, so the next tab in line reads the rotated token.
                match &result {
                    Ok(session) => {
                        refresh_backoff::clear();
                        AuthState::store(session);
                        rotation::record(&TokenRotation { parent: token, session: session.clone() }).await;
                    }
                    Err(ApiError::RateLimited { retry_after }) => refresh_backoff::hold(*retry_after),
                    Err(e) if e.is_rejection() => AuthState::forget(),
                    Err(_) => {}
                }
                result
            }
        }
    })
    .await;
    match outcome {
        Ok(session) => {
            let token = session.access_token.clone();
            auth.set_session(Some(session));
            Ok(token)
        }
        Err(e) => {
            if e.is_rejection() && auth.session.with_untracked(Option::is_some) {
                auth.set_session(None);
                if announce && !matches!(e, ApiError::NotSignedIn) {
                    ui.push_error(SIGNED_OUT_MESSAGE);
                }
            }
            Err(e)
        }
    }
}

/// Re-arms one timer whenever the session changes, firing `REFRESH_MARGIN_SECS` before expiry.
fn watch_expiry(auth: AuthState, ui: UiState) {
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
fn watch_visibility(auth: AuthState, ui: UiState) {
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
fn watch_other_tabs(auth: AuthState) {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_password_is_checked_before_it_is_sent() {
        assert_eq!(check_new_password("abc", "abc"), Err(PasswordChangeError::TooShort));
        assert_eq!(check_new_password("secret-one", "secret-two"), Err(PasswordChangeError::Mismatch));
        assert_eq!(check_new_password(&"x".repeat(73), &"x".repeat(73)), Err(PasswordChangeError::TooLong));
        assert_eq!(check_new_password("sixsix", "sixsix"), Ok(()));
        assert!(PasswordChangeError::TooShort.to_string().contains("at least 6 characters"));
    }
}
