//! Signing up, in and out; restoring the session at start and keeping its token fresh.

use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::state::{AuthState, SessionsState, UiState};
use crate::supabase::auth::{self as api, now_secs, SignUpOutcome};
use crate::supabase::ApiError;

/// How long to wait before retrying a refresh that failed on the network.
const RETRY_AFTER: Duration = Duration::from_secs(15);

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

/// Signs out: local state is cleared at once; the server is told in the background and a
/// failure there does not keep anyone signed in.
pub fn sign_out(auth: AuthState, sessions: SessionsState) {
    let token = auth.access_token();
    auth.set_session(None);
    sessions.clear();
    if let Some(token) = token {
        spawn_local(async move {
            let _ = api::sign_out(&token).await;
        });
    }
}

/// Restores the stored session (refreshing it first when it is expired or about to be,
/// dropping it when that fails) and keeps the token refreshed before it expires.
pub fn start(auth: AuthState, ui: UiState) {
    watch_expiry(auth, ui);
    match AuthState::stored() {
        None => auth.finish_restore(),
        Some(stored) if !stored.needs_refresh(now_secs()) => {
            auth.set_session(Some(stored));
            auth.finish_restore();
        }
        Some(stored) => spawn_local(async move {
            let refreshed = api::refresh_session(&stored.refresh_token).await.ok();
            auth.set_session(refreshed);
            auth.finish_restore();
        }),
    }
}

/// An access token that is not about to expire, refreshing the session first if needed.
pub async fn fresh_token(auth: AuthState, ui: UiState) -> Result<String, ApiError> {
    let session = auth.session.get_untracked().ok_or(ApiError::NotSignedIn)?;
    if session.needs_refresh(now_secs()) {
        refresh(auth, ui).await
    } else {
        Ok(session.access_token)
    }
}

/// Refreshes the session now. A rejected refresh token signs the user out with a toast;
/// a network failure keeps the session so a later attempt can succeed.
async fn refresh(auth: AuthState, ui: UiState) -> Result<String, ApiError> {
    let refresh_token =
        auth.session.with_untracked(|s| s.as_ref().map(|s| s.refresh_token.clone())).ok_or(ApiError::NotSignedIn)?;
    match api::refresh_session(&refresh_token).await {
        Ok(session) => {
            let token = session.access_token.clone();
            auth.set_session(Some(session));
            Ok(token)
        }
        Err(e) => {
            if e.is_rejection() && auth.session.with_untracked(Option::is_some) {
                auth.set_session(None);
                ui.push_error(format!("Your session has ended ({}). Sign in again.", e.user_message()));
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
                    if let Err(ApiError::Network(_)) = refresh(auth, ui).await {
                        arm(timer, Some(RETRY_AFTER), auth, ui);
                    }
                })
            },
            delay,
        )
        .ok()
    });
    timer.set_value(handle);
}
