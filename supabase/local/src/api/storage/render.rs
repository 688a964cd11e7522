//! Serving an object's bytes with Storage's headers (renderer.ts): Content-Type from the
//! recorded mimetype, ETag, Last-Modified, Cache-Control (or Expires for signed URLs),
//! Accept-Ranges, single byte ranges, `If-None-Match`, and `?download[=name]`.
use super::disk;
use super::error::StorageError;
use crate::api::SharedState;
use axum::body::Body;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;
use serde_json::Value;
use std::collections::HashMap;

/// What a download needs from the object's row.
pub struct ObjectMeta {
    pub metadata: Value,
    /// `updated_at` as an HTTP date.
    pub last_modified: String,
}

fn set(h: &mut HeaderMap, name: header::HeaderName, value: &str) {
    if let Ok(v) = HeaderValue::from_str(value) {
        h.insert(name, v);
    }
}

/// `bytes=a-b`, `bytes=a-`, `bytes=-n` over `len` bytes → inclusive (start, end).
fn byte_range(spec: &str, len: u64) -> Option<(u64, u64)> {
    let (a, b) = spec.strip_prefix("bytes=")?.split_once('-')?;
    if len == 0 || b.contains(',') {
        return None;
    }
    let (start, end) = match (a.trim(), b.trim()) {
        ("", n) => (len.saturating_sub(n.parse().ok()?), len - 1),
        (s, "") => (s.parse().ok()?, len - 1),
        (s, e) => (s.parse().ok()?, e.parse::<u64>().ok()?.min(len - 1)),
    };
    (start <= end && start < len).then_some((start, end))
}

fn encode_component(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'!' | b'~' | b'*' | b'\'' | b'(' | b')' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Renders the object; `expires` (signed URLs) replaces Cache-Control with an Expires header.
pub async fn render(
    state: &SharedState,
    bucket: &str,
    name: &str,
    meta: ObjectMeta,
    q: &HashMap<String, String>,
    headers: &HeaderMap,
    expires: Option<String>,
) -> Result<Response, StorageError> {
    let bytes = disk::read(&disk::object_path(&state.settings.data_dir, bucket, name)).await?;
    let m = &meta.metadata;
    let text = |k: &str| m.get(k).and_then(Value::as_str).map(str::to_string);
    let etag = text("eTag");
    let mut res = Response::new(Body::empty());
    let h = res.headers_mut();
    set(h, header::CONTENT_TYPE, &text("mimetype").unwrap_or_else(|| "application/octet-stream".into()));
    set(h, header::ACCEPT_RANGES, "bytes");
    // Bytes are served from the API origin: browsers must not sniff them into another type.
    set(h, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    if let Some(e) = &etag {
        set(h, header::ETAG, e);
    }
    set(h, header::LAST_MODIFIED, &meta.last_modified);
    match expires {
        Some(exp) => set(h, header::EXPIRES, &exp),
        None => set(h, header::CACHE_CONTROL, &text("cacheControl").unwrap_or_else(|| "no-cache".into())),
    }
    if let Some(download) = q.get("download") {
        let value = if download.is_empty() {
            "attachment;".to_string()
        } else {
            let n = encode_component(download);
            format!("attachment; filename={n}; filename*=UTF-8''{n}")
        };
        set(h, header::CONTENT_DISPOSITION, &value);
    }
    let if_none_match = headers.get(header::IF_NONE_MATCH).and_then(|v| v.to_str().ok());
    if etag.is_some() && if_none_match == etag.as_deref() {
        *res.status_mut() = StatusCode::NOT_MODIFIED;
        return Ok(res);
    }
    let len = bytes.len() as u64;
    let range = headers.get(header::RANGE).and_then(|v| v.to_str().ok()).and_then(|r| byte_range(r, len));
    let body = match range {
        Some((start, end)) => {
            *res.status_mut() = StatusCode::PARTIAL_CONTENT;
            set(res.headers_mut(), header::CONTENT_RANGE, &format!("bytes {start}-{end}/{len}"));
            bytes[start as usize..=end as usize].to_vec()
        }
        None => bytes,
    };
    set(res.headers_mut(), header::CONTENT_LENGTH, &body.len().to_string());
    *res.body_mut() = Body::from(body);
    Ok(res)
}

#[cfg(test)]
mod tests {
    use super::byte_range;

    #[test]
    fn byte_ranges() {
        assert_eq!(byte_range("bytes=0-3", 10), Some((0, 3)));
        assert_eq!(byte_range("bytes=5-", 10), Some((5, 9)));
        assert_eq!(byte_range("bytes=-2", 10), Some((8, 9)));
        assert_eq!(byte_range("bytes=3-100", 10), Some((3, 9)));
        assert_eq!(byte_range("bytes=20-", 10), None);
        assert_eq!(byte_range("bytes=0-1,3-4", 10), None);
    }
}
