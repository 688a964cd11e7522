//! GoTrue calls (`/auth/v1`) through [`super::http`], sent the way auth-js sends them: `apikey`,
//! `Authorization: Bearer <key or user token>`, `X-Supabase-Api-Version`, JSON bodies.

use gloo_net::http::Method;
use serde::de::DeserializeOwned;
use serde_json::json;

use super::http::{self, Answer, Call, Service};
use super::{config, ApiError};
use crate::domain::{AuthSession, AuthUser};

/// What a sign-up produced: a session when the project auto-confirms emails, otherwise a
/// user who must confirm their email before signing in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignUpOutcome {
    SignedIn(AuthSession),
    ConfirmationSent,
}

/// Current time in unix seconds, from the browser clock.
pub fn now_secs() -> i64 {
    (js_sys::Date::now() / 1000.0) as i64
}

/// A GoTrue call of `method` on `path`, as the holder of `bearer` (the anon key when `None`).
fn call<'a>(method: Method, path: &str, bearer: Option<&'a str>) -> Call<'a> {
    Call::new(Service::Auth, method, format!("{}{path}", config::get().auth_url()), bearer)
}

/// Sends `call` with the JSON `body` and decodes the JSON answer.
async fn send_json<T: DeserializeOwned>(call: Call<'_>, body: serde_json::Value) -> Result<T, ApiError> {
    parse(http::send(call.json(&body)).await?).await
}

async fn parse<T: DeserializeOwned>(answer: Answer<'_>) -> Result<T, ApiError> {
    decode(&answer.text().await?)
}

fn decode<T: DeserializeOwned>(text: &str) -> Result<T, ApiError> {
    serde_json::from_str(text).map_err(|e| ApiError::Decode(e.to_string()))
}

/// `POST /auth/v1/signup` with email and password.
pub async fn sign_up(email: &str, password: &str) -> Result<SignUpOutcome, ApiError> {
    let body = json!({ "email": email, "password": password, "data": {} });
    let text = http::send(call(Method::POST, "/signup", None).json(&body)).await?.text().await?;
    let value: serde_json::Value = decode(&text)?;
    if value.get("access_token").is_some() {
        // Decoded from the text again rather than from `value`: one `Deserialize` instance
        // of the session in the wasm, the one every sign-in and refresh uses.
        let session: AuthSession = decode(&text)?;
        Ok(SignUpOutcome::SignedIn(session.stamped(now_secs())))
    } else {
        Ok(SignUpOutcome::ConfirmationSent)
    }
}

/// `POST /auth/v1/token?grant_type=password`.
pub async fn sign_in_with_password(email: &str, password: &str) -> Result<AuthSession, ApiError> {
    let body = json!({ "email": email, "password": password });
    let session: AuthSession = send_json(call(Method::POST, "/token?grant_type=password", None), body).await?;
    Ok(session.stamped(now_secs()))
}

/// `POST /auth/v1/token?grant_type=refresh_token`: a new session (the refresh token rotates).
pub async fn refresh_session(refresh_token: &str) -> Result<AuthSession, ApiError> {
    let body = json!({ "refresh_token": refresh_token });
    let session: AuthSession = send_json(call(Method::POST, "/token?grant_type=refresh_token", None), body).await?;
    Ok(session.stamped(now_secs()))
}

/// `GET /auth/v1/user` as the holder of `access_token`.
pub async fn get_user(access_token: &str) -> Result<AuthUser, ApiError> {
    parse(http::send(call(Method::GET, "/user", Some(access_token))).await?).await
}

/// `PUT /auth/v1/user` with a new password, as the holder of `access_token` (what supabase-js
/// `updateUser({ password })` sends). GoTrue answers with the user; the session stays valid.
pub async fn update_password(access_token: &str, password: &str) -> Result<AuthUser, ApiError> {
    let body = json!({ "password": password });
    send_json(call(Method::PUT, "/user", Some(access_token)), body).await
}

/// `POST /auth/v1/logout` (scope `global`, 204 on success) as the holder of `access_token`.
pub async fn sign_out(access_token: &str) -> Result<(), ApiError> {
    http::send(call(Method::POST, "/logout", Some(access_token))).await.map(|_| ())
}
