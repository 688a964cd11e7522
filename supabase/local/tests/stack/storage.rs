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
    let mut req = format!("{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\nContent-Length: {}\r\n", body.len());
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
    let headers = lines.filter_map(|l| l.split_once(':')).map(|(k, v)| (k.trim().to_lowercase(), v.trim().to_string())).collect();
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
    let (status, _, body) = raw(method, &path, &[("apikey", ANON), ("authorization", &auth), ("content-type", ctype), ("cache-control", "max-age=3600"), ("x-upsert", up)], body);
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
    let r = post_json(&service(), "/storage/v1/bucket", json!({"name": id, "public": public, "file_size_limit": limit, "allowed_mime_types": mimes}));
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json(), json!({"name": id}));
    id
}

#[test]
fn upload_then_download_round_trips_bytes_and_headers() {
    let (token, _, uid, _) = new_user();
    let name = format!("{uid}/g1/a.png");
    let (status, body) = upload("POST", &token, "generated_assets", &name, "image/png", PNG, false);
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["Key"], format!("generated_assets/{name}"));
    assert_eq!(body["Id"].as_str().map(str::len), Some(36));
    assert_eq!(std::fs::read(stored("generated_assets", &name)).unwrap(), PNG);

    for path in [format!("/storage/v1/object/generated_assets/{name}"), format!("/storage/v1/object/authenticated/generated_assets/{name}")] {
        let (status, h, bytes) = get(&token, &path);
        assert_eq!(status, 200);
        assert_eq!(bytes, PNG);
        assert_eq!(hdr(&h, "content-type"), Some("image/png"));
        assert_eq!(hdr(&h, "content-length"), Some(PNG.len().to_string().as_str()));
        assert_eq!(hdr(&h, "cache-control"), Some("max-age=3600"));
        assert!(hdr(&h, "etag").is_some_and(|e| e.starts_with('"')), "{h:?}");
        assert!(hdr(&h, "last-modified").is_some_and(|v| v.ends_with("GMT")), "{h:?}");
    }
    let (status, h, bytes) = raw("HEAD", &format!("/storage/v1/object/generated_assets/{name}"), &[("apikey", ANON), ("authorization", &bearer(&token))], b"");
    assert_eq!((status, hdr(&h, "content-type")), (200, Some("image/png")));
    assert_eq!(hdr(&h, "content-length"), Some(PNG.len().to_string().as_str()));
    assert!(bytes.is_empty());
    let (status, h, bytes) = raw("GET", &format!("/storage/v1/object/generated_assets/{name}"), &[("apikey", ANON), ("range", "bytes=1-3")], b"");
    let range = format!("bytes 1-3/{}", PNG.len());
    assert_eq!((status, bytes.as_slice(), hdr(&h, "content-range")), (206, &PNG[1..4], Some(range.as_str())));

    let (status, _, body) = get(&token, &format!("/storage/v1/object/generated_assets/{uid}/g1/missing.png"));
    assert_storage_error(status, &json_of(&body), "404", "NoSuchKey");
    assert_eq!(json_of(&body)["error"], "not_found");
    assert_eq!(json_of(&body)["message"], "Object not found");
}

#[test]
fn multipart_upload_keeps_the_part_content_type_and_cache_control() {
    let (token, _, uid, _) = new_user();
    let mut body = b"--B0undary\r\nContent-Disposition: form-data; name=\"cacheControl\"\r\n\r\n120\r\n--B0undary\r\nContent-Disposition: form-data; name=\"\"; filename=\"blob\"\r\nContent-Type: image/webp\r\n\r\n".to_vec();
    body.extend_from_slice(PNG);
    body.extend_from_slice(b"\r\n--B0undary--\r\n");
    let path = format!("/storage/v1/object/generated_assets/{uid}/m/x.webp");
    let auth = bearer(&token);
    let (status, _, resp) = raw("POST", &path, &[("apikey", ANON), ("authorization", &auth), ("content-type", "multipart/form-data; boundary=B0undary")], &body);
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&resp));
    let (status, h, bytes) = get(&token, &path);
    assert_eq!((status, bytes.as_slice()), (200, PNG));
    assert_eq!(hdr(&h, "content-type"), Some("image/webp"));
    assert_eq!(hdr(&h, "cache-control"), Some("max-age=120"));
}

