//! Remove, list, another user's folder, key rules, bucket limits and bucket listing.
use super::*;

#[test]
fn remove_deletes_rows_and_bytes_the_caller_may_delete() {
    let (token, _, uid, _) = new_user();
    let (other, _, other_uid, _) = new_user();
    for n in ["r/a.png", "r/b.png", "r/c.png"] {
        assert_eq!(upload("POST", &token, "generated_assets", &format!("{uid}/{n}"), "image/png", PNG, false).0, 200);
    }
    assert_eq!(
        upload("POST", &other, "generated_assets", &format!("{other_uid}/r/a.png"), "image/png", PNG, false).0,
        200
    );
    let prefixes =
        json!({"prefixes": [format!("{uid}/r/a.png"), format!("{uid}/r/b.png"), format!("{other_uid}/r/a.png")]});
    let r = call(
        "DELETE",
        "/storage/v1/object/generated_assets",
        &[("authorization", &bearer(&token))],
        Some(&prefixes.to_string()),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let mut names: Vec<String> =
        r.json().as_array().unwrap().iter().map(|o| o["name"].as_str().unwrap().to_string()).collect();
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
    let r = post_json(
        &token,
        "/storage/v1/object/list/generated_assets",
        json!({"prefix": uid, "limit": 100, "offset": 0, "sortBy": {"column": "name", "order": "asc"}}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let items = r.json();
    let names: Vec<&str> = items.as_array().unwrap().iter().map(|o| o["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["g1", "g2", "top.png"]);
    assert_eq!(items[0]["id"], Value::Null);
    assert_eq!(items[2]["metadata"]["mimetype"], "image/png");
    assert_eq!(items[2]["metadata"]["size"], PNG.len());

    let r = post_json(
        &token,
        "/storage/v1/object/list/generated_assets",
        json!({"prefix": format!("{uid}/g1/"), "sortBy": {"column": "name", "order": "desc"}, "limit": 1, "offset": 0}),
    );
    let names: Vec<Value> = r.json().as_array().unwrap().iter().map(|o| o["name"].clone()).collect();
    assert_eq!(names, [json!("b.png")]);
    let r = post_json(
        &token,
        "/storage/v1/object/list/generated_assets",
        json!({"prefix": format!("{uid}/g1"), "search": "a"}),
    );
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
    let (status, body) =
        upload("POST", &stranger, "generated_assets", &format!("{uid}/x/evil.png"), "image/png", PNG, false);
    assert_storage_error(status, &body, "403", "AccessDenied");
    assert_eq!(body["message"], "new row violates row-level security policy");
    // Nothing was stored.
    assert_eq!(raw("GET", &format!("/storage/v1/object/public/generated_assets/{uid}/x/evil.png"), &[], b"").0, 400);
    // An upsert over the owner's object is refused too.
    assert_eq!(upload("POST", &owner, "generated_assets", &format!("{uid}/x/a.png"), "image/png", PNG, false).0, 200);
    let (status, body) =
        upload("POST", &stranger, "generated_assets", &format!("{uid}/x/a.png"), "image/png", b"overwrite", true);
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
    let (status, body) =
        upload("POST", "not.a.jwt", "generated_assets", &format!("{uid}/x/b.png"), "image/png", PNG, false);
    assert_storage_error(status, &body, "403", "AccessDenied");
}

#[test]
fn path_traversal_and_invalid_keys_are_refused() {
    let (token, _, uid, _) = new_user();
    for name in [
        format!("{uid}/../../../etc/x.png"),
        format!("{uid}/%2e%2e/%2e%2e/x.png"),
        format!("{uid}/a%00b.png"),
        format!("{uid}//x.png"),
        format!("{uid}/%2Fabs.png"),
    ] {
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
    let (status, body) =
        upload("POST", &token, "generated_assets", &format!("{uid}/a.txt"), "text/plain", b"hi", false);
    assert_storage_error(status, &body, "415", "InvalidMimeType");
    assert_eq!(body["message"], "mime type text/plain is not supported");

    // Uploads are not held to the API-wide 1 MiB JSON body limit.
    let big = vec![7u8; 3 << 20];
    let (status, body) =
        upload("POST", &token, "generated_assets", &format!("{uid}/big.png"), "image/png", &big, false);
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
