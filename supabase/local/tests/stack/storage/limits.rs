//! What Storage refuses: content under the folder-placeholder name, numbers beyond what a
//! route accepts, and a signed JWT whose role PostgreSQL does not have.
use super::*;

const HTML: &[u8] = b"<html><script>alert(document.cookie)</script></html>";

#[test]
fn a_folder_placeholder_may_hold_nothing() {
    let (token, _, uid, _) = new_user();
    let placeholder = format!("{uid}/folder/.emptyFolderPlaceholder");
    // generated_assets allows only images and videos; the placeholder name skips that check,
    // so it must not be a way to store (and publicly serve) a page.
    let (status, body) = upload("POST", &token, "generated_assets", &placeholder, "text/html", HTML, false);
    assert_storage_error(status, &body, "413", "EntityTooLarge");
    let (status, _, _) = raw("GET", &format!("/storage/v1/object/public/generated_assets/{placeholder}"), &[], b"");
    assert_eq!(status, 400, "nothing was stored");
    assert!(!stored("generated_assets", &placeholder).exists());
    // Empty, as the dashboard and clients create folders, it is fine whatever its type.
    let (status, body) = upload("POST", &token, "generated_assets", &placeholder, "text/html", b"", false);
    assert_eq!(status, 200, "{body}");
}

#[test]
fn objects_are_served_with_nosniff() {
    let (token, _, uid, _) = new_user();
    let name = format!("{uid}/sniff/a.png");
    assert_eq!(upload("POST", &token, "generated_assets", &name, "image/png", PNG, false).0, 200);
    for path in [
        format!("/storage/v1/object/public/generated_assets/{name}"),
        format!("/storage/v1/object/authenticated/generated_assets/{name}"),
    ] {
        let (status, h, _) = get(&token, &path);
        assert_eq!((status, hdr(&h, "x-content-type-options")), (200, Some("nosniff")), "{path}");
    }
}

#[test]
fn signed_url_expiry_must_fit_a_javascript_number() {
    let (token, _, uid, _) = new_user();
    let name = format!("{uid}/exp/a.png");
    assert_eq!(upload("POST", &token, "generated_assets", &name, "image/png", PNG, false).0, 200);
    let sign = format!("/storage/v1/object/sign/generated_assets/{name}");
    for too_big in ["9223372036854775807", "9007199254740992", "18446744073709551615"] {
        let r =
            call("POST", &sign, &[("authorization", &bearer(&token))], Some(&format!(r#"{{"expiresIn":{too_big}}}"#)));
        assert_storage_error(r.status, &r.json(), "400", "InternalError");
        assert_eq!(r.json()["message"], "body/expiresIn must be <= 9007199254740991");
    }
    let r = post_json(&token, &sign, json!({"expiresIn": 9_007_199_254_740_991_i64}));
    assert_eq!(r.status, 200, "{}", r.body);
    let url = r.json()["signedURL"].as_str().unwrap().to_string();
    let (status, h, bytes) = raw("GET", &format!("/storage/v1{url}"), &[], b"");
    assert_eq!((status, bytes.as_slice()), (200, PNG));
    assert!(hdr(&h, "expires").is_some(), "{h:?}");
    // The batch form checks the same way.
    let r = post_json(
        &token,
        "/storage/v1/object/sign/generated_assets",
        json!({"expiresIn": 9_223_372_036_854_775_807_i64, "paths": [name]}),
    );
    assert_storage_error(r.status, &r.json(), "400", "InternalError");
}

#[test]
fn bucket_listing_refuses_out_of_range_paging() {
    for (q, message) in [
        ("offset=-1", "querystring/offset must be >= 0"),
        ("limit=-1", "querystring/limit must be >= 1"),
        ("limit=0", "querystring/limit must be >= 1"),
        ("limit=ten", "querystring/limit must be integer"),
        ("offset=99999999999999999999", "querystring/offset must be integer"),
    ] {
        let r = call("GET", &format!("/storage/v1/bucket?{q}"), &[("authorization", &bearer(&service()))], None);
        assert_storage_error(r.status, &r.json(), "400", "InternalError");
        assert_eq!(r.json()["message"], message, "{q}");
    }
    let r = call("GET", "/storage/v1/bucket?limit=1&offset=0", &[("authorization", &bearer(&service()))], None);
    assert_eq!((r.status, r.json().as_array().map(Vec::len)), (200, Some(1)), "{}", r.body);
}

#[test]
fn a_signed_jwt_with_an_unknown_role_is_access_denied() {
    let now = supabase_local::jwt::now();
    let token = supabase_local::jwt::sign(&json!({"sub": "x", "role": "no_such_role", "exp": now + 600}), JWT_SECRET);
    let r = call("GET", "/storage/v1/bucket", &[("authorization", &bearer(&token))], None);
    assert_storage_error(r.status, &r.json(), "403", "AccessDenied");
    assert_eq!(r.json()["message"], "role \"no_such_role\" does not exist");
    let r = post_json(&token, "/storage/v1/object/list/generated_assets", json!({"prefix": ""}));
    assert_storage_error(r.status, &r.json(), "403", "AccessDenied");
    let (status, body) = upload("POST", &token, "generated_assets", "x/a.png", "image/png", PNG, false);
    assert_storage_error(status, &body, "403", "AccessDenied");
}
