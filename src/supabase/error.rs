//! The client's one error type: what the server said (message and code) plus a text a user
//! can act on.

use std::time::Duration;

use serde_json::Value;

use super::PgCode;

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
            e @ ApiError::Rest { .. } if e.is_pg(PgCode::InsufficientPrivilege) => {
                "You are not allowed to do that.".to_owned()
            }
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

impl ApiError {
    /// The Postgres code of a PostgREST error, when it is one the app tells apart.
    pub fn pg_code(&self) -> Option<PgCode> {
        match self {
            ApiError::Rest { code: Some(code), .. } => PgCode::from_sqlstate(code),
            _ => None,
        }
    }

    /// Whether PostgREST answered with this Postgres code.
    pub fn is_pg(&self, code: PgCode) -> bool {
        self.pg_code() == Some(code)
    }
}

#[cfg(test)]
#[path = "error_tests.rs"]
mod tests;
