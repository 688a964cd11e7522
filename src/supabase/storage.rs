//! Storage (`/storage/v1`) as storage-js calls it: uploads, public and download URLs, listing
//! and removing objects, each as the caller so the bucket's policies decide.

use gloo_net::http::Method;
use serde::Deserialize;
use serde_json::json;

use super::http::{self, Body, Call, Service};
use super::{config, ApiError};

fn base() -> String {
    format!("{}/storage/v1", config::get().supabase_url)
}

/// A Storage call as the holder of `access_token`.
fn call(method: Method, url: String, access_token: &str) -> Call<'_> {
    Call::new(Service::Storage, method, url, Some(access_token))
}

/// Encodes each segment of an object path, keeping the `/` between them.
pub fn encode_path(path: &str) -> String {
    path.split('/').map(|segment| String::from(js_sys::encode_uri_component(segment))).collect::<Vec<_>>().join("/")
}

/// The stable public URL of an object in a public bucket.
pub fn public_url(bucket: &str, path: &str) -> String {
    format!("{}/object/public/{bucket}/{}", base(), encode_path(path))
}

/// A URL that makes the browser save the file as `file_name`. Storage's `?download=` sets
/// `Content-Disposition: attachment`, which works across origins where the `download`
/// attribute of a link is ignored.
pub fn download_url(url: &str, file_name: &str) -> String {
    let separator = if url.contains('?') { '&' } else { '?' };
    format!("{url}{separator}download={}", String::from(js_sys::encode_uri_component(file_name)))
}

async fn send(call: Call<'_>, body: serde_json::Value) -> Result<String, ApiError> {
    http::send(call.json(&body)).await?.text().await
}

/// Uploads `bytes` to `bucket/path` (replacing an existing object when `upsert`).
pub async fn upload(
    bucket: &str,
    path: &str,
    bytes: &[u8],
    content_type: &str,
    upsert: bool,
    access_token: &str,
) -> Result<(), ApiError> {
    let url = format!("{}/object/{bucket}/{}", base(), encode_path(path));
    let array = js_sys::Uint8Array::from(bytes);
    let upload = call(Method::POST, url, access_token)
        .header("Content-Type", content_type)
        .header("x-upsert", if upsert { "true" } else { "false" })
        .body(Body::Bytes(array));
    http::send(upload).await.map(|_| ())
}

/// Names of the objects directly under `prefix` (a folder, without a trailing slash).
pub async fn list(bucket: &str, prefix: &str, access_token: &str) -> Result<Vec<String>, ApiError> {
    #[derive(Deserialize)]
    struct Entry {
        name: String,
    }
    let url = format!("{}/object/list/{bucket}", base());
    let body = json!({ "prefix": prefix, "limit": 100, "offset": 0 });
    let text = send(call(Method::POST, url, access_token), body).await?;
    let entries: Vec<Entry> = serde_json::from_str(&text).map_err(|e| ApiError::Decode(e.to_string()))?;
    Ok(entries.into_iter().map(|e| e.name).collect())
}

/// Removes objects by path; paths that do not exist are skipped, as Storage does.
pub async fn remove(bucket: &str, paths: &[String], access_token: &str) -> Result<(), ApiError> {
    if paths.is_empty() {
        return Ok(());
    }
    let url = format!("{}/object/{bucket}", base());
    send(call(Method::DELETE, url, access_token), json!({ "prefixes": paths })).await.map(|_| ())
}
