//! GoTrue calls (`/auth/v1`) over gloo-net, sent the way auth-js sends them: `apikey`,
//! `Authorization: Bearer <key or user token>`, `X-Supabase-Api-Version`, JSON bodies.

use gloo_net::http::{Request, RequestBuilder, Response};
use serde::de::DeserializeOwned;
use serde_json::json;

use super::{config, ApiError, API_VERSION};
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

fn request(builder: RequestBuilder, bearer: Option<&str>) -> RequestBuilder {
    let key = &config::get().anon_key;
    builder
        .header("apikey", key)
        .header("Authorization", &format!("Bearer {}", bearer.unwrap_or(key)))
        .header("X-Supabase-Api-Version", API_VERSION)
}

fn url(path: &str) -> String {
    format!("{}{path}", config::get().auth_url())
}

async fn send_json(builder: RequestBuilder, body: serde_json::Value) -> Result<Response, ApiError> {
    let response = builder
        .json(&body)
        .map_err(|e| ApiError::Decode(e.to_string()))?
        .send()
        .await
        .map_err(|e| ApiError::Network(e.to_string()))?;
    check(response).await
}

async fn check(response: Response) -> Result<Response, ApiError> {
    if response.ok() {
        Ok(response)
    } else {
        let retry_after = response.headers().get("retry-after");
        let body = response.text().await.unwrap_or_default();
        Err(ApiError::from_auth_response(response.status(), retry_after.as_deref(), &body))
    }
}

async fn parse<T: DeserializeOwned>(response: Response) -> Result<T, ApiError> {
    let text = response.text().await.map_err(|e| ApiError::Network(e.to_string()))?;
    serde_json::from_str(&text).map_err(|e| ApiError::Decode(e.to_string()))
}

/// `POST /auth/v1/signup` with email and password.
pub async fn sign_up(email: &str, password: &str) -> Result<SignUpOutcome, ApiError> {
    let body = json!({ "email": email, "password": password, "data": {} });
    let response = send_json(request(Request::post(&url("/signup")), None), body).await?;
    let value: serde_json::Value = parse(response).await?;
    if value.get("access_token").is_some() {
        let session: AuthSession = serde_json::from_value(value).map_err(|e| ApiError::Decode(e.to_string()))?;
        Ok(SignUpOutcome::SignedIn(session.stamped(now_secs())))
    } else {
        Ok(SignUpOutcome::ConfirmationSent)
    }
}

/// `POST /auth/v1/token?grant_type=password`.
pub async fn sign_in_with_password(email: &str, password: &str) -> Result<AuthSession, ApiError> {
    let body = json!({ "email": email, "password": password });
    let builder = request(Request::post(&url("/token?grant_type=password")), None);
    let session: AuthSession = parse(send_json(builder, body).await?).await?;
    Ok(session.stamped(now_secs()))
}

/// `POST /auth/v1/token?grant_type=refresh_token`: a new session (the refresh token rotates).
pub async fn refresh_session(refresh_token: &str) -> Result<AuthSession, ApiError> {
    let body = json!({ "refresh_token": refresh_token });
    let builder = request(Request::post(&url("/token?grant_type=refresh_token")), None);
    let session: AuthSession = parse(send_json(builder, body).await?).await?;
    Ok(session.stamped(now_secs()))
}

/// `GET /auth/v1/user` as the holder of `access_token`.
pub async fn get_user(access_token: &str) -> Result<AuthUser, ApiError> {
    let response = request(Request::get(&url("/user")), Some(access_token))
        .send()
        .await
        .map_err(|e| ApiError::Network(e.to_string()))?;
    parse(check(response).await?).await
}

/// `PUT /auth/v1/user` with a new password, as the holder of `access_token` (what supabase-js
/// `updateUser({ password })` sends). GoTrue answers with the user; the session stays valid.
pub async fn update_password(access_token: &str, password: &str) -> Result<AuthUser, ApiError> {
    let body = json!({ "password": password });
    parse(send_json(request(Request::put(&url("/user")), Some(access_token)), body).await?).await
}

/// `POST /auth/v1/logout` (scope `global`, 204 on success) as the holder of `access_token`.
pub async fn sign_out(access_token: &str) -> Result<(), ApiError> {
    let response = request(Request::post(&url("/logout")), Some(access_token))
        .send()
        .await
        .map_err(|e| ApiError::Network(e.to_string()))?;
    check(response).await.map(|_| ())
}
