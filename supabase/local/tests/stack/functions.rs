//! `/functions/v1` through the whole stack, against the project's real `health` function
//! (crash, timeout and boot failures are covered by the runtime's unit tests with fixtures).
use crate::common::*;
use serde_json::json;

#[test]
fn invokes_a_function_with_headers_query_and_body_passed_through() {
    let (token, _, user_id, _) = new_user();
    let auth = bearer(&token);
    let r = call(
        "POST",
        "/functions/v1/health/deep/path?x=1",
        &[("Authorization", &auth), ("X-Client-Info", "stack-test")],
        Some(r#"{"ping":1}"#),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.header("content-type").unwrap().starts_with("application/json"));
    assert_eq!(r.header("access-control-allow-origin"), Some("*"));
    let j = r.json();
    assert_eq!(j["ok"], true);
    assert_eq!(j["method"], "POST");
    assert_eq!(j["path"], "/health/deep/path");
    assert_eq!(j["query"], json!({"x": "1"}));
    assert_eq!(j["user_id"], user_id.as_str(), "the function saw the caller's JWT");
    assert_eq!(j["apikey"], true);
    assert_eq!(j["client_info"], "stack-test");
    assert_eq!(j["body_bytes"], 10);
    assert_eq!(j["supabase_url"], format!("http://127.0.0.1:{}", instance().port));
}

#[test]
fn a_call_with_only_a_bearer_jwt_reaches_the_function_as_pg_net_calls_do() {
    // The database wakes functions through pg_net with an Authorization header and no apikey.
    let (token, _, user_id, _) = new_user();
    let r = call("POST", "/functions/v1/health", &[("apikey", "-"), ("Authorization", &bearer(&token))], Some("{}"));
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!((r.json()["apikey"].clone(), r.json()["user_id"].clone()), (json!(false), json!(user_id)));
    // verify_jwt still guards it: neither key nor token is the runtime's 401, not the gateway's.
    let r = call("POST", "/functions/v1/generate-media", &[("apikey", "-")], Some("{}"));
    assert_eq!((r.status, r.json()), (401, json!({"msg": "Error: Missing authorization header"})));
    // Other services still need the key.
    let r = call("GET", "/rest/v1/sessions", &[("apikey", "-"), ("Authorization", &bearer(&token))], None);
    assert_eq!((r.status, r.json()["message"].clone()), (401, json!("No API key found in request")));
}

#[test]
fn verify_jwt_refuses_bad_tokens_before_the_function_runs() {
    let r = call("POST", "/functions/v1/generate-media", &[("Authorization", "Bearer not-a-jwt")], Some("{}"));
    assert_eq!((r.status, r.json()), (401, json!({"msg": "Invalid JWT"})));
    let secret = supabase_local::config::JWT_SECRET;
    let expired = supabase_local::jwt::sign(
        &json!({"role": "authenticated", "sub": "00000000-0000-0000-0000-000000000001", "exp": 1000}),
        secret,
    );
    let r = call("POST", "/functions/v1/generate-media", &[("Authorization", &bearer(&expired))], Some("{}"));
    assert_eq!((r.status, r.json()), (401, json!({"msg": "Invalid JWT"})));
    let forged = supabase_local::jwt::sign(
        &json!({"role": "service_role", "exp": 4000000000u64}),
        "not-the-secret-not-the-secret-not-the-secret",
    );
    let r = call("POST", "/functions/v1/generate-media", &[("Authorization", &bearer(&forged))], Some("{}"));
    assert_eq!((r.status, r.json()), (401, json!({"msg": "Invalid JWT"})));
}

#[test]
fn unknown_functions_are_404_and_preflights_answer() {
    let r = call("POST", "/functions/v1/no-such-function", &[], Some("{}"));
    assert_eq!((r.status, r.json()), (404, json!({"msg": "Function not found"})));
    let r = call("POST", "/functions/v1/_shared", &[], Some("{}"));
    assert_eq!(r.status, 404);
    let r = call(
        "OPTIONS",
        "/functions/v1/generate-media",
        &[
            ("Origin", "http://localhost:8080"),
            ("Access-Control-Request-Method", "POST"),
            ("Access-Control-Request-Headers", "authorization, x-client-info, apikey, content-type"),
        ],
        None,
    );
    assert_eq!(r.status, 200);
    assert_eq!(r.header("access-control-allow-origin"), Some("*"));
    assert!(r.header("access-control-allow-headers").unwrap().contains("authorization"));
}

/// A slow provider (the demo one held back by a test-only delay, set through the stack's
/// `SUPABASE_LOCAL_FUNCTION_ENV_*` on an instance of its own) is answered quickly and finishes
/// after the response, while a provider missing its key is still answered 503 at once:
/// `generate-media/background_stack_test.ts` checks both through the gateway.
#[test]
fn slow_generations_are_answered_early_and_finish_in_the_background() {
    let project = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."));
    let deno = supabase_local::api::functions::settings::resolve_deno(project).unwrap_or_else(|| {
        panic!(
            "no Deno to run background_stack_test.ts: run scripts/ensure-tools.sh \
             (it installs node_modules/.bin/deno), or set DENO_BIN"
        )
    });
    let (delay, window) = ("6000", "1000");
    let slow = spawn(&[
        ("SUPABASE_LOCAL_AUTH_RATE_LIMIT", "1000000"),
        ("SUPABASE_LOCAL_FUNCTION_ENV_DEMO_DELAY_MS", delay),
        ("SUPABASE_LOCAL_FUNCTION_ENV_GENERATION_ANSWER_WITHIN_MS", window),
        ("SUPABASE_LOCAL_FUNCTION_ENV_VIDEO_PROVIDER", "replicate"),
        ("SUPABASE_LOCAL_FUNCTION_ENV_REPLICATE_API_TOKEN", ""),
    ]);
    let service = supabase_local::jwt::service_role_key(supabase_local::config::JWT_SECRET);
    let out = std::process::Command::new(deno)
        .args([
            "test",
            "--allow-net",
            "--allow-env",
            "--allow-read",
            "supabase/functions/generate-media/background_stack_test.ts",
        ])
        .current_dir(project)
        .env("SUPABASE_URL", format!("http://127.0.0.1:{}", slow.port))
        .env("SUPABASE_ANON_KEY", ANON)
        .env("SUPABASE_SERVICE_ROLE_KEY", service)
        .env("DEMO_DELAY_MS", delay)
        .env("GENERATION_ANSWER_WITHIN_MS", window)
        .env("VIDEO_PROVIDER", "replicate")
        .env_remove("REPLICATE_API_TOKEN")
        .env("NO_COLOR", "1")
        .output()
        .expect("run deno test");
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "{text}");
    assert!(text.contains("ok | 2 passed | 0 failed"), "the test ran rather than being skipped:\n{text}");
}

/// Sends `head` and then `body` from another thread (the server may answer and close before
/// reading it all) and returns the status line and body of the answer.
fn send_big(head: String, body: Vec<u8>) -> (u16, String) {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(("127.0.0.1", instance().port)).unwrap();
    s.set_read_timeout(Some(std::time::Duration::from_secs(60))).unwrap();
    let mut w = s.try_clone().unwrap();
    std::thread::spawn(move || {
        let _ = w.write_all(head.as_bytes()).and_then(|_| w.write_all(&body));
    });
    let mut raw = Vec::new();
    let _ = s.read_to_end(&mut raw);
    let text = String::from_utf8_lossy(&raw).into_owned();
    let status = text.split(' ').nth(1).and_then(|c| c.parse().ok()).unwrap_or(0);
    (status, text.split_once("\r\n\r\n").map(|(_, b)| b.to_string()).unwrap_or_default())
}

#[test]
fn a_20_mib_body_is_refused_before_the_function_runs() {
    let too_large = json!({"message": "Request size limit exceeded"});
    let size = 20 << 20;
    let auth = bearer(ANON);
    let head = format!(
        "POST /functions/v1/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\napikey: {ANON}\r\nAuthorization: {auth}\r\nContent-Length: {size}\r\n\r\n"
    );
    let (status, body) = send_big(head, vec![b'x'; size]);
    assert_eq!(status, 413, "{body}");
    assert_eq!(serde_json::from_str::<serde_json::Value>(&body).unwrap(), too_large);
    // Chunked (no length announced): the same cap, counted as the body arrives.
    let head = format!(
        "POST /functions/v1/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\napikey: {ANON}\r\nAuthorization: {auth}\r\nTransfer-Encoding: chunked\r\n\r\n"
    );
    let mut chunked = Vec::new();
    for _ in 0..20 {
        chunked.extend_from_slice(format!("{:x}\r\n", 1 << 20).as_bytes());
        chunked.extend(std::iter::repeat_n(b'y', 1 << 20));
        chunked.extend_from_slice(b"\r\n");
    }
    chunked.extend_from_slice(b"0\r\n\r\n");
    let (status, body) = send_big(head, chunked);
    assert_eq!(status, 413, "{body}");
    // A body within the cap still reaches the function, which reports its size.
    let within = "z".repeat(1 << 20);
    let r = call("POST", "/functions/v1/health", &[("authorization", &auth)], Some(&within));
    assert_eq!((r.status, r.json()["body_bytes"].clone()), (200, json!(1 << 20)), "{}", r.body);
}
