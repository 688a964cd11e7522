//! A token the server refuses (401) mid-session: when it is the signed-in session's, the call is
//! sent once more after a refresh and succeeds; a token a caller passed on its own is refused
//! as it is, and nothing is refreshed for it.

use atelier::services;
use atelier::state::{AuthState, UiState};
use atelier::supabase::auth::now_secs;
use atelier::supabase::{rest, ApiError};
use serde_json::Value;
use wasm_bindgen_test::wasm_bindgen_test;

use crate::common;
use crate::jwt::expiring_in;

/// A session whose access token the server already refuses (expired a minute ago, past the
/// REST API's 30 s clock-skew leeway), though the client still thinks it good for an hour.
async fn session_with_a_refused_token() -> (AuthState, String) {
    common::reactive();
    let mut user = common::sign_up().await;
    let refused = expiring_in(&user.access_token, -60).await;
    user.access_token = refused.clone();
    user.expires_at = Some(now_secs() + 3600);
    let auth = AuthState::new();
    auth.set_session(Some(user));
    services::auth::renew_refused_tokens(auth, UiState::new());
    (auth, refused)
}

#[wasm_bindgen_test]
async fn a_refused_session_token_is_renewed_and_the_call_sent_once_more() {
    let (auth, refused) = session_with_a_refused_token().await;
    let rows: Vec<Value> =
        rest::rows(rest::table("sessions", &refused).select("id")).await.expect("the call succeeds after a refresh");
    assert!(rows.is_empty(), "a new user has no sessions");
    let now = auth.access_token().expect("still signed in");
    assert_ne!(now, refused, "the session holds the renewed token");
    assert_eq!(AuthState::stored().map(|s| s.access_token), Some(now));
    auth.set_session(None);
}

#[wasm_bindgen_test]
async fn a_token_that_is_not_the_sessions_is_refused_without_a_refresh() {
    let (auth, session_token) = session_with_a_refused_token().await;
    let other = expiring_in(&common::sign_up().await.access_token, -60).await;
    let result: Result<Vec<Value>, ApiError> = rest::rows(rest::table("sessions", &other).select("id")).await;
    match result {
        Err(ApiError::Rest { status: 401, .. }) => {}
        other => panic!("expected the server's 401, got {other:?}"),
    }
    assert_eq!(auth.access_token(), Some(session_token), "nothing was refreshed for a token not the session's");
    auth.set_session(None);
}
