//! Two tabs refreshing one after the other under the Web Lock: the second can read a
//! `localStorage` copy the first has already rotated (Chromium tells other renderer processes of
//! a write asynchronously). The rotation the first tab recorded in IndexedDB before releasing the
//! lock is read instead: its session is adopted and the old refresh token is never sent. Here
//! the stale read is set up directly: the rotation is recorded, `localStorage` keeps the old copy.

use atelier::domain::auth::TokenRotation;
use atelier::domain::AuthSession;
use atelier::services;
use atelier::state::{AuthState, UiState};
use atelier::supabase::auth::now_secs;
use atelier::supabase::rotation;
use leptos::prelude::*;
use wasm_bindgen_test::wasm_bindgen_test;

use crate::common;

/// The session another tab got for `parent`; never sent to the server, so adopting it is the
/// only way this tab can end up holding it.
fn rotated_elsewhere(parent: &AuthSession) -> AuthSession {
    let mut child = parent.clone();
    child.access_token = common::unique("access-from-the-other-tab");
    child.refresh_token = common::unique("refresh-from-the-other-tab");
    child.expires_at = Some(now_secs() + 3600);
    child
}

#[wasm_bindgen_test]
async fn a_tab_reading_a_stale_stored_copy_adopts_the_recorded_rotation() {
    common::reactive();
    let mut held = common::sign_up().await;
    held.expires_at = Some(now_secs() + 30); // due: inside the refresh margin
    AuthState::store(&held); // the stale copy this tab still reads
    let child = rotated_elsewhere(&held);
    rotation::record(&TokenRotation { parent: held.refresh_token.clone(), session: child.clone() }).await;

    let auth = AuthState::new();
    auth.session.set(Some(held.clone()));
    let token = services::auth::fresh_token(auth, UiState::new()).await.expect("a fresh token");

    assert_eq!(token, child.access_token, "the rotated session was adopted, not refreshed again");
    assert_eq!(auth.session.get_untracked(), Some(child.clone()));
    assert_eq!(AuthState::stored(), Some(child));
    auth.set_session(None);
}

#[wasm_bindgen_test]
async fn signing_out_removes_the_recorded_rotation() {
    common::reactive();
    let user = common::sign_up().await;
    let auth = AuthState::new();
    auth.set_session(Some(user.clone()));
    rotation::record(&TokenRotation { parent: user.refresh_token.clone(), session: rotated_elsewhere(&user) }).await;
    assert!(rotation::last().await.is_some());

    auth.set_session(None);
    let deadline = common::now_ms() + 5000.0;
    while rotation::last().await.is_some() {
        assert!(common::now_ms() < deadline, "the rotation is still recorded 5 s after signing out");
        common::sleep_ms(20).await;
    }
}
