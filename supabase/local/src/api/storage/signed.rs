//! Signed URLs: `POST /object/sign/{bucket}/{name}` and the batch form create them for objects
//! the caller may read; `GET /object/sign/{bucket}/{name}?token=` serves them without auth.
//! The token is an HS256 JWT over `{url: "<bucket>/<name>", iat, exp}` with the stack secret.
use super::error::StorageError;
use super::objects::find_as_admin;
use super::render::render;
use super::{begin, caller, json_body};
use crate::api::SharedState;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Json, Response};
use serde_json::{json, Value};
use std::collections::HashMap;

/// The largest integer JavaScript holds exactly: a token's `exp` past it could not be read back
/// by JS clients (and `now + expiresIn` could overflow).
const MAX_EXPIRES_IN: i64 = (1 << 53) - 1;

fn expires_in(body: &serde_json::Map<String, Value>) -> Result<i64, StorageError> {
    match body.get("expiresIn") {
        None => Err(StorageError::validation("body must have required property 'expiresIn'")),
        Some(v) => match v.as_i64() {
            Some(n) if n > MAX_EXPIRES_IN => {
                Err(StorageError::validation(format!("body/expiresIn must be <= {MAX_EXPIRES_IN}")))
            }
            Some(n) if n >= 1 => Ok(n),
            Some(_) => Err(StorageError::validation("body/expiresIn must be >= 1")),
            None if v.is_u64() => Err(StorageError::validation(format!("body/expiresIn must be <= {MAX_EXPIRES_IN}"))),
            None => Err(StorageError::validation("body/expiresIn must be integer")),
        },
    }
}

fn token(state: &SharedState, url: &str, expires_in: i64) -> String {
    let now = crate::jwt::now();
    crate::jwt::sign(&json!({"url": url, "iat": now, "exp": now.saturating_add(expires_in)}), &state.secret)
}

/// The names among `names` that the caller can select in `bucket`.
async fn visible(
    state: &SharedState,
    headers: &HeaderMap,
    bucket: &str,
    names: &[String],
) -> Result<Vec<String>, StorageError> {
    let who = caller(state, headers, false)?;
    super::disk::valid_bucket(bucket).map_err(|_| StorageError::no_such_bucket())?;
    names.iter().try_for_each(|n| super::disk::storable(n))?;
    let tx = begin(state, who, true, "POST", &format!("/object/sign/{bucket}"), headers).await?;
    let rows =
        tx.query("select name from storage.objects where bucket_id = $1 and name = any($2)", &[&bucket, &names]).await;
    let rows = tx.finish(rows.map_err(|e| StorageError::from_pg(&e)), |e| StorageError::from_pg(&e)).await?;
    Ok(rows.iter().map(|r| r.get(0)).collect())
}

pub async fn sign_one(
    State(state): State<SharedState>,
    Path((bucket, name)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, StorageError> {
    let secs = expires_in(&json_body(&body)?)?;
    if visible(&state, &headers, &bucket, std::slice::from_ref(&name)).await?.is_empty() {
        return Err(StorageError::no_such_key());
    }
    let url = format!("{bucket}/{name}");
    let signed = format!("/object/sign/{url}?token={}", token(&state, &url, secs));
    Ok(Json(json!({"signedURL": signed})).into_response())
}

pub async fn sign_many(
    State(state): State<SharedState>,
    Path(bucket): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, StorageError> {
    let req = json_body(&body)?;
    let secs = expires_in(&req)?;
    let paths: Vec<String> = match req.get("paths") {
        Some(Value::Array(items)) if !items.is_empty() => items
            .iter()
            .map(|v| v.as_str().map(str::to_string))
            .collect::<Option<_>>()
            .ok_or_else(|| StorageError::validation("body/paths/0 must be string"))?,
        Some(Value::Array(_)) => return Err(StorageError::validation("body/paths must NOT have fewer than 1 items")),
        _ => return Err(StorageError::validation("body must have required property 'paths'")),
    };
    let found = visible(&state, &headers, &bucket, &paths).await?;
    let out: Vec<Value> = paths
        .iter()
        .map(|p| {
            if found.contains(p) {
                let url = format!("{bucket}/{p}");
                json!({"error": null, "path": p, "signedURL": format!("/object/sign/{url}?token={}", token(&state, &url, secs))})
            } else {
                json!({"error": "Either the object does not exist or you do not have access to it", "path": p, "signedURL": null})
            }
        })
        .collect();
    Ok(Json(Value::Array(out)).into_response())
}

/// An HTTP date (`Thu, 01 Jan 1970 00:00:00 GMT`) for a Unix time.
fn http_date(t: i64) -> String {
    let (days, secs) = (t.div_euclid(86_400), t.rem_euclid(86_400));
    // Civil-from-days (proleptic Gregorian), after H. Hinnant's public-domain algorithm.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    let wd = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"][days.rem_euclid(7) as usize];
    let mn = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][(month - 1) as usize];
    format!("{wd}, {day:02} {mn} {year} {:02}:{:02}:{:02} GMT", secs / 3600, secs % 3600 / 60, secs % 60)
}

/// Serves a signed URL: the token must verify and name exactly this object.
pub async fn fetch(
    State(state): State<SharedState>,
    Path((bucket, name)): Path<(String, String)>,
    Query(q): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Result<Response, StorageError> {
    let token =
        q.get("token").ok_or_else(|| StorageError::validation("querystring must have required property 'token'"))?;
    let claims = crate::jwt::verify(token, &state.secret, crate::jwt::now(), 0)
        .map_err(|e| StorageError::invalid_jwt(super::jwt_message(&e)))?;
    let url = claims.get("url").and_then(Value::as_str).unwrap_or("");
    if url != format!("{bucket}/{name}") {
        return Err(StorageError::invalid_signature());
    }
    super::disk::valid_bucket(&bucket).map_err(|_| StorageError::no_such_key())?;
    super::disk::valid_key(&name).map_err(|_| StorageError::no_such_key())?;
    let meta = find_as_admin(&state, &bucket, &name).await?;
    let expires = claims.get("exp").and_then(Value::as_i64).map(http_date);
    render(&state, &bucket, &name, meta, &q, &headers, expires).await
}

#[cfg(test)]
mod tests {
    #[test]
    fn http_dates() {
        assert_eq!(super::http_date(0), "Thu, 01 Jan 1970 00:00:00 GMT");
        assert_eq!(super::http_date(1_700_000_000), "Tue, 14 Nov 2023 22:13:20 GMT");
        assert_eq!(super::http_date(951_782_400), "Tue, 29 Feb 2000 00:00:00 GMT");
    }
}
