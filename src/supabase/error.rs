//! The client's one error type: what the server said (message and code) plus a text a user
//! can act on.

use std::time::Duration;

use serde_json::Value;

/// How long to wait after a 429 that carries no `Retry-After` in seconds (absent, an HTTP
/// date, garbage — or not readable: a cross-origin response exposes it only when the server
/// lists it in `Access-Control-Expose-Headers`).
pub const DEFAULT_RETRY_AFTER: Duration = Duration::from_secs(60);
/// The longest wait a `Retry-After` is taken at, so a bogus value cannot park a retry for days.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(3600);

/// A failed call to Supabase.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApiError {
    /// GoTrue answered with an error (`{code, message}`, legacy `{error_code, msg}` or
    /// OAuth-style `{error, error_description}`).
    #[error("{message}")]
    Auth { status: u16, code: Option<String>, message: String },
    /// PostgREST answered with an error (`{code, message, details, hint}`).
    #[error("{message}")]
    Rest { status: u16, code: Option<String>, message: String, details: Option<String>, hint: Option<String> },
    /// Storage answered with an error (`{statusCode, error, message}`).
    #[error("{message}")]
    Storage { status: u16, code: Option<String>, message: String },
    /// An Edge Function (or the gateway in front of it) answered with an error (`{error}`).
    #[error("{message}")]
    Function { status: u16, message: String },
    /// An Edge Function could not be reached at all (offline, gateway down, CORS).
    #[error("The {0} function could not be reached")]
    FunctionUnreachable(String),
    /// The request never got an answer (offline, server down, CORS).
    #[error("Could not reach the server: {0}")]
    Network(String),
    /// The answer was not what the API promises.
    #[error("Unexpected response from the server: {0}")]
    Decode(String),
    /// There is no signed-in user to make the call as.
    #[error("Not signed in")]
    NotSignedIn,
    /// The server answered 429 (GoTrue's `over_request_rate_limit`, or a gateway in front of
    /// PostgREST): too many requests in its window. Nothing was refused for good — the same
    /// call, a token refresh included, may succeed after `retry_after`.
    #[error("Too many attempts — try again in {} s", whole_seconds(retry_after))]
    RateLimited { retry_after: Duration },
}

impl ApiError {
    /// The error for a 429 answer, waiting the `Retry-After` header's seconds (at least one,
    /// at most an hour), or [`DEFAULT_RETRY_AFTER`] when it is absent or not a number.
    pub fn rate_limited(retry_after: Option<&str>) -> ApiError {
        let seconds = retry_after.and_then(|value| value.trim().parse::<u64>().ok());
        let retry_after = seconds.map_or(DEFAULT_RETRY_AFTER, |s| Duration::from_secs(s.max(1)).min(MAX_RETRY_AFTER));
        ApiError::RateLimited { retry_after }
    }

    /// Builds the error for a non-2xx GoTrue response from its status, `Retry-After` header
    /// and body text.
    pub fn from_auth_response(status: u16, retry_after: Option<&str>, body: &str) -> ApiError {
        if status == 429 {
            return ApiError::rate_limited(retry_after);
        }
        let json: Value = serde_json::from_str(body).unwrap_or(Value::Null);
        let text = |key: &str| json.get(key).and_then(Value::as_str).map(str::to_owned);
        let code = text("error_code").or_else(|| text("code")).or_else(|| text("error"));
        let message = text("msg")
            .or_else(|| text("message"))
            .or_else(|| text("error_description"))
            .or_else(|| text("error"))
            .unwrap_or_else(|| fallback_message(status));
        ApiError::Auth { status, code, message }
    }

    /// Builds the error for a non-2xx PostgREST response from its status, `Retry-After`
    /// header and body text.
    pub fn from_rest_response(status: u16, retry_after: Option<&str>, body: &str) -> ApiError {
        if status == 429 {
            return ApiError::rate_limited(retry_after);
        }
        let json: Value = serde_json::from_str(body).unwrap_or(Value::Null);
        let text = |key: &str| json.get(key).and_then(Value::as_str).map(str::to_owned);
        ApiError::Rest {
            status,
            code: text("code"),
            message: text("message").unwrap_or_else(|| fallback_message(status)),
            details: text("details"),
            hint: text("hint"),
        }
    }

    /// Builds the error for a non-2xx Storage response from its status and body text.
    pub fn from_storage_response(status: u16, body: &str) -> ApiError {
        let json: Value = serde_json::from_str(body).unwrap_or(Value::Null);
        let text = |key: &str| json.get(key).and_then(Value::as_str).map(str::to_owned);
        ApiError::Storage {
            status,
            code: text("error"),
            message: text("message").unwrap_or_else(|| fallback_message(status)),
        }
    }

