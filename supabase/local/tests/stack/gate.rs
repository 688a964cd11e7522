//! The api-key gate (<https://supabase.com/docs/guides/api/api-keys>): exactly the CLI's secret key is the service role and exactly
//! its publishable key is anon; any other `sb_` value is refused with the gateway's 401.
use crate::common::*;
use serde_json::{json, Value};

fn invalid_api_key() -> Value {
    json!({"message": "Invalid API key", "hint": "Double check your Supabase `anon` or `service_role` API key."})
}

/// A user with one mock account, whose handle is returned.
fn user_with_account() -> (String, String) {
    let (token, _, _, _) = new_user();
    let handle = format!("h{}", uuid_like());
    let body = json!({"platform": "linkedin", "handle": handle}).to_string();
    let r = call("POST", "/rest/v1/connected_accounts", &[("authorization", &bearer(&token))], Some(&body));
    assert_eq!(r.status, 201, "{}", r.body);
    (token, handle)
}

#[test]
fn invented_sb_keys_are_refused_by_every_service() {
    let (_, handle) = user_with_account();
    let promote = format!("/rest/v1/connected_accounts?handle=eq.{handle}");
    let routes: [(&str, &str, Option<&str>); 7] = [
        ("GET", "/rest/v1/connected_accounts?select=user_id,handle", None),
        ("PATCH", &promote, Some(r#"{"status":"active"}"#)),
        ("GET", "/storage/v1/bucket", None),
        ("POST", "/storage/v1/object/list/generated_assets", Some(r#"{"prefix":""}"#)),
        ("POST", "/storage/v1/object/sign/generated_assets/a/b.png", Some(r#"{"expiresIn":60}"#)),
        ("GET", "/auth/v1/user", None),
        ("POST", "/functions/v1/health", Some("{}")),
    ];
    let near_miss = format!("{SECRET}x");
    for key in ["sb_secret_anything", "sb_secret_", "sb_publishable_anything", "sb_other", near_miss.as_str()] {
        for (method, path, body) in routes {
            let r = call(method, path, &[("apikey", key)], body);
            assert_eq!((r.status, r.json()), (401, invalid_api_key()), "{method} {path} with {key}");
        }
    }
    // The key in the query string (as Realtime and some clients send it) is held to the same rule.
    let r = call("GET", "/rest/v1/connected_accounts?apikey=sb_secret_anything", &[("apikey", "-")], None);
    assert_eq!((r.status, r.json()), (401, invalid_api_key()));
    // Nothing was promoted.
    let r = call("GET", &format!("{promote}&select=status"), &[("apikey", SECRET)], None);
    assert_eq!((r.status, r.json()), (200, json!([{"status": "mock"}])));
}

#[test]
fn the_cli_keys_map_to_service_role_and_anon() {
    let (_, mine) = user_with_account();
    let (_, theirs) = user_with_account();
    // The secret key is the service role: RLS is bypassed.
    let r = call("GET", "/rest/v1/connected_accounts?select=handle", &[("apikey", SECRET)], None);
    assert_eq!(r.status, 200, "{}", r.body);
    let handles: Vec<String> =
        r.json().as_array().unwrap().iter().map(|a| a["handle"].as_str().unwrap().to_string()).collect();
    assert!(handles.contains(&mine) && handles.contains(&theirs), "{handles:?}");
    // The publishable key is anon, which has no grant on the table.
    let r = call("GET", "/rest/v1/connected_accounts?select=handle", &[("apikey", PUBLISHABLE)], None);
    assert_eq!((r.status, r.json()["code"].clone()), (401, json!("42501")), "{}", r.body);
    // A legacy key in apikey with an `sb_` bearer: the gateway maps from the apikey (anon here).
    let r = call(
        "GET",
        "/rest/v1/connected_accounts?select=handle",
        &[("authorization", "Bearer sb_secret_anything")],
        None,
    );
    assert_eq!((r.status, r.json()["code"].clone()), (401, json!("42501")), "{}", r.body);
}

#[test]
fn status_prints_the_cli_keys() {
    let data = std::env::temp_dir().join(format!("supabase-local-status-{}", uuid_like()));
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_supabase-local"))
        .args(["status", "-o", "env", "--workdir", concat!(env!("CARGO_MANIFEST_DIR"), "/../.."), "--data-dir"])
        .arg(&data)
        .output()
        .expect("run status");
    let _ = std::fs::remove_dir_all(&data);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains(&format!("PUBLISHABLE_KEY=\"{PUBLISHABLE}\"")), "{text}");
    assert!(text.contains(&format!("SECRET_KEY=\"{SECRET}\"")), "{text}");
}

/// The project's four keys, as `status -o env` prints them.
fn project_keys() -> [String; 4] {
    let service = supabase_local::jwt::service_role_key(supabase_local::config::JWT_SECRET);
    [ANON.to_string(), service, PUBLISHABLE.to_string(), SECRET.to_string()]
}

/// A request to each guarded service that a real key gets past the gate with.
fn guarded_routes() -> [(&'static str, &'static str, Option<&'static str>); 5] {
    [
        ("GET", "/rest/v1/sessions?select=id&limit=1", None),
        ("POST", "/auth/v1/token?grant_type=password", Some(r#"{"email":"nobody@example.test","password":"x"}"#)),
        ("GET", "/storage/v1/bucket", None),
        ("POST", "/storage/v1/object/list/generated_assets", Some(r#"{"prefix":""}"#)),
        ("GET", "/realtime/v1/websocket?vsn=1.0.0", None),
    ]
}

#[test]
fn a_key_that_is_not_the_projects_is_refused_on_every_guarded_prefix() {
    let service = supabase_local::jwt::service_role_key(supabase_local::config::JWT_SECRET);
    // A JWT signed with the project's secret is still not one of its api keys.
    let signed_user_jwt = supabase_local::jwt::sign(
        &json!({"role": "authenticated", "exp": supabase_local::jwt::now() + 600}),
        supabase_local::config::JWT_SECRET,
    );
    let wrong = ["wrong-key", "", &format!("{ANON}x"), &service[..service.len() - 1], &signed_user_jwt];
    for key in wrong {
        for (method, path, body) in guarded_routes() {
            let r = call(method, path, &[("apikey", key)], body);
            assert_eq!((r.status, r.json()), (401, invalid_api_key()), "{method} {path} with {key:?}");
        }
        // Realtime (and any client) may send the key in the query string instead.
        let path = format!("/realtime/v1/websocket?vsn=1.0.0&apikey={key}");
        let r = call("GET", &path, &[("apikey", "-")], None);
        assert_eq!((r.status, r.json()), (401, invalid_api_key()), "{path}");
    }
}

#[test]
fn every_project_key_passes_the_gate() {
    for key in project_keys() {
        for (method, path, body) in guarded_routes() {
            let r = call(method, path, &[("apikey", &key)], body);
            let refused = r.status == 401 && r.body.contains("API key");
            assert!(!refused, "{method} {path} with {key}: {} {}", r.status, r.body);
        }
    }
}

#[test]
fn downloads_functions_and_auth_redirects_need_no_key() {
    // Public and signed downloads are plain links (<img src>, a download button): no key, any key.
    for key in ["-", "wrong-key"] {
        let r = call("GET", "/storage/v1/object/public/no-such-bucket/a.png", &[("apikey", key)], None);
        assert_ne!(r.status, 401, "{}", r.body);
        let r = call("GET", "/storage/v1/object/sign/generated_assets/a.png?token=x", &[("apikey", key)], None);
        assert_ne!(r.status, 401, "{}", r.body);
        let anon_bearer = bearer(ANON);
        let r = call("GET", "/functions/v1/health", &[("apikey", key), ("authorization", &anon_bearer)], None);
        assert_eq!(r.status, 200, "{}", r.body);
        for path in ["/auth/v1/verify?token=x&type=signup", "/auth/v1/callback", "/auth/v1/authorize?provider=github"] {
            let r = call("GET", path, &[("apikey", key)], None);
            assert!(!r.body.contains("API key"), "{path}: {} {}", r.status, r.body);
        }
    }
    // A path no service owns is Kong's 404 whatever the key.
    let r = call("GET", "/graphql/v2", &[("apikey", "wrong-key")], None);
    assert_eq!((r.status, r.json()), (404, json!({"message": "no Route matched with those values"})));
}

/// Every 404 and 405 the gateway itself answers is JSON in the shape of the service behind the
/// prefix (never axum's empty 405), with the `Allow` header of a 405 kept.
#[test]
fn routing_errors_are_json_shaped_as_each_service_answers() {
    let r = call("GET", "/auth/v1/signup", &[], None);
    assert_eq!(
        (r.status, r.json()),
        (405, json!({"code": 405, "error_code": "method_not_allowed", "msg": "Method Not Allowed"})),
    );
    assert!(r.header("allow").is_some_and(|a| a.contains("POST")), "{:?}", r.headers);
    let r = call("DELETE", "/auth/v1/user", &[("x-supabase-api-version", "2024-01-01")], None);
    assert_eq!((r.status, r.json()), (405, json!({"code": "method_not_allowed", "message": "Method Not Allowed"})));
    let r = call("GET", "/auth/v1/no-such-endpoint", &[], None);
    assert_eq!((r.status, r.json()), (404, json!({"code": 404, "error_code": "not_found", "msg": "Not Found"})));
    let r = call("GET", "/rest/v1/sessions/extra", &[], None);
    let pgrst125 =
        json!({"code": "PGRST125", "details": null, "hint": null, "message": "Invalid path specified in request URL"});
    assert_eq!((r.status, r.json()), (404, pgrst125));
    for method in ["POST", "DELETE", "HEAD"] {
        let r = call(method, "/realtime/v1/websocket?vsn=1.0.0", &[], None);
        assert_eq!(r.status, 405, "{method}");
        assert!(
            r.header("content-type").is_some_and(|c| c.starts_with("application/json")),
            "{method} {:?}",
            r.headers
        );
    }
    let r = call("POST", "/realtime/v1/websocket", &[], None);
    assert_eq!(r.json(), json!({"message": "Method Not Allowed"}));
    let r = call("GET", "/realtime/v1/no-such-endpoint", &[], None);
    assert_eq!((r.status, r.json()), (404, json!({"message": "Not Found"})));
    let r = call("POST", "/functions/v1/", &[], Some("{}"));
    assert_eq!((r.status, r.json()), (404, json!({"msg": "Function not found"})));
    for path in ["/", "/rest/v1", "/graphql/v1"] {
        let r = call("PATCH", path, &[], None);
        assert_eq!((r.status, r.json()), (404, json!({"message": "no Route matched with those values"})), "{path}");
    }
}
