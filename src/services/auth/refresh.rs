//! Refreshing the session: one refresh at a time across tabs (the Web Locks API), re-reading
//! the stored session inside the lock so a token another tab already rotated is never
//! replayed. A refresh that fails for good signs out once; a rate-limited one keeps the
//! session until the server's `Retry-After` has passed.

use std::rc::Rc;

use leptos::prelude::*;

use super::refresh_backoff;
use crate::domain::auth::{newest_session, refresh_plan, RefreshPlan, TokenRotation};
use crate::state::{AuthState, UiState};
use crate::supabase::auth::{self as api, now_secs};
use crate::supabase::http;
use crate::supabase::lock::with_lock;
use crate::supabase::rotation;
use crate::supabase::ApiError;

/// The Web Lock every tab takes to refresh.
const REFRESH_LOCK: &str = "atelier.auth.refresh";
/// What a creator reads when their session ended and could not be renewed.
pub const SIGNED_OUT_MESSAGE: &str = "You were signed out — sign in again.";

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
pub(super) async fn refresh(auth: AuthState, ui: UiState, announce: bool) -> Result<String, ApiError> {
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

/// Lets the HTTP layer renew the signed-in session's token when the server refuses it (401, e.g.
/// expired early or revoked): a refused token that is the session's is refreshed (under the
/// cross-tab lock, as always) and the call is sent once more; any other token — one a caller
/// passed on its own, or one already replaced — is not.
pub fn renew_refused_tokens(auth: AuthState, ui: UiState) {
    http::set_token_renewer(Rc::new(move |refused: String| {
        Box::pin(async move {
            let held = auth.session.try_with_untracked(|s| s.as_ref().map(|s| s.access_token.clone())).flatten()?;
            if held != refused {
                return None;
            }
            refresh(auth, ui, true).await.ok()
        })
    }));
}