    /// Builds the error for a non-2xx Edge Function response: the function's `{error}`, or
    /// the gateway's `{message}`/`{msg}`.
    pub fn from_function_response(status: u16, body: &str) -> ApiError {
        let json: Value = serde_json::from_str(body).unwrap_or(Value::Null);
        let text = |key: &str| json.get(key).and_then(Value::as_str).map(str::to_owned);
        let message = text("error")
            .or_else(|| text("message"))
            .or_else(|| text("msg"))
            .unwrap_or_else(|| fallback_message(status));
        ApiError::Function { status, message }
    }

    /// The server's message followed by its hint (PostgREST's `hint`: what to do next), as
    /// one text: "Unknown time zone: Mars/Olympus. Use an IANA name such as Europe/Paris."
    pub fn message_with_hint(&self) -> String {
        match self {
            ApiError::Rest { message, hint: Some(hint), .. } if !hint.trim().is_empty() => {
                format!("{} {}", sentence(message), hint.trim())
            }
            _ => self.to_string(),
        }
    }

    /// The HTTP status the server answered with, when it answered.
    pub fn status(&self) -> Option<u16> {
        match self {
            ApiError::Auth { status, .. }
            | ApiError::Rest { status, .. }
            | ApiError::Storage { status, .. }
            | ApiError::Function { status, .. } => Some(*status),
            ApiError::RateLimited { .. } => Some(429),
            _ => None,
        }
    }

    /// The server's error code, when it sent one.
    pub fn code(&self) -> Option<&str> {
        match self {
            ApiError::Auth { code, .. } | ApiError::Rest { code, .. } | ApiError::Storage { code, .. } => {
                code.as_deref()
            }
            _ => None,
        }
    }

    /// Whether the server rejected the credentials or token itself (as opposed to the call
    /// failing on the way, or being rate-limited), so a stored session must be dropped.
    pub fn is_rejection(&self) -> bool {
        match self {
            ApiError::Auth { status, .. } | ApiError::Rest { status, .. } => (400..500).contains(status),
            ApiError::NotSignedIn => true,
            _ => false,
        }
    }

    /// What to tell the user: the server's own message where it is meant for people,
    /// otherwise what happened and what to do next.
    pub fn user_message(&self) -> String {
        match self {
            ApiError::Auth { status: 401 | 403, code: Some(code), .. }
                if matches!(
                    code.as_str(),
                    "bad_jwt" | "session_not_found" | "session_expired" | "no_authorization"
                ) =>
            {
                "Your session has expired. Sign in again.".to_owned()
            }
            ApiError::Auth { message, .. } => message.clone(),
            ApiError::Rest { status: 401, .. } => "Your session has expired. Sign in again.".to_owned(),
            ApiError::Rest { code: Some(code), .. } if code == "42501" => "You are not allowed to do that.".to_owned(),
            ApiError::Rest { status, message, .. } if *status >= 500 => {
                format!("The server had a problem ({message}). Try again in a moment.")
            }
            ApiError::Rest { message, .. } => message.clone(),
            ApiError::Storage { status: 401 | 403, .. } => "You are not allowed to do that.".to_owned(),
            ApiError::Storage { message, .. } => message.clone(),
            ApiError::Function { status: 401, .. } => "Your session has expired. Sign in again.".to_owned(),
            ApiError::Function { status, message } if *status >= 500 => {
                format!("{} Try again in a moment.", sentence(message))
            }
            ApiError::Function { message, .. } => message.clone(),
            ApiError::FunctionUnreachable(name) => {
                format!("The {name} service could not be reached. Check your connection and retry.")
            }
            ApiError::Network(_) => "Could not reach the server. Check your connection and try again.".to_owned(),
            ApiError::Decode(_) => "The server sent a response Atelier could not read. Try again.".to_owned(),
            ApiError::NotSignedIn => "You are signed out. Sign in again.".to_owned(),
            ApiError::RateLimited { .. } => self.to_string(),
        }
    }
}

/// `text` ending with a full stop (or whatever punctuation it already ends with).
fn sentence(text: &str) -> String {
    let text = text.trim();
    if text.ends_with(['.', '!', '?', '—']) {
        text.to_owned()
    } else {
        format!("{text}.")
    }
}

/// A wait in whole seconds, rounded up, so "try again in N s" is never too early.
fn whole_seconds(wait: &Duration) -> u64 {
    wait.as_secs() + u64::from(wait.subsec_nanos() > 0)
}

fn fallback_message(status: u16) -> String {
    format!("The server answered with status {status}.")
}

#[cfg(test)]
mod tests {
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
        let oauth =
            ApiError::from_auth_response(400, None, r#"{"error":"invalid_grant","error_description":"Bad token"}"#);
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
    const GOTRUE_429: &str =
        r#"{"code":429,"error_code":"over_request_rate_limit","msg":"Request rate limit reached"}"#;

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
}
