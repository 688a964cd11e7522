//! Buckets: list and get as the caller (RLS on `storage.buckets` decides; service_role sees
//! all), and create (as the caller too, so only roles with an insert policy or service_role can).
use super::disk::{parse_size, valid_bucket};
use super::error::StorageError;
use super::{begin, caller, iso, json_body};
use crate::api::SharedState;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Json, Response};
use serde_json::{json, Value};
use std::collections::HashMap;

fn columns() -> String {
    format!(
        "jsonb_build_object('id', id, 'name', name, 'owner', coalesce(owner::text, ''), 'public', coalesce(public, false),
           'type', 'STANDARD', 'file_size_limit', file_size_limit, 'allowed_mime_types', allowed_mime_types,
           'created_at', {}, 'updated_at', {})",
        iso("created_at"),
        iso("updated_at")
    )
}

fn json_text(text: String) -> Response {
    let mut r = text.into_response();
    r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json; charset=utf-8"));
    r
}

/// An integer query parameter checked as Storage's route schema does (`minimum`), so a bad value
/// is a 400 with the schema's message rather than a database error.
fn query_int(q: &HashMap<String, String>, key: &str, min: i64) -> Result<Option<i64>, StorageError> {
    let Some(raw) = q.get(key) else {
        return Ok(None);
    };
    match raw.trim().parse::<i64>() {
        Ok(n) if n >= min => Ok(Some(n)),
        Ok(_) => Err(StorageError::validation(format!("querystring/{key} must be >= {min}"))),
        Err(_) => Err(StorageError::validation(format!("querystring/{key} must be integer"))),
    }
}

pub async fn list(
    State(state): State<SharedState>,
    Query(q): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Result<Response, StorageError> {
    let who = caller(&state, &headers, false)?;
    let limit = query_int(&q, "limit", 1)?.unwrap_or(i64::MAX);
    let offset = query_int(&q, "offset", 0)?.unwrap_or(0);
    let search = format!("%{}%", q.get("search").map(String::as_str).unwrap_or(""));
    let column = match q.get("sortColumn").map(String::as_str) {
        Some("id") => "id",
        Some("created_at") => "created_at",
        Some("updated_at") => "updated_at",
        _ => "name",
    };
    let dir = if q.get("sortOrder").map(String::as_str) == Some("desc") { "desc" } else { "asc" };
    let sql = format!(
        "select coalesce(jsonb_agg(b order by n), '[]')::text from (
           select {cols} as b, row_number() over (order by {column} {dir}) as n from storage.buckets
           where name ilike $1 order by {column} {dir} limit $2 offset $3) t",
        cols = columns()
    );
    let tx = begin(&state, who, true, "GET", "/bucket", &headers).await?;
    let row = tx.query_one(&sql, &[&search, &limit, &offset]).await;
    let row = tx.finish(row.map_err(|e| StorageError::from_pg(&e)), |e| StorageError::from_pg(&e)).await?;
    Ok(json_text(row.get(0)))
}

pub async fn get_one(
    State(state): State<SharedState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, StorageError> {
    let who = caller(&state, &headers, false)?;
    valid_bucket(&id).map_err(|_| StorageError::no_such_bucket())?;
    let tx = begin(&state, who, true, "GET", &format!("/bucket/{id}"), &headers).await?;
    let row = tx.query_opt(&format!("select {}::text from storage.buckets where id = $1", columns()), &[&id]).await;
    let row = tx.finish(row.map_err(|e| StorageError::from_pg(&e)), |e| StorageError::from_pg(&e)).await?;
    Ok(json_text(row.ok_or_else(StorageError::no_such_bucket)?.get(0)))
}

pub async fn create(
    State(state): State<SharedState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, StorageError> {
    let who = caller(&state, &headers, false)?;
    let b = json_body(&body)?;
    let name = b
        .get("name")
        .and_then(Value::as_str)
        .ok_or_else(|| StorageError::validation("body must have required property 'name'"))?
        .to_string();
    let id = b.get("id").and_then(Value::as_str).map_or(name.clone(), str::to_string);
    // As Storage's `isValidBucketName`: under 64 characters.
    let too_long = name.len() > 63 || id.len() > 63;
    if name.trim() != name || valid_bucket(&name).is_err() || valid_bucket(&id).is_err() || too_long {
        return Err(StorageError::invalid_bucket_name(&name));
    }
    let public = b.get("public").and_then(Value::as_bool).unwrap_or(false);
    let limit: Option<i64> =
        match b.get("file_size_limit") {
            None | Some(Value::Null) => None,
            Some(Value::Number(n)) => n.as_i64(),
            Some(Value::String(s)) => Some(parse_size(s).and_then(|n| i64::try_from(n).ok()).ok_or_else(|| {
                StorageError::no_content("Invalid file size format, hint: use 20GB / 20MB / 30KB / 3B")
            })?),
            Some(_) => return Err(StorageError::validation("body/file_size_limit must be integer,string")),
        };
    let mimes: Option<Vec<String>> = b
        .get("allowed_mime_types")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).filter(|m| !m.is_empty()).map(str::to_string).collect());
    let owner_id = who.user_id();
    let owner = owner_id.as_deref().and_then(|s| uuid::Uuid::parse_str(s).ok());
    let tx = begin(&state, who, false, "POST", "/bucket", &headers).await?;
    let sql = "insert into storage.buckets (id, name, owner, owner_id, public, file_size_limit, allowed_mime_types) values ($1, $2, $3, $4, $5, $6, $7)";
    let done = tx.execute(sql, &[&id, &name, &owner, &owner_id, &public, &limit, &mimes]).await.map_err(|e| {
        match StorageError::from_pg(&e) {
            e if e.code == "ResourceAlreadyExists" => StorageError::bucket_exists(),
            e => e,
        }
    });
    tx.finish(done, |e| StorageError::from_pg(&e)).await?;
    Ok(Json(json!({"name": name})).into_response())
}
