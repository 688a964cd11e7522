//! The api-key gate (reference §0): exactly the CLI's secret key is the service role and exactly
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
    let body = json!({"platform": "x", "handle": handle}).to_string();
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
