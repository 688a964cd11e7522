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
use tokio::io::{AsyncReadExt, AsyncSeekExt};
use tokio_util::io::ReaderStream;

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

/// What a `Range` header asks of an object of `len` bytes (RFC 9110 §14).
#[derive(Debug, PartialEq)]
enum Wanted {
    /// No range, or one this server ignores (another unit, several ranges, a malformed one):
    /// the whole object with 200, as RFC 9110 allows.
    Whole,
    /// Bytes `start..=end`, served with 206.
    Part { start: u64, end: u64 },
    /// A well-formed range that starts past the end (or an empty suffix, or any range of an
    /// empty object): 416 with `Content-Range: bytes */len`.
    Unsatisfiable,
}

fn wanted(header: Option<&str>, len: u64) -> Wanted {
    let Some(spec) = header.map(str::trim) else {
        return Wanted::Whole;
    };
    // The unit is case-insensitive, as Storage reads it.
    let Some(spec) = spec.get(..6).filter(|u| u.eq_ignore_ascii_case("bytes=")).map(|_| &spec[6..]) else {
        return Wanted::Whole;
    };
    let Some((a, b)) = spec.split_once('-').filter(|_| !spec.contains(',')) else {
        return Wanted::Whole;
    };
    let number = |t: &str| t.bytes().all(|c| c.is_ascii_digit()).then(|| t.parse::<u64>().ok()).flatten();
    let (first, last) = (a.trim(), b.trim());
    if first.is_empty() {
        // `bytes=-n`: the last n bytes.
        return match number(last) {
            None => Wanted::Whole,
            Some(0) => Wanted::Unsatisfiable,
            Some(_) if len == 0 => Wanted::Unsatisfiable,
            Some(n) => Wanted::Part { start: len.saturating_sub(n), end: len - 1 },
        };
    }
    let Some(start) = number(first) else {
        return Wanted::Whole;
    };
    let end = match last {
        "" => None,
        text => match number(text) {
            Some(end) if end >= start => Some(end),
            _ => return Wanted::Whole,
        },
    };
    if start >= len {
        return Wanted::Unsatisfiable;
    }
    Wanted::Part { start, end: end.map_or(len - 1, |e| e.min(len - 1)) }
}

/// The answer to a range that cannot be served: 416 with the object's size, and Storage's
/// error JSON (`InvalidRange`) as the body.
fn unsatisfiable(mut res: Response, len: u64) -> Response {
    let err = StorageError::invalid_range();
    let body = serde_json::json!({"statusCode": "416", "code": err.code, "error": err.error, "message": err.message});
    *res.status_mut() = StatusCode::RANGE_NOT_SATISFIABLE;
    let h = res.headers_mut();
    set(h, header::CONTENT_RANGE, &format!("bytes */{len}"));
    set(h, header::CONTENT_TYPE, "application/json; charset=utf-8");
    h.remove(header::ETAG);
    h.remove(header::LAST_MODIFIED);
    h.remove(header::CONTENT_DISPOSITION);
    let text = body.to_string();
    set(res.headers_mut(), header::CONTENT_LENGTH, &text.len().to_string());
    *res.body_mut() = Body::from(text);
    res
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
    // Streamed from an open handle: a later upload renames a new file over the name, so the
    // bytes served are those of one version, and memory stays flat whatever the object's size.
    let (mut file, len) = disk::open(&disk::object_path(&state.settings.data_dir, bucket, name)).await?;
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
    let range = headers.get(header::RANGE).and_then(|v| v.to_str().ok());
    let (start, count) = match wanted(range, len) {
        Wanted::Whole => (0, len),
        Wanted::Part { start, end } => {
            *res.status_mut() = StatusCode::PARTIAL_CONTENT;
            set(res.headers_mut(), header::CONTENT_RANGE, &format!("bytes {start}-{end}/{len}"));
            (start, end - start + 1)
        }
        Wanted::Unsatisfiable => return Ok(unsatisfiable(res, len)),
    };
    if start > 0 {
        file.seek(std::io::SeekFrom::Start(start)).await.map_err(StorageError::internal)?;
    }
    set(res.headers_mut(), header::CONTENT_LENGTH, &count.to_string());
    *res.body_mut() = Body::from_stream(ReaderStream::with_capacity(file.take(count), 64 * 1024));
    Ok(res)
}

#[cfg(test)]
mod tests {
    use super::{wanted, Wanted};

    fn part(start: u64, end: u64) -> Wanted {
        Wanted::Part { start, end }
    }

    #[test]
    fn byte_ranges() {
        assert_eq!(wanted(Some("bytes=0-3"), 10), part(0, 3));
        assert_eq!(wanted(Some("bytes=5-"), 10), part(5, 9));
        assert_eq!(wanted(Some("bytes=-2"), 10), part(8, 9));
        assert_eq!(wanted(Some("bytes=-20"), 10), part(0, 9));
        assert_eq!(wanted(Some("bytes=3-100"), 10), part(3, 9));
        assert_eq!(wanted(Some("Bytes=2-5"), 10), part(2, 5));
        assert_eq!(wanted(Some("bytes=9-9"), 10), part(9, 9));
    }

    #[test]
    fn ranges_past_the_end_are_unsatisfiable() {
        assert_eq!(wanted(Some("bytes=10-"), 10), Wanted::Unsatisfiable);
        assert_eq!(wanted(Some("bytes=20-30"), 10), Wanted::Unsatisfiable);
        assert_eq!(wanted(Some("bytes=-0"), 10), Wanted::Unsatisfiable);
        assert_eq!(wanted(Some("bytes=0-"), 0), Wanted::Unsatisfiable);
    }

    #[test]
    fn other_ranges_are_ignored() {
        assert_eq!(wanted(None, 10), Wanted::Whole);
        assert_eq!(wanted(Some("bytes=0-1,3-4"), 10), Wanted::Whole);
        assert_eq!(wanted(Some("items=0-1"), 10), Wanted::Whole);
        assert_eq!(wanted(Some("bytes=5-3"), 10), Wanted::Whole);
        assert_eq!(wanted(Some("bytes=a-b"), 10), Wanted::Whole);
        assert_eq!(wanted(Some("bytes=-"), 10), Wanted::Whole);
        assert_eq!(wanted(Some("bytes=+1-2"), 10), Wanted::Whole);
    }
}
