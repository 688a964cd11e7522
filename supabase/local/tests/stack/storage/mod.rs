//! Storage (`/storage/v1`) over the real stack: the project's `generated_assets` bucket and its
//! per-user folder policies, plus throwaway buckets created with the service_role key.
use crate::common::{bearer, call, instance, new_user, uuid_like, Res, ANON};
use serde_json::{json, Value};
use std::io::{Read, Write};
use std::net::TcpStream;

const JWT_SECRET: &str = "super-secret-jwt-token-with-at-least-32-characters-long";
/// A PNG signature plus bytes that are not valid UTF-8, so a lossy round trip would show.
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe\x00\x01";

fn service() -> String {
    supabase_local::jwt::service_role_key(JWT_SECRET)
}

/// A raw HTTP exchange with a binary body and exactly the given headers (no implied apikey).
fn raw(method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> (u16, Vec<(String, String)>, Vec<u8>) {
    let port = instance().port;
    let mut req = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str("\r\n");
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.write_all(req.as_bytes()).unwrap();
    s.write_all(body).unwrap();
    let mut out = Vec::new();
    s.read_to_end(&mut out).unwrap();
    let split = out.windows(4).position(|w| w == b"\r\n\r\n").expect("header end");
    let head = String::from_utf8_lossy(&out[..split]).into_owned();
    let mut lines = head.lines();
    let status = lines.next().and_then(|l| l.split(' ').nth(1)).and_then(|c| c.parse().ok()).unwrap();
    let headers =
        lines.filter_map(|l| l.split_once(':')).map(|(k, v)| (k.trim().to_lowercase(), v.trim().to_string())).collect();
    (status, headers, out[split + 4..].to_vec())
}

/// Where the test instance keeps an object's bytes (its data folder is named by common.rs).
fn stored(bucket: &str, name: &str) -> std::path::PathBuf {
    let data = std::env::temp_dir().join(format!("supabase-local-test-{}-{}", std::process::id(), instance().port));
    data.join("storage").join(bucket).join(name)
}

fn hdr<'a>(h: &'a [(String, String)], name: &str) -> Option<&'a str> {
    h.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

fn json_of(body: &[u8]) -> Value {
    serde_json::from_slice(body).unwrap_or_else(|e| panic!("not JSON ({e}): {:?}", String::from_utf8_lossy(body)))
}

/// Uploads raw bytes as `token`; returns (HTTP status, JSON body).
fn upload(method: &str, token: &str, bucket: &str, name: &str, ctype: &str, body: &[u8], upsert: bool) -> (u16, Value) {
    let auth = bearer(token);
    let up = if upsert { "true" } else { "false" };
    let path = format!("/storage/v1/object/{bucket}/{name}");
    let (status, _, body) = raw(
        method,
        &path,
        &[
            ("apikey", ANON),
            ("authorization", &auth),
            ("content-type", ctype),
            ("cache-control", "max-age=3600"),
            ("x-upsert", up),
        ],
        body,
    );
    (status, json_of(&body))
}

fn get(token: &str, path: &str) -> (u16, Vec<(String, String)>, Vec<u8>) {
    raw("GET", path, &[("apikey", ANON), ("authorization", &bearer(token))], b"")
}

fn post_json(token: &str, path: &str, body: Value) -> Res {
    call("POST", path, &[("authorization", &bearer(token))], Some(&body.to_string()))
}

/// Asserts Storage's error shape: HTTP 400 with the logical status and code in the body.
fn assert_storage_error(status: u16, body: &Value, logical: &str, code: &str) {
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["statusCode"], logical, "{body}");
    assert_eq!(body["code"], code, "{body}");
}

/// A throwaway bucket created with the service_role key.
fn bucket(public: bool, limit: Option<i64>, mimes: Option<Vec<&str>>) -> String {
    let id = format!("t{}", uuid_like());
    let r = post_json(
        &service(),
        "/storage/v1/bucket",
        json!({"name": id, "public": public, "file_size_limit": limit, "allowed_mime_types": mimes}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json(), json!({"name": id}));
    id
}

mod access;
mod bad_input;
mod limits;
mod multipart;
mod ranges;
mod transfer;