#[test]
fn duplicate_upload_is_409_duplicate_unless_upsert() {
    let (token, _, uid, _) = new_user();
    let name = format!("{uid}/dup.png");
    let (status, first) = upload("POST", &token, "generated_assets", &name, "image/png", b"one", false);
    assert_eq!(status, 200, "{first}");
    let (status, body) = upload("POST", &token, "generated_assets", &name, "image/png", b"two", false);
    assert_storage_error(status, &body, "409", "KeyAlreadyExists");
    assert_eq!(body["error"], "Duplicate");
    let (status, body) = upload("POST", &token, "generated_assets", &name, "image/png", b"three", true);
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["Id"], first["Id"], "an upsert keeps the row");
    assert_eq!(get(&token, &format!("/storage/v1/object/generated_assets/{name}")).2, b"three");
    let (status, body) = upload("PUT", &token, "generated_assets", &name, "image/jpeg", b"four", false);
    assert_eq!(status, 200, "{body}");
    let (_, h, bytes) = get(&token, &format!("/storage/v1/object/generated_assets/{name}"));
    assert_eq!((bytes.as_slice(), hdr(&h, "content-type")), (&b"four"[..], Some("image/jpeg")));
}

#[test]
fn public_url_serves_without_auth_or_apikey_for_public_buckets_only() {
    let (token, _, uid, _) = new_user();
    let name = format!("{uid}/pub/a.png");
    assert_eq!(upload("POST", &token, "generated_assets", &name, "image/png", PNG, false).0, 200);
    let (status, h, bytes) = raw("GET", &format!("/storage/v1/object/public/generated_assets/{name}"), &[], b"");
    assert_eq!((status, bytes.as_slice(), hdr(&h, "content-type")), (200, PNG, Some("image/png")));
    let (status, _, body) = raw("GET", &format!("/storage/v1/object/public/generated_assets/{uid}/pub/none.png"), &[], b"");
    assert_storage_error(status, &json_of(&body), "404", "NoSuchKey");

    let private = bucket(false, None, None);
    let (status, _) = upload("POST", &service(), &private, "a.txt", "text/plain", b"secret", false);
    assert_eq!(status, 200);
    let (status, _, body) = raw("GET", &format!("/storage/v1/object/public/{private}/a.txt"), &[], b"");
    assert_storage_error(status, &json_of(&body), "404", "NoSuchBucket");
    // Other storage routes still need the api key.
    let (status, _, _) = raw("GET", &format!("/storage/v1/object/{private}/a.txt"), &[], b"");
    assert_eq!(status, 401);
}

fn signed_url(token: &str, name: &str, expires_in: i64) -> String {
    let r = post_json(token, &format!("/storage/v1/object/sign/generated_assets/{name}"), json!({"expiresIn": expires_in}));
    assert_eq!(r.status, 200, "{}", r.body);
    let url = r.json()["signedURL"].as_str().unwrap().to_string();
    assert!(url.starts_with(&format!("/object/sign/generated_assets/{name}?token=")), "{url}");
    url
}

