//! Upload, download and delete of single objects (`/object/{bucket}/{name}` and friends).
use super::body::{check_mime, parse, read_limited, Framing};
use super::disk::{self, valid_bucket, valid_key};
use super::error::StorageError;
use super::render::{render, ObjectMeta};
use super::{begin, caller, find_bucket};
use crate::api::SharedState;
use axum::body::{Body, Bytes};
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Json, Response};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use std::collections::HashMap;

type Params = HashMap<String, String>;

pub async fn create(
    State(state): State<SharedState>,
    Path((bucket, name)): Path<(String, String)>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, StorageError> {
    let upsert = headers.get("x-upsert").and_then(|v| v.to_str().ok()) == Some("true");
    upload(&state, &bucket, &name, &headers, body, upsert, "POST").await
}

pub async fn update(
    State(state): State<SharedState>,
    Path((bucket, name)): Path<(String, String)>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, StorageError> {
    upload(&state, &bucket, &name, &headers, body, true, "PUT").await
}

const INSERT: &str = "insert into storage.objects (id, bucket_id, name, owner, owner_id, metadata, user_metadata, version)
     values ($1::text::uuid, $2, $3, $4, $5, $6::jsonb || jsonb_build_object('lastModified', to_char(now() at time zone 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')), $7, $8)";
const UPSERT_TAIL: &str =
    " on conflict (bucket_id, name) do update set owner = excluded.owner, owner_id = excluded.owner_id,
     metadata = excluded.metadata, user_metadata = excluded.user_metadata, version = excluded.version,
     updated_at = now(), last_accessed_at = now() returning id::text";

/// Storage's upload: the row is written as the caller first (RLS decides), then the bytes,
/// then the transaction commits.
async fn upload(
    state: &SharedState,
    bucket: &str,
    name: &str,
    headers: &HeaderMap,
    body: Body,
    upsert: bool,
    method: &str,
) -> Result<Response, StorageError> {
    let caller = caller(state, headers, false)?;
    valid_bucket(bucket).map_err(|_| StorageError::no_such_bucket())?;
    valid_key(name)?;
    let b = find_bucket(state, bucket).await?;
    // The framing comes from the headers alone. A bad one is refused once the body (within the
    // size limit) has been read, so the client gets the answer rather than a reset connection,
    // and before any parsing.
    let framing = Framing::of(headers);
    let global = disk::global_limit(&state.settings.project_dir);
    // As Storage: a folder placeholder skips the MIME check, so it may hold nothing at all
    // (otherwise any content type could be stored under that name and served back).
    let placeholder = name.ends_with(".emptyFolderPlaceholder");
    let limit = match b.file_size_limit.and_then(|l| u64::try_from(l).ok()) {
        _ if placeholder => 0,
        Some(l) => l.min(global),
        None => global,
    };
    let multipart = framing.as_ref().map_or(true, Framing::is_multipart);
    let raw = read_limited(headers, body, limit, multipart).await?;
    let framing = framing?;
    let file = parse(&framing, headers, raw)?;
    if file.bytes.len() as u64 > limit {
        return Err(StorageError::entity_too_large());
    }
    if !placeholder {
        check_mime(&file.mimetype, &b.allowed_mime_types)?;
    }
    let size = file.bytes.len() as i64;
    let etag =
        format!("\"{}\"", Sha256::digest(&file.bytes).iter().take(16).map(|b| format!("{b:02x}")).collect::<String>());
    let metadata = json!({"eTag": etag, "size": size, "mimetype": file.mimetype, "cacheControl": file.cache_control,
        "contentLength": size, "httpStatusCode": 200});
    let owner_id = caller.user_id();
    let owner = owner_id.as_deref().and_then(|s| uuid::Uuid::parse_str(s).ok());
    let (id, version) = (uuid::Uuid::new_v4().to_string(), uuid::Uuid::new_v4().to_string());

    let path = format!("/object/{bucket}/{name}");
    let tx = begin(state, caller, false, method, &path, headers).await?;
    let result = async {
        let params: [&(dyn tokio_postgres::types::ToSql + Sync); 8] =
            [&id, &bucket, &name, &owner, &owner_id, &metadata, &file.user_metadata, &version];
        let id = if upsert {
            let row = tx
                .query_one(&format!("{INSERT}{UPSERT_TAIL}"), &params)
                .await
                .map_err(|e| StorageError::from_pg(&e))?;
            row.get::<_, String>(0)
        } else {
            tx.execute(INSERT, &params).await.map_err(|e| match StorageError::from_pg(&e) {
                e if e.code == "ResourceAlreadyExists" => StorageError::key_exists(),
                e => e,
            })?;
            id
        };
        disk::write(&disk::object_path(&state.settings.data_dir, bucket, name), &file.bytes).await?;
        Ok(id)
    }
    .await;
    let id = tx.finish(result, |e| StorageError::from_pg(&e)).await?;
    Ok(Json(json!({"Key": format!("{bucket}/{name}"), "Id": id})).into_response())
}

const FIND: &str = "select metadata, to_char(updated_at at time zone 'UTC', 'Dy, DD Mon YYYY HH24:MI:SS \"GMT\"')
     from storage.objects where bucket_id = $1 and name = $2";

/// Finds an object's row with the admin pool (Storage's superuser): no RLS.
pub async fn find_as_admin(state: &SharedState, bucket: &str, name: &str) -> Result<ObjectMeta, StorageError> {
    let db = state.storage_admin.get().await.map_err(|e| StorageError::from_pool(&e))?;
    let row = db.query_opt(FIND, &[&bucket, &name]).await.map_err(|e| StorageError::from_pg(&e))?;
    let row = row.ok_or_else(StorageError::no_such_key)?;
    Ok(ObjectMeta { metadata: row.get::<_, Option<Value>>(0).unwrap_or(Value::Null), last_modified: row.get(1) })
}

pub async fn get_object(
    State(state): State<SharedState>,
    Path((bucket, name)): Path<(String, String)>,
    Query(q): Query<Params>,
    headers: HeaderMap,
) -> Result<Response, StorageError> {
    download(&state, &bucket, &name, &q, &headers, true).await
}

pub async fn get_authenticated(
    State(state): State<SharedState>,
    Path((bucket, name)): Path<(String, String)>,
    Query(q): Query<Params>,
    headers: HeaderMap,
) -> Result<Response, StorageError> {
    download(&state, &bucket, &name, &q, &headers, false).await
}

/// Storage's getObject: public buckets are read without RLS; private ones as the caller.
async fn download(
    state: &SharedState,
    bucket: &str,
    name: &str,
    q: &Params,
    headers: &HeaderMap,
    allow_invalid: bool,
) -> Result<Response, StorageError> {
    let (who, authenticated) = match caller(state, headers, false) {
        Ok(c) => (c, true),
        Err(_) if allow_invalid => (crate::postgres::caller_tx::Caller::anon(), false),
        Err(e) => return Err(e),
    };
    valid_bucket(bucket).map_err(|_| StorageError::no_such_bucket())?;
    valid_key(name).map_err(|_| StorageError::no_such_key())?;
    let b = find_bucket(state, bucket).await?;
    if !authenticated && !b.public {
        return Err(StorageError::no_such_bucket());
    }
    let meta = if b.public {
        find_as_admin(state, bucket, name).await?
    } else {
        let path = format!("/object/{bucket}/{name}");
        let tx = begin(state, who, true, "GET", &path, headers).await?;
        let found = tx.query_opt(FIND, &[&bucket, &name]).await.map_err(|e| StorageError::from_pg(&e));
        let row = tx.finish(found, |e| StorageError::from_pg(&e)).await?.ok_or_else(StorageError::no_such_key)?;
        ObjectMeta { metadata: row.get::<_, Option<Value>>(0).unwrap_or(Value::Null), last_modified: row.get(1) }
    };
    render(state, &b.id, name, meta, q, headers, None).await
}

/// `/object/public/{bucket}/{name}`: public buckets only, no auth at all.
pub async fn get_public(
    State(state): State<SharedState>,
    Path((bucket, name)): Path<(String, String)>,
    Query(q): Query<Params>,
    headers: HeaderMap,
) -> Result<Response, StorageError> {
    valid_bucket(&bucket).map_err(|_| StorageError::no_such_bucket())?;
    valid_key(&name).map_err(|_| StorageError::no_such_key())?;
    let b = find_bucket(&state, &bucket).await?;
    if !b.public {
        return Err(StorageError::no_such_bucket());
    }
    let meta = find_as_admin(&state, &bucket, &name).await?;
    render(&state, &bucket, &name, meta, &q, &headers, None).await
}

/// Storage's deleteObject: 404 if the object does not exist, AccessDenied if RLS hides it.
pub async fn delete_one(
    State(state): State<SharedState>,
    Path((bucket, name)): Path<(String, String)>,
    headers: HeaderMap,
) -> Result<Response, StorageError> {
    let who = caller(&state, &headers, false)?;
    valid_bucket(&bucket).map_err(|_| StorageError::no_such_bucket())?;
    valid_key(&name).map_err(|_| StorageError::no_such_key())?;
    find_as_admin(&state, &bucket, &name).await?;
    let path = format!("/object/{bucket}/{name}");
    let tx = begin(&state, who, false, "DELETE", &path, &headers).await?;
    let sql = "delete from storage.objects where bucket_id = $1 and name = $2";
    let deleted = tx.execute(sql, &[&bucket, &name]).await.map_err(|e| StorageError::from_pg(&e)).and_then(|n| {
        if n == 0 {
            Err(StorageError::access_denied("Access denied"))
        } else {
            Ok(())
        }
    });
    tx.finish(deleted, |e| StorageError::from_pg(&e)).await?;
    disk::remove(&disk::object_path(&state.settings.data_dir, &bucket, &name)).await;
    Ok(Json(json!({"message": "Successfully deleted"})).into_response())
}

/// `DELETE /object/{bucket}` `{"prefixes": [...]}`: deletes what RLS lets the caller delete and
/// returns those rows.
pub async fn delete_many(
    State(state): State<SharedState>,
    Path(bucket): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, StorageError> {
    let who = caller(&state, &headers, false)?;
    valid_bucket(&bucket).map_err(|_| StorageError::no_such_bucket())?;
    let req = super::json_body(&body)?;
    let prefixes: Vec<String> = match req.get("prefixes") {
        Some(Value::Array(items)) if !items.is_empty() => items
            .iter()
            .map(|v| v.as_str().map(str::to_string))
            .collect::<Option<_>>()
            .ok_or_else(|| StorageError::validation("body/prefixes/0 must be string"))?,
        Some(Value::Array(_)) => {
            return Err(StorageError::validation("body/prefixes must NOT have fewer than 1 items"))
        }
        _ => return Err(StorageError::validation("body must have required property 'prefixes'")),
    };
    prefixes.iter().try_for_each(|p| disk::storable(p))?;
    let path = format!("/object/{bucket}");
    let tx = begin(&state, who, false, "DELETE", &path, &headers).await?;
    let sql = format!(
        "with d as (delete from storage.objects where bucket_id = $1 and name = any($2) returning *)
         select coalesce(jsonb_agg(jsonb_build_object('bucket_id', bucket_id, 'name', name, 'owner', owner,
           'owner_id', owner_id, 'id', id, 'updated_at', {u}, 'created_at', {c}, 'last_accessed_at', {l},
           'metadata', metadata, 'user_metadata', user_metadata, 'version', version)), '[]')::text,
           coalesce(array_agg(name), '{{}}') from d",
        u = super::iso("updated_at"),
        c = super::iso("created_at"),
        l = super::iso("last_accessed_at")
    );
    let row = tx.query_one(&sql, &[&bucket, &prefixes]).await.map_err(|e| StorageError::from_pg(&e));
    let row = tx.finish(row, |e| StorageError::from_pg(&e)).await?;
    let (json, names): (String, Vec<String>) = (row.get(0), row.get(1));
    for n in names.iter().filter(|n| valid_key(n).is_ok()) {
        disk::remove(&disk::object_path(&state.settings.data_dir, &bucket, n)).await;
    }
    let mut r = json.into_response();
    r.headers_mut().insert(
        axum::http::header::CONTENT_TYPE,
        axum::http::HeaderValue::from_static("application/json; charset=utf-8"),
    );
    Ok(r)
}
