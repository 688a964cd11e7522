//! Signing up, in and out; restoring the session at start and keeping its token fresh —
//! before expiry, when the tab becomes visible again after sleeping, and one refresh at a
//! time across tabs (the Web Locks API, re-reading the stored session inside the lock so a
//! token another tab already rotated is never replayed). A refresh that fails for good signs
//! out once, with "You were signed out — sign in again", and never loops. A rate-limited
//! refresh (429) is not a refusal: the session is kept and the refresh is tried again once the
//! server's `Retry-After` has passed.

mod password;
mod refresh;
mod refresh_backoff;
mod watch;

pub use password::{change_password, check_new_password, PasswordChangeError, MAX_PASSWORD_BYTES, MIN_PASSWORD_LENGTH};
pub use refresh::{fresh_token, renew_refused_tokens, SIGNED_OUT_MESSAGE};

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::state::{AuthState, PublishState, SessionsState, UiState};
use crate::supabase::auth::{self as api, now_secs, SignUpOutcome};
use crate::supabase::ApiError;

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
    refresh::renew_refused_tokens(auth, ui);
    watch::watch_expiry(auth, ui);
    watch::watch_visibility(auth, ui);
    watch::watch_other_tabs(auth);
    match AuthState::stored() {
        None => auth.finish_restore(),
        Some(stored) if !stored.needs_refresh(now_secs()) => {
            auth.set_session(Some(stored));
            auth.finish_restore();
        }
        Some(stored) => {
            auth.session.set(Some(stored));
            spawn_local(async move {
                let _ = refresh::refresh(auth, ui, false).await;
                auth.finish_restore();
            });
        }
    }
}