#[test]
fn signed_urls_serve_until_expiry_and_refuse_tampering() {
    let (token, _, uid, _) = new_user();
    let name = format!("{uid}/s/a.png");
    assert_eq!(upload("POST", &token, "generated_assets", &name, "image/png", PNG, false).0, 200);
    let url = signed_url(&token, &name, 60);
    let (status, h, bytes) = raw("GET", &format!("/storage/v1{url}"), &[], b"");
    assert_eq!((status, bytes.as_slice()), (200, PNG));
    assert!(hdr(&h, "expires").is_some_and(|e| e.ends_with("GMT")), "{h:?}");

    // The token names exactly one object.
    let other = url.replace("/s/a.png", "/s/b.png");
    let (status, _, body) = raw("GET", &format!("/storage/v1{other}"), &[], b"");
    assert_storage_error(status, &json_of(&body), "400", "InvalidSignature");
    // A forged signature.
    let forged = format!("{}x", &url[..url.len() - 1]);
    let (status, _, body) = raw("GET", &format!("/storage/v1{forged}"), &[], b"");
    assert_storage_error(status, &json_of(&body), "400", "InvalidJWT");
    // An expired token.
    let now = supabase_local::jwt::now();
    let expired = supabase_local::jwt::sign(&json!({"url": format!("generated_assets/{name}"), "iat": now - 120, "exp": now - 60}), JWT_SECRET);
    let (status, _, body) = raw("GET", &format!("/storage/v1/object/sign/generated_assets/{name}?token={expired}"), &[], b"");
    assert_storage_error(status, &json_of(&body), "400", "InvalidJWT");

    // Batch signing reports what the caller cannot read.
    let r = post_json(&token, "/storage/v1/object/sign/generated_assets", json!({"expiresIn": 60, "paths": [name, format!("{uid}/s/none.png")]}));
    assert_eq!(r.status, 200, "{}", r.body);
    let items = r.json();
    assert!(items[0]["signedURL"].as_str().is_some_and(|u| u.contains("?token=")));
    assert_eq!(items[1]["signedURL"], Value::Null);
    assert!(items[1]["error"].is_string());
    // Signing needs a positive expiry and a readable object.
    let r = post_json(&token, &format!("/storage/v1/object/sign/generated_assets/{name}"), json!({"expiresIn": 0}));
    assert_eq!(r.status, 400);
    let (stranger, _, _, _) = new_user();
    let r = post_json(&stranger, &format!("/storage/v1/object/sign/generated_assets/{name}"), json!({"expiresIn": 60}));
    assert_storage_error(r.status, &r.json(), "404", "NoSuchKey");
}

#[test]
fn remove_deletes_rows_and_bytes_the_caller_may_delete() {
    let (token, _, uid, _) = new_user();
    let (other, _, other_uid, _) = new_user();
    for n in ["r/a.png", "r/b.png", "r/c.png"] {
        assert_eq!(upload("POST", &token, "generated_assets", &format!("{uid}/{n}"), "image/png", PNG, false).0, 200);
    }
    assert_eq!(upload("POST", &other, "generated_assets", &format!("{other_uid}/r/a.png"), "image/png", PNG, false).0, 200);
    let prefixes = json!({"prefixes": [format!("{uid}/r/a.png"), format!("{uid}/r/b.png"), format!("{other_uid}/r/a.png")]});
    let r = call("DELETE", "/storage/v1/object/generated_assets", &[("authorization", &bearer(&token))], Some(&prefixes.to_string()));
    assert_eq!(r.status, 200, "{}", r.body);
    let mut names: Vec<String> = r.json().as_array().unwrap().iter().map(|o| o["name"].as_str().unwrap().to_string()).collect();
    names.sort();
    assert_eq!(names, [format!("{uid}/r/a.png"), format!("{uid}/r/b.png")]);
    assert!(!stored("generated_assets", &format!("{uid}/r/a.png")).exists(), "bytes removed");
    assert!(stored("generated_assets", &format!("{other_uid}/r/a.png")).exists());
    let (status, _, body) = raw("GET", &format!("/storage/v1/object/public/generated_assets/{uid}/r/a.png"), &[], b"");
    assert_storage_error(status, &json_of(&body), "404", "NoSuchKey");
    // The other user's object survived.
    assert_eq!(raw("GET", &format!("/storage/v1/object/public/generated_assets/{other_uid}/r/a.png"), &[], b"").0, 200);

    // Single delete: the owner may, a stranger is denied, a missing object is 404.
    let single = format!("/storage/v1/object/generated_assets/{uid}/r/c.png");
    let r = call("DELETE", &single, &[("authorization", &bearer(&other))], None);
    assert_storage_error(r.status, &r.json(), "403", "AccessDenied");
    let r = call("DELETE", &single, &[("authorization", &bearer(&token))], None);
    assert_eq!((r.status, r.json()), (200, json!({"message": "Successfully deleted"})));
    let r = call("DELETE", &single, &[("authorization", &bearer(&token))], None);
    assert_storage_error(r.status, &r.json(), "404", "NoSuchKey");
}

