//! `[auth.rate_limit]` as config.toml sets it (an instance of its own, default settings):
//! password grants count against `sign_in_sign_ups` however the grant type is spelled, and
//! refresh grants against `token_refresh` (150 per 5 minutes per IP), each answered with
//! GoTrue's 429 `over_request_rate_limit` once spent.
use crate::common::*;
use serde_json::json;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

const V: (&str, &str) = ("X-Supabase-Api-Version", "2024-01-01");

/// The default-settings instance and one user signed up on it before any bucket is spent
/// (the sign-up takes one of the 30 sign-ins).
struct Strict {
    instance: Instance,
    email: String,
    access_token: String,
    refresh_token: String,
}

fn strict() -> &'static Strict {
    static STRICT: OnceLock<Strict> = OnceLock::new();
    STRICT.get_or_init(|| {
        let instance = spawn(&[]);
        let email = format!("limits{}@example.test", uuid_like());
        let body = format!(r#"{{"email":"{email}","password":"secret123"}}"#);
        let r = call_on(instance.port, "POST", "/auth/v1/signup", &[V], Some(&body));
        assert_eq!(r.status, 200, "{}", r.body);
        let (access_token, refresh_token) = (
            r.json()["access_token"].as_str().unwrap().to_string(),
            r.json()["refresh_token"].as_str().unwrap().to_string(),
        );
        Strict { instance, email, access_token, refresh_token }
    })
}

/// Sends `request` until the first 429 (at most `limit + 20` times); returns how many were
/// let through and how long that took. The buckets refill at `limit` per 5 minutes, so a slow
/// run may be let through `elapsed / (300 s / limit)` more.
fn passed_before_429(limit: u32, mut request: impl FnMut() -> u16) -> (u32, Duration) {
    let started = Instant::now();
    for n in 0..limit + 20 {
        let status = request();
        if status == 429 {
            return (n, started.elapsed());
        }
        assert_ne!(status, 500);
    }
    panic!("no 429 after {} requests", limit + 20);
}

fn assert_limit(passed: u32, elapsed: Duration, limit: u32) {
    let refilled = (elapsed.as_secs_f64() / (300.0 / f64::from(limit))).ceil() as u32;
    assert!(passed >= limit && passed <= limit + refilled, "{passed} passed in {elapsed:?}, limit {limit}");
}

#[test]
fn a_percent_encoded_password_grant_counts_against_the_sign_in_limit() {
    let s = strict();
    let wrong = format!(r#"{{"email":"{}","password":"wrong-password"}}"#, s.email);
    // `p%61ssword` is `password` to GoTrue (and to our handler, which judges the password).
    let r = call_on(s.instance.port, "POST", "/auth/v1/token?grant_type=p%61ssword", &[V], Some(&wrong));
    assert_eq!((r.status, r.json()["code"].clone()), (400, json!("invalid_credentials")), "{}", r.body);
    let (passed, elapsed) = passed_before_429(30, || {
        call_on(s.instance.port, "POST", "/auth/v1/token?grant_type=%70assword", &[V], Some(&wrong)).status
    });
    // The sign-up and the first guess above took two of the 30.
    assert_limit(passed + 2, elapsed, 30);
    let right = format!(r#"{{"email":"{}","password":"secret123"}}"#, s.email);
    let r = call_on(s.instance.port, "POST", "/auth/v1/token?grant_type=password", &[V], Some(&right));
    assert_eq!(
        (r.status, r.json()),
        (429, json!({"code": "over_request_rate_limit", "message": "Request rate limit reached"}))
    );
    // Password changes share the bucket (GoTrue's same_password answer would otherwise let a
    // token holder test guesses of the current password unthrottled).
    let auth = bearer(&s.access_token);
    let r = call_on(
        s.instance.port,
        "PUT",
        "/auth/v1/user",
        &[V, ("Authorization", &auth)],
        Some(r#"{"password":"secret123"}"#),
    );
    assert_eq!((r.status, r.json()["code"].clone()), (429, json!("over_request_rate_limit")));
}

#[test]
fn refreshes_beyond_the_configured_150_get_429() {
    let s = strict();
    let unknown = r#"{"refresh_token":"zzzzzzzzzzzzzzzzzzzzzzzz"}"#;
    // Every refresh request counts, found or not, as GoTrue limits before the handler runs.
    let (passed, elapsed) = passed_before_429(150, || {
        call_on(s.instance.port, "POST", "/auth/v1/token?grant_type=refresh_token", &[V], Some(unknown)).status
    });
    assert_limit(passed, elapsed, 150);
    // A real session's refresh is held back too, in both error formats.
    let body = format!(r#"{{"refresh_token":"{}"}}"#, s.refresh_token);
    let r = call_on(s.instance.port, "POST", "/auth/v1/token?grant_type=refresh_token", &[], Some(&body));
    assert_eq!(
        (r.status, r.json()),
        (429, json!({"code": 429, "error_code": "over_request_rate_limit", "msg": "Request rate limit reached"}))
    );
    let r = call_on(s.instance.port, "POST", "/auth/v1/token?grant_type=refresh_t%6fken", &[V], Some(&body));
    assert_eq!((r.status, r.json()["code"].clone()), (429, json!("over_request_rate_limit")));
}

/// `SUPABASE_LOCAL_AUTH_RATE_LIMIT` (`--auth-rate-limit`), which the shared instance sets, lifts
/// the refresh limit as well: test suites refresh far more than 150 sessions in 5 minutes.
#[test]
fn the_raised_limit_of_test_instances_covers_refreshes_too() {
    let unknown = r#"{"refresh_token":"zzzzzzzzzzzzzzzzzzzzzzzz"}"#;
    for n in 0..160 {
        let r = call("POST", "/auth/v1/token?grant_type=refresh_token", &[V], Some(unknown));
        assert_eq!((r.status, r.json()["code"].clone()), (400, json!("refresh_token_not_found")), "refresh {n}");
    }
}
