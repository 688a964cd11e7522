//! Upload bodies as storage-js sends them: raw bytes with `content-type`/`cache-control`/
//! `x-metadata` headers, or `multipart/form-data` with `cacheControl`, `metadata` and the file.
use super::error::StorageError;
use axum::body::{Body, Bytes};
use axum::http::{header, HeaderMap};
use base64::Engine;
use memchr::memmem::Finder;
use serde_json::Value;

/// One uploaded file and what Storage records about it.
pub struct Upload {
    pub bytes: Bytes,
    pub mimetype: String,
    pub cache_control: String,
    pub user_metadata: Option<Value>,
}

fn header_str(headers: &HeaderMap, name: impl header::AsHeaderName) -> Option<&str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

/// Reads at most `limit` bytes of body (plus multipart framing); more is `EntityTooLarge`.
pub async fn read_limited(headers: &HeaderMap, body: Body, limit: u64, multipart: bool) -> Result<Bytes, StorageError> {
    // Multipart framing adds boundaries and part headers around the file.
    let cap = if multipart { limit.saturating_add(64 * 1024) } else { limit };
    let declared = header_str(headers, header::CONTENT_LENGTH).and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > cap) {
        return Err(StorageError::entity_too_large());
    }
    axum::body::to_bytes(body, usize::try_from(cap).unwrap_or(usize::MAX))
        .await
        .map_err(|_| StorageError::entity_too_large())
}

/// Storage's `validateMimeType`: `type/sub` must match an entry exactly or as `type/*`.
pub fn check_mime(mime: &str, allowed: &[String]) -> Result<(), StorageError> {
    if allowed.is_empty() {
        return Ok(());
    }
    // As Storage: the whole header value is compared, parameters included.
    let Some((kind, sub)) = mime.split_once('/') else {
        return Err(StorageError::invalid_mime_type(mime));
    };
    let ok =
        allowed.iter().filter_map(|a| a.split_once('/')).any(|(ak, asub)| ak == kind && (asub == "*" || asub == sub));
    if ok {
        Ok(())
    } else {
        Err(StorageError::invalid_mime_type(mime))
    }
}

/// How an upload body is framed, read from its headers before any of the body is.
#[derive(Debug, PartialEq)]
pub enum Framing {
    /// The body is the file.
    Raw,
    /// `multipart/form-data` with this boundary.
    Multipart { boundary: String },
}

/// RFC 2046 §5.1.1: a multipart boundary is 1 to 70 characters.
pub const MAX_BOUNDARY_LEN: usize = 70;

impl Framing {
    /// Reads the framing from `content-type`; a multipart body without a usable boundary is
    /// refused here, before its bytes are read.
    pub fn of(headers: &HeaderMap) -> Result<Framing, StorageError> {
        let ctype = header_str(headers, header::CONTENT_TYPE).unwrap_or("");
        if !ctype.to_ascii_lowercase().starts_with("multipart/form-data") {
            return Ok(Framing::Raw);
        }
        let boundary = ctype
            .split(';')
            .filter_map(|p| p.trim().split_once('='))
            .find(|(k, _)| k.eq_ignore_ascii_case("boundary"))
            .map(|(_, v)| v.trim_matches('"').to_string())
            .filter(|b| !b.is_empty())
            .ok_or_else(|| StorageError::no_content("No content provided"))?;
        if boundary.len() > MAX_BOUNDARY_LEN {
            return Err(StorageError::invalid_request(format!(
                "Malformed multipart body: the boundary must be 1 to {MAX_BOUNDARY_LEN} characters long"
            )));
        }
        Ok(Framing::Multipart { boundary })
    }

    pub fn is_multipart(&self) -> bool {
        matches!(self, Framing::Multipart { .. })
    }
}

/// The file and fields of a raw or multipart upload body.
pub fn parse(framing: &Framing, headers: &HeaderMap, body: Bytes) -> Result<Upload, StorageError> {
    let Framing::Multipart { boundary } = framing else {
        let user_metadata = header_str(headers, "x-metadata")
            .and_then(|m| base64::engine::general_purpose::STANDARD.decode(m.trim()).ok())
            .and_then(|b| serde_json::from_slice(&b).ok());
        return Ok(Upload {
            bytes: body,
            mimetype: header_str(headers, header::CONTENT_TYPE).unwrap_or("application/octet-stream").to_string(),
            cache_control: header_str(headers, header::CACHE_CONTROL).unwrap_or("no-cache").to_string(),
            user_metadata,
        });
    };
    let mut file: Option<(Bytes, String)> = None;
    let (mut cache_time, mut metadata, mut content_type) = (None, None, None);
    for (part_headers, content) in parts(&body, boundary) {
        let disposition = part_header(&part_headers, "content-disposition").unwrap_or_default();
        let name = disposition_param(&disposition, "name");
        let is_file = disposition_param(&disposition, "filename").is_some() || name.as_deref() == Some("");
        if is_file && file.is_none() {
            let mime = part_header(&part_headers, "content-type").unwrap_or_else(|| "text/plain".to_string());
            file = Some((content, mime));
            continue;
        }
        let text = String::from_utf8_lossy(&content).into_owned();
        match name.as_deref() {
            Some("cacheControl") => cache_time = Some(text),
            Some("metadata") | Some("userMetadata") => metadata = serde_json::from_str(&text).ok(),
            Some("contentType") => content_type = Some(text),
            _ => {}
        }
    }
    let (bytes, part_mime) = file.ok_or_else(|| StorageError::no_content("No content provided"))?;
    Ok(Upload {
        bytes,
        mimetype: content_type.filter(|c| !c.is_empty()).unwrap_or(part_mime),
        cache_control: cache_time.map_or("no-cache".to_string(), |t| format!("max-age={t}")),
        user_metadata: metadata,
    })
}