#[test]
fn list_returns_one_level_with_folders_and_only_what_rls_shows() {
    let (token, _, uid, _) = new_user();
    for n in ["g1/b.png", "g1/a.png", "g2/c.png", "top.png"] {
        assert_eq!(upload("POST", &token, "generated_assets", &format!("{uid}/{n}"), "image/png", PNG, false).0, 200);
    }
    let r = post_json(&token, "/storage/v1/object/list/generated_assets", json!({"prefix": uid, "limit": 100, "offset": 0, "sortBy": {"column": "name", "order": "asc"}}));
    assert_eq!(r.status, 200, "{}", r.body);
    let items = r.json();
    let names: Vec<&str> = items.as_array().unwrap().iter().map(|o| o["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["g1", "g2", "top.png"]);
    assert_eq!(items[0]["id"], Value::Null);
    assert_eq!(items[2]["metadata"]["mimetype"], "image/png");
    assert_eq!(items[2]["metadata"]["size"], PNG.len());

    let r = post_json(&token, "/storage/v1/object/list/generated_assets", json!({"prefix": format!("{uid}/g1/"), "sortBy": {"column": "name", "order": "desc"}, "limit": 1, "offset": 0}));
    let names: Vec<Value> = r.json().as_array().unwrap().iter().map(|o| o["name"].clone()).collect();
    assert_eq!(names, [json!("b.png")]);
    let r = post_json(&token, "/storage/v1/object/list/generated_assets", json!({"prefix": format!("{uid}/g1"), "search": "a"}));
    let names: Vec<Value> = r.json().as_array().unwrap().iter().map(|o| o["name"].clone()).collect();
    assert_eq!(names, [json!("a.png")]);

    let (stranger, _, _, _) = new_user();
    let r = post_json(&stranger, "/storage/v1/object/list/generated_assets", json!({"prefix": uid}));
    assert_eq!((r.status, r.json()), (200, json!([])));
    let r = post_json(&token, "/storage/v1/object/list/generated_assets", json!({}));
    assert_eq!(r.status, 400, "prefix is required");
}

#[test]
fn another_user_cannot_write_into_or_read_a_private_folder() {
    let (owner, _, uid, _) = new_user();
    let (stranger, _, _, _) = new_user();
    let (status, body) = upload("POST", &stranger, "generated_assets", &format!("{uid}/x/evil.png"), "image/png", PNG, false);
    assert_storage_error(status, &body, "403", "AccessDenied");
    assert_eq!(body["message"], "new row violates row-level security policy");
    // Nothing was stored.
    assert_eq!(raw("GET", &format!("/storage/v1/object/public/generated_assets/{uid}/x/evil.png"), &[], b"").0, 400);
    // An upsert over the owner's object is refused too.
    assert_eq!(upload("POST", &owner, "generated_assets", &format!("{uid}/x/a.png"), "image/png", PNG, false).0, 200);
    let (status, body) = upload("POST", &stranger, "generated_assets", &format!("{uid}/x/a.png"), "image/png", b"overwrite", true);
    assert_storage_error(status, &body, "403", "AccessDenied");
    assert_eq!(get(&owner, &format!("/storage/v1/object/generated_assets/{uid}/x/a.png")).2, PNG);

    // In a private bucket, reads go through RLS: no policy, no object.
    let private = bucket(false, None, None);
    assert_eq!(upload("POST", &service(), &private, &format!("{uid}/a.txt"), "text/plain", b"hidden", false).0, 200);
    for t in [&owner, &stranger] {
        let (status, _, body) = get(t, &format!("/storage/v1/object/{private}/{uid}/a.txt"));
        assert_storage_error(status, &json_of(&body), "404", "NoSuchKey");
    }
    assert_eq!(get(&service(), &format!("/storage/v1/object/{private}/{uid}/a.txt")).2, b"hidden");
    // A bad JWT is AccessDenied (HTTP 400, statusCode 403), as Storage's JWT plugin answers.
    let (status, body) = upload("POST", "not.a.jwt", "generated_assets", &format!("{uid}/x/b.png"), "image/png", PNG, false);
    assert_storage_error(status, &body, "403", "AccessDenied");
}

#[test]
fn path_traversal_and_invalid_keys_are_refused() {
    let (token, _, uid, _) = new_user();
    for name in [format!("{uid}/../../../etc/x.png"), format!("{uid}/%2e%2e/%2e%2e/x.png"), format!("{uid}/a%00b.png"), format!("{uid}//x.png"), format!("{uid}/%2Fabs.png")] {
        let (status, body) = upload("POST", &token, "generated_assets", &name, "image/png", PNG, false);
        assert_storage_error(status, &body, "400", "InvalidKey");
    }
    assert!(!stored("generated_assets", "etc/x.png").exists() && !stored("", "etc").exists());
    let (status, _, body) = raw("GET", "/storage/v1/object/public/generated_assets/../../etc/passwd", &[], b"");
    assert_eq!(status, 400, "{}", String::from_utf8_lossy(&body));
}

#[test]
fn bucket_size_and_mime_limits_are_enforced() {
    let (token, _, uid, _) = new_user();
    let (status, body) = upload("POST", &token, "generated_assets", &format!("{uid}/a.txt"), "text/plain", b"hi", false);
    assert_storage_error(status, &body, "415", "InvalidMimeType");
    assert_eq!(body["message"], "mime type text/plain is not supported");

    // Uploads are not held to the API-wide 1 MiB JSON body limit.
    let big = vec![7u8; 3 << 20];
    let (status, body) = upload("POST", &token, "generated_assets", &format!("{uid}/big.png"), "image/png", &big, false);
    assert_eq!(status, 200, "{body}");
    assert_eq!(get(&token, &format!("/storage/v1/object/generated_assets/{uid}/big.png")).2.len(), big.len());

    let small = bucket(true, Some(10), Some(vec!["image/*"]));
    let (status, body) = upload("POST", &service(), &small, "ok.png", "image/png", b"0123456789", false);
    assert_eq!(status, 200, "{body}");
    let (status, body) = upload("POST", &service(), &small, "big.png", "image/png", b"0123456789A", false);
    assert_storage_error(status, &body, "413", "EntityTooLarge");
    assert_eq!(body["error"], "Payload too large");
    let (status, body) = upload("POST", &service(), &small, "a.gif", "image/gif", b"GIF", false);
    assert_eq!(status, 200, "wildcard mime types match: {body}");
    let (status, body) = upload("POST", &service(), "no_such_bucket", "a.png", "image/png", b"x", false);
    assert_storage_error(status, &body, "404", "NoSuchBucket");
}

#[test]
fn buckets_are_listed_as_the_caller_and_created_by_service_role() {
    let r = call("GET", "/storage/v1/bucket", &[("authorization", &bearer(&service()))], None);
    assert_eq!(r.status, 200, "{}", r.body);
    let all = r.json();
    let ga = all.as_array().unwrap().iter().find(|b| b["id"] == "generated_assets").expect("generated_assets listed");
    assert_eq!(ga["public"], true);
    assert_eq!(ga["file_size_limit"], 104857600);
    let r = call("GET", "/storage/v1/bucket/generated_assets", &[("authorization", &bearer(&service()))], None);
    assert_eq!((r.status, r.json()["name"].clone()), (200, json!("generated_assets")));
    let r = call("GET", "/storage/v1/bucket/none", &[("authorization", &bearer(&service()))], None);
    assert_storage_error(r.status, &r.json(), "404", "NoSuchBucket");

    // No policy on storage.buckets: a signed-in user sees none and cannot create one.
    let (token, _, _, _) = new_user();
    let r = call("GET", "/storage/v1/bucket", &[("authorization", &bearer(&token))], None);
    assert_eq!((r.status, r.json()), (200, json!([])));
    let r = post_json(&token, "/storage/v1/bucket", json!({"name": format!("u{}", uuid_like())}));
    assert_storage_error(r.status, &r.json(), "403", "AccessDenied");
    let id = bucket(false, None, None);
    let r = post_json(&service(), "/storage/v1/bucket", json!({"name": id}));
    assert_storage_error(r.status, &r.json(), "409", "BucketAlreadyExists");
}
