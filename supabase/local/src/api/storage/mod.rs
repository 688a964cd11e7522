//! Storage (`/storage/v1`): objects on disk, rows in `storage.objects`, and every row access
//! run as the caller so the project's storage policies decide, as Supabase Storage does.
//! Reads Storage does as its superuser (public buckets, signed URLs, bucket limits) use the
//! admin pool.
pub mod body;
pub mod buckets;
pub mod disk;
pub mod error;
pub mod list;
pub mod objects;
pub mod render;
pub mod signed;

use crate::api::{bearer, SharedState};
use crate::postgres::caller_tx::{headers_json, Caller, CallerTx, RequestInfo};
use axum::http::HeaderMap;
use axum::routing::{get, post};
use axum::Router;
use error::StorageError;
use serde_json::{Map, Value};

/// The storage routes, relative to `/storage/v1`. Uploads take the raw body (which the API-wide
/// body limit does not cover) and enforce the bucket's limit and `[storage] file_size_limit`
/// themselves; the JSON routes keep the API-wide limit.
pub fn router() -> Router<SharedState> {
    Router::new()
        .route("/bucket", get(buckets::list).post(buckets::create))
        .route("/bucket/{id}", get(buckets::get_one))
        .route("/object/list/{bucket}", post(list::list))
        .route("/object/sign/{bucket}", post(signed::sign_many))
        .route("/object/sign/{bucket}/{*name}", post(signed::sign_one).get(signed::fetch))
        .route("/object/public/{bucket}/{*name}", get(objects::get_public))
        .route("/object/authenticated/{bucket}/{*name}", get(objects::get_authenticated))
        .route("/object/{bucket}", axum::routing::delete(objects::delete_many))
        .route(
            "/object/{bucket}/{*name}",
            get(objects::get_object).post(objects::create).put(objects::update).delete(objects::delete_one),
        )
        // Fastify has no 405: a method a path does not serve is a route Storage does not have.
        .method_not_allowed_fallback(not_found)
        .fallback(not_found)
}

/// Fastify's answer to a route Storage does not have (a JSON 404, whatever the method).
async fn not_found(method: axum::http::Method, uri: axum::http::Uri) -> axum::response::Response {
    use axum::response::IntoResponse;
    let message = format!("Route {method}:{} not found", uri.path());
    let body = serde_json::json!({"statusCode": 404, "error": "Not Found", "message": message});
    (axum::http::StatusCode::NOT_FOUND, axum::Json(body)).into_response()
}

/// True for the paths that serve bytes without an api key (public and signed-URL downloads).
pub fn is_keyless(method: &axum::http::Method, path: &str) -> bool {
    let read = matches!(*method, axum::http::Method::GET | axum::http::Method::HEAD);
    read && (path.starts_with("/storage/v1/object/public/") || path.starts_with("/storage/v1/object/sign/"))
}

/// Maps a JWT failure to the message jose (Storage's JWT library) gives.
pub(crate) fn jwt_message(e: &crate::jwt::JwtError) -> &'static str {
    match e {
        crate::jwt::JwtError::Expired => "\"exp\" claim timestamp check failed",
        crate::jwt::JwtError::Signature => "signature verification failed",
        _ => "Invalid Compact JWS",
    }
}

/// The caller as Storage's JWT plugin derives it: a bad or missing JWT is AccessDenied, or
/// `anon` on the routes that allow an invalid JWT.
pub fn caller(state: &SharedState, headers: &HeaderMap, allow_invalid: bool) -> Result<Caller, StorageError> {
    let verified = match bearer(headers) {
        Some(t) => crate::jwt::verify(t, &state.secret, crate::jwt::now(), 0).map_err(|e| jwt_message(&e)),
        None => Err("Invalid Compact JWS"),
    };
    match verified {
        Ok(claims) => Ok(Caller::from_claims(claims)),
        Err(_) if allow_invalid => Ok(Caller::anon()),
        Err(m) => Err(StorageError::access_denied(m)),
    }
}

/// Opens the caller's transaction (role and `request.jwt.claims` set).
pub async fn begin(
    state: &SharedState,
    caller: Caller,
    read_only: bool,
    method: &str,
    path: &str,
    headers: &HeaderMap,
) -> Result<CallerTx, StorageError> {
    let info = RequestInfo { read_only, method, path, headers_json: headers_json(headers) };
    CallerTx::begin(&state.storage, caller, info).await.map_err(|e| StorageError::from_pool(&e))
}

/// A bucket as Storage reads it with its superuser.
pub struct Bucket {
    pub id: String,
    pub public: bool,
    pub file_size_limit: Option<i64>,
    pub allowed_mime_types: Vec<String>,
}

pub async fn find_bucket(state: &SharedState, id: &str) -> Result<Bucket, StorageError> {
    let db = state.storage_admin.get().await.map_err(|e| StorageError::from_pool(&e))?;
    let row = db
        .query_opt("select id, coalesce(public, false), file_size_limit, coalesce(allowed_mime_types, '{}') from storage.buckets where id = $1", &[&id])
        .await
        .map_err(|e| StorageError::from_pg(&e))?
        .ok_or_else(StorageError::no_such_bucket)?;
    Ok(Bucket { id: row.get(0), public: row.get(1), file_size_limit: row.get(2), allowed_mime_types: row.get(3) })
}

/// Reads a JSON request body; a missing or malformed one fails like Storage's schema check.
pub fn json_body(body: &[u8]) -> Result<Map<String, Value>, StorageError> {
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(m)) => Ok(m),
        _ if body.is_empty() => Err(StorageError::validation("body must be object")),
        _ => Err(StorageError::validation("Body is not valid JSON but content-type is set to 'application/json'")),
    }
}

/// SQL that renders a timestamptz the way Storage's JSON does (`2026-01-01T00:00:00.000Z`).
pub fn iso(col: &str) -> String {
    format!("to_char({col} at time zone 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')")
}