/// The parts of a multipart body: (raw header block, content without the trailing CRLF).
/// Every search starts where the previous one ended and runs in linear time (`memmem`), so the
/// whole body is scanned a bounded number of times whatever the boundary looks like.
fn parts(body: &Bytes, boundary: &str) -> Vec<(String, Bytes)> {
    let delim = format!("--{boundary}");
    let next_delim = format!("\r\n{delim}");
    let (first, next, head_end) =
        (Finder::new(delim.as_bytes()), Finder::new(next_delim.as_bytes()), Finder::new(b"\r\n\r\n"));
    let find = |finder: &Finder, from: usize| body.get(from..).and_then(|rest| finder.find(rest)).map(|i| from + i);
    let mut out = vec![];
    let Some(mut pos) = find(&first, 0) else {
        return out;
    };
    loop {
        let start = pos + delim.len();
        if body.get(start..start + 2) == Some(b"--") {
            break;
        }
        let Some(head_end) = find(&head_end, start) else {
            break;
        };
        let Some(end) = find(&next, head_end + 4) else {
            break;
        };
        let head = String::from_utf8_lossy(&body[start..head_end]).into_owned();
        out.push((head, body.slice(head_end + 4..end)));
        pos = end + 2;
    }
    out
}

fn part_header(head: &str, name: &str) -> Option<String> {
    head.lines()
        .filter_map(|l| l.split_once(':'))
        .find(|(k, _)| k.trim().eq_ignore_ascii_case(name))
        .map(|(_, v)| v.trim().to_string())
}

fn disposition_param(disposition: &str, key: &str) -> Option<String> {
    disposition
        .split(';')
        .skip(1)
        .filter_map(|p| p.trim().split_once('='))
        .find(|(k, _)| k.trim() == key)
        .map(|(_, v)| v.trim().trim_matches('"').to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multipart_as_storage_js_sends_it() {
        let body: &[u8] = b"--XyZ\r\nContent-Disposition: form-data; name=\"cacheControl\"\r\n\r\n60\r\n--XyZ\r\nContent-Disposition: form-data; name=\"\"; filename=\"blob\"\r\nContent-Type: image/png\r\n\r\n\x89PNG\r\n\r\nrest\r\n--XyZ--\r\n";
        let mut h = HeaderMap::new();
        h.insert(header::CONTENT_TYPE, "multipart/form-data; boundary=XyZ".parse().unwrap());
        let framing = Framing::of(&h).unwrap();
        let u = parse(&framing, &h, Bytes::from_static(body)).unwrap();
        assert_eq!(&u.bytes[..], b"\x89PNG\r\n\r\nrest");
        assert_eq!(u.mimetype, "image/png");
        assert_eq!(u.cache_control, "max-age=60");
    }

    fn multipart_headers(boundary: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(header::CONTENT_TYPE, format!("multipart/form-data; boundary={boundary}").parse().unwrap());
        h
    }

    #[test]
    fn boundaries_are_one_to_seventy_characters() {
        let longest = "b".repeat(MAX_BOUNDARY_LEN);
        assert_eq!(Framing::of(&multipart_headers(&longest)).unwrap(), Framing::Multipart { boundary: longest });
        let err = Framing::of(&multipart_headers(&"b".repeat(MAX_BOUNDARY_LEN + 1))).unwrap_err();
        assert_eq!((err.status, err.code), (400, "InvalidRequest"));
        assert!(Framing::of(&multipart_headers("")).is_err());
        assert_eq!(Framing::of(&HeaderMap::new()).unwrap(), Framing::Raw);
    }

    #[test]
    fn content_that_almost_repeats_the_boundary_is_kept_whole() {
        let boundary = "q".repeat(MAX_BOUNDARY_LEN);
        let near = format!("\r\n--{}", &boundary[..MAX_BOUNDARY_LEN - 1]);
        let content = near.repeat(1000);
        let body = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"\"; filename=\"f\"\r\n\r\n{content}\r\n--{boundary}--\r\n"
        );
        let h = multipart_headers(&boundary);
        let u = parse(&Framing::of(&h).unwrap(), &h, Bytes::from(body)).unwrap();
        assert_eq!(u.bytes, content.as_bytes());
    }

    #[test]
    fn mime_rules_match_storage() {
        let allowed = vec!["image/png".to_string(), "video/*".to_string()];
        assert!(check_mime("image/png", &allowed).is_ok());
        assert!(check_mime("video/webm", &allowed).is_ok());
        assert!(check_mime("image/gif", &allowed).is_err());
        assert!(check_mime("png", &allowed).is_err());
        assert!(check_mime("image/png;charset=x", &allowed).is_err());
        assert!(check_mime("text/plain", &[]).is_ok());
    }
}
