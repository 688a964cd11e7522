//! Uploads, downloads, public and signed URLs.
use super::*;

#[test]
fn upload_then_download_round_trips_bytes_and_headers() {
    let (token, _, uid, _) = new_user();
    let name = format!("{uid}/g1/a.png");
    let (status, body) = upload("POST", &token, "generated_assets", &name, "image/png", PNG, false);
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["Key"], format!("generated_assets/{name}"));
    assert_eq!(body["Id"].as_str().map(str::len), Some(36));
    assert_eq!(std::fs::read(stored("generated_assets", &name)).unwrap(), PNG);

    for path in [
        format!("/storage/v1/object/generated_assets/{name}"),
        format!("/storage/v1/object/authenticated/generated_assets/{name}"),
    ] {
        let (status, h, bytes) = get(&token, &path);
        assert_eq!(status, 200);
        assert_eq!(bytes, PNG);
        assert_eq!(hdr(&h, "content-type"), Some("image/png"));
        assert_eq!(hdr(&h, "content-length"), Some(PNG.len().to_string().as_str()));
        assert_eq!(hdr(&h, "cache-control"), Some("max-age=3600"));
        assert!(hdr(&h, "etag").is_some_and(|e| e.starts_with('"')), "{h:?}");
        assert!(hdr(&h, "last-modified").is_some_and(|v| v.ends_with("GMT")), "{h:?}");
    }
    let (status, h, bytes) = raw(
        "HEAD",
        &format!("/storage/v1/object/generated_assets/{name}"),
        &[("apikey", ANON), ("authorization", &bearer(&token))],
        b"",
    );
    assert_eq!((status, hdr(&h, "content-type")), (200, Some("image/png")));
    assert_eq!(hdr(&h, "content-length"), Some(PNG.len().to_string().as_str()));
    assert!(bytes.is_empty());
    let (status, h, bytes) = raw(
        "GET",
        &format!("/storage/v1/object/generated_assets/{name}"),
        &[("apikey", ANON), ("range", "bytes=1-3")],
        b"",
    );
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
    let (status, _, resp) = raw(
        "POST",
        &path,
        &[("apikey", ANON), ("authorization", &auth), ("content-type", "multipart/form-data; boundary=B0undary")],
        &body,
    );
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
    let (status, _, body) =
        raw("GET", &format!("/storage/v1/object/public/generated_assets/{uid}/pub/none.png"), &[], b"");
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
    let r =
        post_json(token, &format!("/storage/v1/object/sign/generated_assets/{name}"), json!({"expiresIn": expires_in}));
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
    let expired = supabase_local::jwt::sign(
        &json!({"url": format!("generated_assets/{name}"), "iat": now - 120, "exp": now - 60}),
        JWT_SECRET,
    );
    let (status, _, body) =
        raw("GET", &format!("/storage/v1/object/sign/generated_assets/{name}?token={expired}"), &[], b"");
    assert_storage_error(status, &json_of(&body), "400", "InvalidJWT");

    // Batch signing reports what the caller cannot read.
    let r = post_json(
        &token,
        "/storage/v1/object/sign/generated_assets",
        json!({"expiresIn": 60, "paths": [name, format!("{uid}/s/none.png")]}),
    );
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
