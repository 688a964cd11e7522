//! GoTrue through `atelier::supabase::auth`: sign-up, sign-in, refresh (the refresh token
//! rotates), the user behind a token, sign-out, and the errors a caller gets for bad
//! credentials and bad tokens.

use atelier::supabase::auth::{self, now_secs, SignUpOutcome};
use atelier::supabase::ApiError;
use wasm_bindgen_test::{console_log, wasm_bindgen_test};

use crate::common;
use crate::jwt::expiring_in;

const PASSWORD: &str = "client-test-password";

fn auth_error(e: &ApiError) -> (u16, Option<&str>) {
    match e {
        ApiError::Auth { status, code, .. } => (*status, code.as_deref()),
        other => panic!("expected ApiError::Auth, got {other:?}"),
    }
}

#[wasm_bindgen_test]
async fn sign_up_then_sign_in_are_the_same_user_and_get_user_reads_it_back() {
    common::init();
    let email = format!("{}@client.test", common::unique("auth"));
    let signed_up = match auth::sign_up(&email, PASSWORD).await.expect("sign-up works") {
        SignUpOutcome::SignedIn(session) => session,
        SignUpOutcome::ConfirmationSent => panic!("the local stack auto-confirms"),
    };
    assert_eq!(signed_up.user.email.as_deref(), Some(email.as_str()));
    let expires_at = signed_up.expires_at.expect("expires_at is stamped");
    assert!(expires_at > now_secs() + 60, "a fresh token is not about to expire: {expires_at}");
    assert!(!signed_up.needs_refresh(now_secs()));

    let signed_in = auth::sign_in_with_password(&email, PASSWORD).await.expect("sign-in works");
    assert_eq!(signed_in.user.id, signed_up.user.id);
    assert_ne!(signed_in.refresh_token, signed_up.refresh_token, "a sign-in is a new session");
    let user = auth::get_user(&signed_in.access_token).await.expect("the token names its user");
    assert_eq!(user.id, signed_up.user.id);
    assert_eq!(user.email.as_deref(), Some(email.as_str()));

    // The same email again, and a wrong password: errors a user can read.
    let again = auth::sign_up(&email, PASSWORD).await.expect_err("an email signs up once");
    assert_eq!(auth_error(&again), (422, Some("user_already_exists")));
    assert_eq!(again.user_message(), "User already registered");
    let wrong = auth::sign_in_with_password(&email, "not-the-password").await.expect_err("a wrong password fails");
    assert_eq!(auth_error(&wrong), (400, Some("invalid_credentials")));
    assert_eq!(wrong.user_message(), "Invalid login credentials");
    assert!(wrong.is_rejection());
}

#[wasm_bindgen_test]
async fn refresh_rotates_the_refresh_token_and_the_new_one_works() {
    let user = common::sign_up().await;
    let started = common::now_ms();
    let first = auth::refresh_session(&user.refresh_token).await.expect("a refresh works");
    console_log!("auth: refresh answered in {:.0} ms", common::now_ms() - started);
    assert_eq!(first.user.id, user.user.id);
    assert_ne!(first.refresh_token, user.refresh_token, "the refresh token rotates");
    assert!(first.expires_at.unwrap() >= user.expires_at.unwrap());
    assert_eq!(auth::get_user(&first.access_token).await.expect("the new access token works").id, user.user.id);

    // The rotated token refreshes again, and rotates again.
    let second = auth::refresh_session(&first.refresh_token).await.expect("the rotated token refreshes");
    assert_ne!(second.refresh_token, first.refresh_token);
    assert_ne!(second.refresh_token, user.refresh_token);
    assert_eq!(second.user.id, user.user.id);

    let garbage = auth::refresh_session("not-a-refresh-token").await.expect_err("a made-up token is refused");
    assert_eq!(auth_error(&garbage).0, 400);
    assert!(garbage.is_rejection(), "a refused refresh drops the stored session: {garbage:?}");
    assert!(!garbage.user_message().is_empty());
}

#[wasm_bindgen_test]
async fn sign_out_ends_the_session_for_refresh_and_get_user() {
    let user = common::sign_up().await;
    auth::sign_out(&user.access_token).await.expect("sign-out answers 204");
    let refused = auth::refresh_session(&user.refresh_token).await.expect_err("a signed-out refresh token is dead");
    assert_eq!(auth_error(&refused), (400, Some("refresh_token_not_found")));
    assert!(refused.is_rejection());
    let gone = auth::get_user(&user.access_token).await.expect_err("the session behind the token is gone");
    assert_eq!(auth_error(&gone), (403, Some("session_not_found")));
    assert!(gone.is_rejection());
}

async fn bad_token_errors() -> Vec<(&'static str, ApiError)> {
    let user = common::sign_up().await;
    let expired = expiring_in(&user.access_token, -60).await;
    let mut errors = vec![];
    for (what, token) in [("expired", expired), ("garbage", "garbage".to_owned())] {
        errors.push((what, auth::get_user(&token).await.expect_err("a bad token is refused")));
    }
    errors
}

#[wasm_bindgen_test]
async fn an_expired_or_garbage_token_is_refused_as_a_rejection() {
    for (what, e) in bad_token_errors().await {
        let (status, code) = auth_error(&e);
        console_log!("auth: {what} token -> {status} {code:?}: {:?}", e.user_message());
        assert_eq!((status, code), (403, Some("bad_jwt")), "{what}");
        assert!(e.is_rejection(), "{what}: the session must be dropped");
        assert!(!e.user_message().is_empty());
    }
}

#[wasm_bindgen_test]
async fn an_expired_or_garbage_token_tells_the_user_to_sign_in_again() {
    // What a user reads must say what to do, as REST's and the functions' 401 already do
    // ("Your session has expired. Sign in again."), not the JWT parser's wording.
    for (what, e) in bad_token_errors().await {
        let message = e.user_message();
        assert!(message.contains("Sign in again"), "{what}: the user is told to sign in again, got {message:?}");
    }
}
