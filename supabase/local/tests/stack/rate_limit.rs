//! `[auth.rate_limit] sign_in_sign_ups` on an instance of its own that keeps config.toml's limit
//! (the shared instance raises it): 30 sign-ups and password sign-ins per 5 minutes per IP,
//! then GoTrue's 429 `over_request_rate_limit`.
use crate::common::*;
use serde_json::json;

#[test]
fn sign_ins_and_sign_ups_beyond_the_configured_limit_get_429() {
    let strict = spawn(&[]);
    let v = ("X-Supabase-Api-Version", "2024-01-01");
    let email = format!("rl{}@example.test", uuid_like());
    let body = format!(r#"{{"email":"{email}","password":"secret123"}}"#);
    let r = call_on(strict.port, "POST", "/auth/v1/signup", &[v], Some(&body));
    assert_eq!(r.status, 200, "{}", r.body);
    let wrong = format!(r#"{{"email":"{email}","password":"wrong-password"}}"#);
    let statuses: Vec<u16> = (0..40)
        .map(|_| call_on(strict.port, "POST", "/auth/v1/token?grant_type=password", &[v], Some(&wrong)).status)
        .collect();
    // The sign-up took one of the 30: 29 wrong passwords are judged, then the limit holds.
    assert!(statuses[..29].iter().all(|s| *s == 400), "{statuses:?}");
    assert!(statuses[29..].iter().all(|s| *s == 429), "{statuses:?}");
    let r = call_on(strict.port, "POST", "/auth/v1/token?grant_type=password", &[v], Some(&body));
    assert_eq!(
        (r.status, r.json()),
        (429, json!({"code": "over_request_rate_limit", "message": "Request rate limit reached"})),
        "even the right password waits"
    );
    let r = call_on(strict.port, "POST", "/auth/v1/signup", &[], Some(&body.replace("rl", "rl2")));
    assert_eq!(
        (r.status, r.json()),
        (429, json!({"code": 429, "error_code": "over_request_rate_limit", "msg": "Request rate limit reached"}))
    );
    // Refreshing a session is not a sign-in: it is not held back by this limit.
    let r = call_on(
        strict.port,
        "POST",
        "/auth/v1/token?grant_type=refresh_token",
        &[v],
        Some(r#"{"refresh_token":"zzzzzzzzzzzzzzzzzzzzzzzz"}"#),
    );
    assert_eq!((r.status, r.json()["code"].clone()), (400, json!("refresh_token_not_found")));
}
