//! The error classification: what each service's failure becomes, which ones sign out, and
//! what the user reads.

use super::*;

#[test]
fn gotrue_current_format() {
    let e = ApiError::from_auth_response(
        400,
        None,
        r#"{"code":"invalid_credentials","message":"Invalid login credentials"}"#,
    );
    assert_eq!(e.code(), Some("invalid_credentials"));
    assert_eq!(e.user_message(), "Invalid login credentials");
    assert!(e.is_rejection());
}

#[test]
fn gotrue_legacy_and_oauth_formats() {
    let legacy = ApiError::from_auth_response(
        422,
        None,
        r#"{"code":422,"error_code":"weak_password","msg":"Password should be at least 6 characters."}"#,
    );
    assert_eq!(legacy.code(), Some("weak_password"));
    assert_eq!(legacy.user_message(), "Password should be at least 6 characters.");
    let oauth = ApiError::from_auth_response(400, None, r#"{"error":"invalid_grant","error_description":"Bad token"}"#);
    assert_eq!(oauth.user_message(), "Bad token");
    assert_eq!(oauth.code(), Some("invalid_grant"));
}

#[test]
fn unreadable_bodies_still_say_something() {
    let e = ApiError::from_auth_response(502, None, "<html>");
    assert_eq!(e.user_message(), "The server answered with status 502.");
    assert!(!e.is_rejection());
}

#[test]
fn storage_and_function_errors_say_what_happened() {
    let missing = ApiError::from_storage_response(
        400,
        r#"{"statusCode":"404","error":"not_found","message":"Object not found"}"#,
    );
    assert_eq!(missing.code(), Some("not_found"));
    assert_eq!(missing.user_message(), "Object not found");
    let foreign = ApiError::from_function_response(
        404,
        r#"{"error":"These generations do not exist or are not yours: 1.","missing_ids":["1"]}"#,
    );
    assert_eq!(foreign.user_message(), "These generations do not exist or are not yours: 1.");
    assert_eq!(foreign.status(), Some(404));
    let gateway = ApiError::from_function_response(504, r#"{"message":"The function timed out."}"#);
    assert!(gateway.user_message().starts_with("The function timed out."));
    let down = ApiError::FunctionUnreachable("generate-media".into());
    assert!(down.user_message().contains("could not be reached"));
    assert_eq!(
        ApiError::from_function_response(502, "").user_message(),
        "The server answered with status 502. Try again in a moment."
    );
}

#[test]
fn postgrest_errors_keep_code_and_message() {
    let e = ApiError::from_rest_response(
        400,
        None,
        r#"{"code":"23514","details":null,"hint":null,"message":"new row violates check constraint \"sessions_title_check\""}"#,
    );
    assert_eq!(e.code(), Some("23514"));
    assert!(e.user_message().contains("sessions_title_check"));
    let rls = ApiError::from_rest_response(
        403,
        None,
        r#"{"code":"42501","message":"new row violates row-level security policy","details":null,"hint":null}"#,
    );
    assert_eq!(rls.user_message(), "You are not allowed to do that.");
    let expired = ApiError::from_rest_response(401, None, r#"{"code":"PGRST303","message":"JWT expired"}"#);
    assert_eq!(expired.user_message(), "Your session has expired. Sign in again.");
}

/// GoTrue's answer once a rate limit is reached (the legacy shape hosted Auth sends).
const GOTRUE_429: &str = r#"{"code":429,"error_code":"over_request_rate_limit","msg":"Request rate limit reached"}"#;

#[test]
fn a_429_is_rate_limited_with_its_retry_after_and_never_a_rejection() {
    let e = ApiError::from_auth_response(429, Some("7"), GOTRUE_429);
    assert_eq!(e, ApiError::RateLimited { retry_after: Duration::from_secs(7) });
    assert!(!e.is_rejection(), "a rate-limited refresh must keep the session");
    assert_eq!(e.status(), Some(429));
    assert_eq!(e.user_message(), "Too many attempts — try again in 7 s");
    let rest = ApiError::from_rest_response(429, Some(" 5 "), r#"{"message":"Too Many Requests"}"#);
    assert_eq!(rest, ApiError::RateLimited { retry_after: Duration::from_secs(5) });
    assert!(!rest.is_rejection());
    assert_eq!(rest.user_message(), "Too many attempts — try again in 5 s");
}

#[test]
fn a_429_without_a_usable_retry_after_waits_a_minute() {
    for header in [None, Some(""), Some("soon"), Some("Wed, 21 Oct 2026 07:28:00 GMT"), Some("-3")] {
        assert_eq!(
            ApiError::from_auth_response(429, header, GOTRUE_429),
            ApiError::RateLimited { retry_after: DEFAULT_RETRY_AFTER },
            "Retry-After {header:?}"
        );
    }
    assert_eq!(ApiError::from_auth_response(429, None, "").user_message(), "Too many attempts — try again in 60 s");
    // Never "try again in 0 s", never a wait of days.
    assert_eq!(ApiError::rate_limited(Some("0")), ApiError::RateLimited { retry_after: Duration::from_secs(1) });
    assert_eq!(ApiError::rate_limited(Some("999999")), ApiError::RateLimited { retry_after: MAX_RETRY_AFTER });
    // A part second counts as a whole one: the message is never too early.
    let partial = ApiError::RateLimited { retry_after: Duration::from_millis(1500) };
    assert_eq!(partial.user_message(), "Too many attempts — try again in 2 s");
}

#[test]
fn a_refused_refresh_token_is_a_rejection() {
    let invalid_grant = ApiError::from_auth_response(
        400,
        None,
        r#"{"error":"invalid_grant","error_description":"Invalid Refresh Token: Refresh Token Not Found"}"#,
    );
    assert_eq!(invalid_grant.code(), Some("invalid_grant"));
    assert!(invalid_grant.is_rejection());
    let not_found = ApiError::from_auth_response(
        400,
        None,
        r#"{"code":"refresh_token_not_found","message":"Invalid Refresh Token: Refresh Token Not Found"}"#,
    );
    assert_eq!(not_found.code(), Some("refresh_token_not_found"));
    assert!(not_found.is_rejection());
}

fn rest_with_code(code: Option<&str>) -> ApiError {
    ApiError::Rest { status: 400, code: code.map(str::to_owned), message: "m".into(), details: None, hint: None }
}

#[test]
fn a_rest_error_names_its_postgres_code() {
    for &code in PgCode::ALL {
        assert_eq!(PgCode::from_sqlstate(code.sqlstate()), Some(code));
        assert!(rest_with_code(Some(code.sqlstate())).is_pg(code));
    }
    assert_eq!(rest_with_code(Some("22P02")).pg_code(), Some(PgCode::InvalidText));
    assert_eq!(rest_with_code(Some("42501")).pg_code(), Some(PgCode::InsufficientPrivilege));
    assert_eq!(rest_with_code(Some("PGRST116")).pg_code(), None, "PostgREST's own codes are not SQLSTATEs");
    assert_eq!(rest_with_code(None).pg_code(), None);
    let auth = ApiError::Auth { status: 400, code: Some("22023".into()), message: "m".into() };
    assert_eq!(auth.pg_code(), None, "only PostgREST answers carry Postgres codes");
}
