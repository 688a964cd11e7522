//! Bad input on storage routes gets Storage's 4xx JSON and writes nothing: NUL bytes (which
//! PostgreSQL cannot store), keys longer than S3 or a file system holds, over-long bucket
//! names, and methods a path does not serve.
use super::*;

fn send(method: &str, path: &str, body: &str) -> (u16, Value) {
    let auth = bearer(&service());
    let (status, _, resp) = raw(
        method,
        path,
        &[("apikey", ANON), ("authorization", &auth), ("content-type", "application/json")],
        body.as_bytes(),
    );
    (status, json_of(&resp))
}

#[test]
fn nul_bytes_in_storage_requests_are_refused_and_write_nothing() {
    let b = bucket(false, None, None);
    assert_eq!(upload("POST", &service(), &b, "keep.txt", "text/plain", b"kept", false).0, 200);
    let nul = |v: Value| v.to_string();
    for (method, path, body, code) in [
        ("POST", format!("/storage/v1/object/list/{b}"), nul(json!({"prefix": "a\u{0}b"})), "InvalidKey"),
        ("POST", format!("/storage/v1/object/list/{b}"), nul(json!({"prefix": "", "search": "k\u{0}"})), "InvalidKey"),
        // The real name in the batch must survive the refusal.
        ("DELETE", format!("/storage/v1/object/{b}"), nul(json!({"prefixes": ["keep.txt", "a\u{0}"]})), "InvalidKey"),
        (
            "POST",
            format!("/storage/v1/object/sign/{b}"),
            nul(json!({"expiresIn": 60, "paths": ["keep.txt", "a\u{0}"]})),
            "InvalidKey",
        ),
        ("POST", format!("/storage/v1/object/sign/{b}/a%00b"), nul(json!({"expiresIn": 60})), "InvalidKey"),
        ("POST", "/storage/v1/bucket".to_string(), nul(json!({"name": "n\u{0}b"})), "InvalidBucketName"),
        ("POST", "/storage/v1/bucket".to_string(), nul(json!({"name": "nulid", "id": "n\u{0}"})), "InvalidBucketName"),
        ("GET", "/storage/v1/bucket/a%00b".to_string(), String::new(), "NoSuchBucket"),
        ("POST", "/storage/v1/object/list/a%00b".to_string(), nul(json!({"prefix": ""})), "NoSuchBucket"),
        ("DELETE", "/storage/v1/object/a%00b".to_string(), nul(json!({"prefixes": ["x"]})), "NoSuchBucket"),
        (
            "POST",
            "/storage/v1/object/sign/a%00b".to_string(),
            nul(json!({"expiresIn": 60, "paths": ["x"]})),
            "NoSuchBucket",
        ),
    ] {
        let (status, err) = send(method, &path, &body);
        assert_eq!(status, 400, "{method} {path} {body}: {err}");
        assert_eq!(err["code"], code, "{method} {path} {body}: {err}");
    }
    let (status, _, bytes) = get(&service(), &format!("/storage/v1/object/{b}/keep.txt"));
    assert_eq!((status, bytes.as_slice()), (200, &b"kept"[..]));
    let r = call("GET", "/storage/v1/bucket/nulid", &[("authorization", &bearer(&service()))], None);
    assert_storage_error(r.status, &r.json(), "404", "NoSuchBucket");
}

#[test]
fn keys_longer_than_storage_holds_are_invalid_and_nothing_is_stored() {
    let b = bucket(false, None, None);
    let segment = "s".repeat(255);
    let too_long_segment = format!("{segment}s");
    let too_long_key = [segment.as_str(); 5].join("/");
    for name in [&too_long_segment, &too_long_key] {
        for method in ["POST", "PUT"] {
            let (status, body) = upload(method, &service(), &b, name, "text/plain", b"x", false);
            assert_storage_error(status, &body, "400", "InvalidKey");
            assert_eq!(body["message"], format!("Invalid key: {name}"));
        }
    }
    let r = post_json(&service(), &format!("/storage/v1/object/list/{b}"), json!({"prefix": ""}));
    assert_eq!((r.status, r.json()), (200, json!([])), "nothing was stored");
    // The longest segment a file system holds is a valid key.
    let (status, body) = upload("POST", &service(), &b, &segment, "text/plain", b"x", false);
    assert_eq!(status, 200, "{body}");
}

#[test]
fn bucket_names_are_under_sixty_four_characters() {
    let name = format!("n{}", uuid_like());
    let long = format!("{name}{}", "x".repeat(64 - name.len()));
    let r = post_json(&service(), "/storage/v1/bucket", json!({"name": long}));
    assert_storage_error(r.status, &r.json(), "400", "InvalidBucketName");
    let r = post_json(&service(), "/storage/v1/bucket", json!({"name": &long[..63]}));
    assert_eq!(r.status, 200, "{}", r.body);
}

#[test]
fn a_method_a_storage_path_does_not_serve_is_a_json_404() {
    let b = bucket(false, None, None);
    assert_eq!(upload("POST", &service(), &b, "a.txt", "text/plain", b"a", false).0, 200);
    for (method, path) in [
        ("PATCH", "/bucket".to_string()),
        ("DELETE", "/bucket".to_string()),
        ("PUT", format!("/bucket/{b}")),
        ("DELETE", format!("/bucket/{b}")),
        ("GET", format!("/object/list/{b}")),
        ("GET", format!("/object/sign/{b}")),
        ("PUT", format!("/object/sign/{b}/a.txt")),
        ("POST", format!("/object/public/{b}/a.txt")),
        ("DELETE", format!("/object/authenticated/{b}/a.txt")),
        ("POST", format!("/object/{b}")),
        ("PATCH", format!("/object/{b}/a.txt")),
        ("POST", "/object/copy".to_string()),
        ("POST", "/object/move".to_string()),
    ] {
        let (status, err) = send(method, &format!("/storage/v1{path}"), "{}");
        assert_eq!(status, 404, "{method} {path}: {err}");
        assert_eq!(err["message"], format!("Route {method}:{path} not found"), "{method} {path}");
    }
    // Nothing was deleted or replaced on the way.
    let (status, _, bytes) = get(&service(), &format!("/storage/v1/object/{b}/a.txt"));
    assert_eq!((status, bytes.as_slice()), (200, &b"a"[..]));
    let r = call("GET", &format!("/storage/v1/bucket/{b}"), &[("authorization", &bearer(&service()))], None);
    assert_eq!(r.status, 200, "{}", r.body);
}
