//! `POST /object/list/{bucket}`: one folder level under a prefix, as Storage's `storage.search`
//! returns it (folders as entries with `id: null`), read as the caller so RLS decides.
use super::error::StorageError;
use super::{begin, caller, iso, json_body};
use crate::api::SharedState;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use serde_json::Value;

/// Parsed list options, validated the way Storage's route schema does.
struct Options {
    prefix: String,
    search: String,
    limit: i64,
    offset: i64,
    column: &'static str,
    desc: bool,
}

fn options(body: &[u8]) -> Result<Options, StorageError> {
    let b = json_body(body)?;
    let prefix = match b.get("prefix") {
        Some(Value::String(p)) => p.clone(),
        Some(_) => return Err(StorageError::validation("body/prefix must be string")),
        None => return Err(StorageError::validation("body must have required property 'prefix'")),
    };
    let int = |k: &str, min: i64, default: i64| match b.get(k) {
        None | Some(Value::Null) => Ok(default),
        Some(v) => v
            .as_i64()
            .filter(|n| *n >= min)
            .ok_or_else(|| StorageError::validation(format!("body/{k} must be integer >= {min}"))),
    };
    let sort = b.get("sortBy").and_then(Value::as_object);
    let column = match sort.and_then(|s| s.get("column")).and_then(Value::as_str).unwrap_or("name") {
        "name" => "name",
        "updated_at" => "updated_at",
        "created_at" => "created_at",
        "last_accessed_at" => "last_accessed_at",
        _ => return Err(StorageError::validation("body/sortBy/column must be equal to one of the allowed values")),
    };
    let desc = match sort.and_then(|s| s.get("order")).and_then(Value::as_str).unwrap_or("asc") {
        "asc" => false,
        "desc" => true,
        _ => return Err(StorageError::validation("body/sortBy/order must be equal to one of the allowed values")),
    };
    Ok(Options {
        prefix,
        search: b.get("search").and_then(Value::as_str).unwrap_or("").to_string(),
        limit: int("limit", 1, 100)?.min(1500),
        offset: int("offset", 0, 0)?,
        column,
        desc,
    })
}

fn escape_like(s: &str) -> String {
    s.chars().flat_map(|c| if matches!(c, '%' | '_' | '\\') { vec!['\\', c] } else { vec![c] }).collect()
}

fn sql(o: &Options) -> String {
    let dir = if o.desc { "desc" } else { "asc" };
    let order = if o.column == "name" {
        format!("name collate \"C\" {dir}")
    } else {
        format!("kind, case when kind = 0 then name end collate \"C\" {dir}, {} {dir}", o.column)
    };
    format!(
        "with m as (
           select * from storage.objects
           where bucket_id = $1 and lower(name) like lower($2) escape '\\' and array_length(path_tokens, 1) >= $3),
         entries as (
           select distinct path_tokens[$3] as name, null::uuid as id, null::timestamptz as updated_at,
                  null::timestamptz as created_at, null::timestamptz as last_accessed_at, null::jsonb as metadata, 0 as kind
           from m where array_length(path_tokens, 1) > $3
           union all
           select path_tokens[$3], id, updated_at, created_at, last_accessed_at, metadata, 1
           from m where array_length(path_tokens, 1) = $3),
         page as (select *, row_number() over (order by {order}) as n from entries order by {order} limit $4 offset $5)
         select coalesce(jsonb_agg(jsonb_build_object('name', name, 'id', id, 'updated_at', {u}, 'created_at', {c},
                'last_accessed_at', {l}, 'metadata', metadata) order by n), '[]')::text from page",
        u = iso("updated_at"),
        c = iso("created_at"),
        l = iso("last_accessed_at"),
    )
}

pub async fn list(
    State(state): State<SharedState>,
    Path(bucket): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, StorageError> {
    let who = caller(&state, &headers, false)?;
    super::disk::valid_bucket(&bucket).map_err(|_| StorageError::no_such_bucket())?;
    let mut o = options(&body)?;
    super::disk::storable(&o.prefix)?;
    super::disk::storable(&o.search)?;
    if !o.prefix.is_empty() && !o.prefix.ends_with('/') {
        o.prefix.push('/');
    }
    let levels = o.prefix.split('/').count() as i32;
    let pattern = format!("{}%", escape_like(&format!("{}{}", o.prefix, o.search)));
    let tx = begin(&state, who, true, "POST", &format!("/object/list/{bucket}"), &headers).await?;
    let row = tx.query_one(&sql(&o), &[&bucket, &pattern, &levels, &o.limit, &o.offset]).await;
    let row = tx.finish(row.map_err(|e| StorageError::from_pg(&e)), |e| StorageError::from_pg(&e)).await?;
    let mut res = row.get::<_, String>(0).into_response();
    res.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json; charset=utf-8"));
    Ok(res)
}
