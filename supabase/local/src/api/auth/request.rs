//! What every auth handler shares: reading the JSON body, answering with the request's API
//! version (a route middleware), and one transaction per request.
use super::pg_err;
use crate::api::error::ApiError;
use crate::api::AppState;
use crate::postgres::pool::Pooled;
use axum::body::Bytes;
use axum::extract::Request;
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde_json::Value;

/// Route middleware for the auth handlers, which answer `Result<_, ApiError>`: a handler's
/// error takes the format the request's `X-Supabase-Api-Version` selects (GoTrue's errors
/// leave `into_response` with themselves in the response's extensions for this), and the
/// handler's answers, successes and errors, echo that header. Extractor rejections (4xx
/// without an error attached) pass unchanged, as they never reached the handler.
pub async fn api_version(req: Request, next: Next) -> Response {
    let version = req.headers().get("x-supabase-api-version").and_then(|v| v.to_str().ok()).map(str::to_string);
    let mut res = next.run(req).await;
    let Some(version) = version else {
        return res;
    };
    if let Some(e) = res.extensions_mut().remove::<ApiError>() {
        res = e.with_api_version(Some(&version)).into_response();
    } else if !res.status().is_success() {
        return res;
    }
    if let Ok(v) = HeaderValue::from_str(&version) {
        res.headers_mut().insert("x-supabase-api-version", v);
    }
    res
}

/// The request body as a JSON object (an empty body is `{}`), or GoTrue's 400 `bad_json`.
pub fn parse_body(body: &Bytes) -> Result<Value, ApiError> {
    let text = if body.is_empty() { b"{}".as_slice() } else { body.as_ref() };
    serde_json::from_slice::<Value>(text)
        .map_err(|e| ApiError::auth(400, "bad_json", format!("Could not parse request body as JSON: {e}")))
        .and_then(|v| {
            if v.is_object() {
                Ok(v)
            } else {
                Err(ApiError::auth(400, "bad_json", "Could not parse request body as JSON: expected an object"))
            }
        })
}

/// The request body decoded into `T` (an empty body is `{}`); a malformed body or a field of
/// the wrong JSON type is GoTrue's 400 `bad_json`, as Go's JSON decoder reports it.
pub fn parse_params<T: serde::de::DeserializeOwned>(body: &Bytes) -> Result<T, ApiError> {
    let text = if body.is_empty() { b"{}".as_slice() } else { body.as_ref() };
    serde_json::from_slice(text)
        .map_err(|e| ApiError::auth(400, "bad_json", format!("Could not parse request body as JSON: {e}")))
}

/// A string field of the body; absent or not a string reads as "".
pub fn field<'a>(body: &'a Value, key: &str) -> &'a str {
    body.get(key).and_then(Value::as_str).unwrap_or("")
}

/// True when a string or key anywhere in `v` holds U+0000 (PostgreSQL's jsonb refuses it).
pub fn has_nul(v: &Value) -> bool {
    match v {
        Value::String(s) => s.contains('\0'),
        Value::Array(a) => a.iter().any(has_nul),
        Value::Object(o) => o.iter().any(|(k, v)| k.contains('\0') || has_nul(v)),
        _ => false,
    }
}

pub async fn begin(state: &AppState) -> Result<Pooled, ApiError> {
    let mut db = super::connection(state).await?;
    db.clean = false;
    db.batch_execute("begin").await.map_err(pg_err)?;
    Ok(db)
}

/// Commits when `result` is Ok, rolls back otherwise, and hands `result` on.
pub async fn finish<T>(mut db: Pooled, result: Result<T, ApiError>) -> Result<T, ApiError> {
    let end = if result.is_ok() { "commit" } else { "rollback" };
    match db.batch_execute(end).await {
        Ok(()) => db.clean = true,
        Err(e) if result.is_ok() => return Err(pg_err(e)),
        Err(_) => {}
    }
    result
}
