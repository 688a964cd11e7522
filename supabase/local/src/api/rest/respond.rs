//! Response pieces shared by tables and RPC: media types, singular objects, JSON bodies.
//! Errors render through `ApiError`'s `IntoResponse`.
use crate::api::error::ApiError;
use axum::body::{Body, Bytes};
use axum::extract::rejection::BytesRejection;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;
use serde_json::Value;

pub const SINGULAR: &str = "application/vnd.pgrst.object+json";

pub fn wants_singular(headers: &HeaderMap) -> bool {
    headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()).is_some_and(|a| a.contains(SINGULAR))
}

pub fn not_singular(n: i64) -> ApiError {
    ApiError::rest(
        406,
        "PGRST116",
        "Cannot coerce the result to a single JSON object",
        Some(format!("The result contains {n} rows")),
    )
}

/// The body: the array, or its only element under the singular media type (406 otherwise).
pub fn shape(json: String, n: i64, singular: bool) -> Result<String, ApiError> {
    if !singular {
        return Ok(json);
    }
    if n != 1 {
        return Err(not_singular(n));
    }
    let v: Value = serde_json::from_str(&json).unwrap_or(Value::Null);
    Ok(v.get(0).cloned().unwrap_or(Value::Null).to_string())
}

pub fn response(
    status: StatusCode,
    body: Option<String>,
    singular: bool,
    content_range: Option<String>,
    applied: &[String],
) -> Response {
    let mut r = Response::new(body.map(Body::from).unwrap_or_default());
    *r.status_mut() = status;
    let h = r.headers_mut();
    let ct =
        if singular { "application/vnd.pgrst.object+json; charset=utf-8" } else { "application/json; charset=utf-8" };
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(ct));
    if let Some(v) = content_range.and_then(|c| HeaderValue::from_str(&c).ok()) {
        h.insert(header::CONTENT_RANGE, v);
    }
    if !applied.is_empty() {
        if let Ok(v) = HeaderValue::from_str(&applied.join(", ")) {
            h.insert("preference-applied", v);
        }
    }
    r
}

/// The request body, or PostgREST-shaped 413/400 when it could not be read.
pub fn body(body: Result<Bytes, BytesRejection>) -> Result<Bytes, ApiError> {
    body.map_err(|e| {
        let status = e.status().as_u16();
        let message = if status == 413 { "Payload Too Large".to_string() } else { "Empty or invalid json".to_string() };
        ApiError::rest(status, "PGRST102", message, Some(e.body_text()))
    })
}

pub fn invalid_json() -> ApiError {
    ApiError::rest(400, "PGRST102", "Empty or invalid json", None)
}

/// A JSON body as a list of objects plus the key set every row shares (PGRST102 otherwise);
/// with `columns` the key sets may differ and the columns are the keys.
pub fn rows(body: &Bytes, single_object: bool, columns: Option<&[String]>) -> Result<(String, Vec<String>), ApiError> {
    let v: Value = serde_json::from_slice(body).map_err(|_| invalid_json())?;
    let list = match v {
        Value::Object(_) => vec![v],
        Value::Array(items) if !single_object => items,
        _ => return Err(invalid_json()),
    };
    let mut keys: Option<Vec<String>> = None;
    for item in &list {
        let obj = item.as_object().ok_or_else(invalid_json)?;
        if columns.is_some() {
            continue;
        }
        let mut k: Vec<String> = obj.keys().cloned().collect();
        k.sort();
        match &keys {
            None => keys = Some(k),
            Some(prev) if *prev != k => {
                return Err(ApiError::rest(400, "PGRST102", "All object keys must match", None))
            }
            _ => {}
        }
    }
    let keys = match columns {
        Some(c) => c.to_vec(),
        None => keys.unwrap_or_default(),
    };
    Ok((Value::Array(list).to_string(), keys))
}
