//! The client's one error type: what the server said (message and code) plus a text a user
//! can act on.

use serde_json::Value;

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
    /// The request never got an answer (offline, server down, CORS).
    #[error("Could not reach the server: {0}")]
    Network(String),
    /// The answer was not what the API promises.
    #[error("Unexpected response from the server: {0}")]
    Decode(String),
    /// There is no signed-in user to make the call as.
    #[error("Not signed in")]
    NotSignedIn,
}

impl ApiError {
    /// Builds the error for a non-2xx GoTrue response from its status and body text.
    pub fn from_auth_response(status: u16, body: &str) -> ApiError {
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

    /// Builds the error for a non-2xx PostgREST response from its status and body text.
    pub fn from_rest_response(status: u16, body: &str) -> ApiError {
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

    /// The server's error code, when it sent one.
    pub fn code(&self) -> Option<&str> {
        match self {
            ApiError::Auth { code, .. } | ApiError::Rest { code, .. } => code.as_deref(),
            _ => None,
        }
    }

    /// Whether the server rejected the credentials or token itself (as opposed to the call
    /// failing on the way), so a stored session must be dropped.
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
            ApiError::Auth { message, .. } => message.clone(),
            ApiError::Rest { status: 401, .. } => "Your session has expired. Sign in again.".to_owned(),
            ApiError::Rest { code: Some(code), .. } if code == "42501" => "You are not allowed to do that.".to_owned(),
            ApiError::Rest { status, message, .. } if *status >= 500 => {
                format!("The server had a problem ({message}). Try again in a moment.")
            }
            ApiError::Rest { message, .. } => message.clone(),
            ApiError::Network(_) => "Could not reach the server. Check your connection and try again.".to_owned(),
            ApiError::Decode(_) => "The server sent a response Atelier could not read. Try again.".to_owned(),
            ApiError::NotSignedIn => "You are signed out. Sign in again.".to_owned(),
        }
    }
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
            r#"{"code":422,"error_code":"weak_password","msg":"Password should be at least 6 characters."}"#,
        );
        assert_eq!(legacy.code(), Some("weak_password"));
        assert_eq!(legacy.user_message(), "Password should be at least 6 characters.");
        let oauth = ApiError::from_auth_response(400, r#"{"error":"invalid_grant","error_description":"Bad token"}"#);
        assert_eq!(oauth.user_message(), "Bad token");
        assert_eq!(oauth.code(), Some("invalid_grant"));
    }

    #[test]
    fn unreadable_bodies_still_say_something() {
        let e = ApiError::from_auth_response(502, "<html>");
        assert_eq!(e.user_message(), "The server answered with status 502.");
        assert!(!e.is_rejection());
    }

    #[test]
    fn postgrest_errors_keep_code_and_message() {
        let e = ApiError::from_rest_response(
            400,
            r#"{"code":"23514","details":null,"hint":null,"message":"new row violates check constraint \"sessions_title_check\""}"#,
        );
        assert_eq!(e.code(), Some("23514"));
        assert!(e.user_message().contains("sessions_title_check"));
        let rls = ApiError::from_rest_response(
            403,
            r#"{"code":"42501","message":"new row violates row-level security policy","details":null,"hint":null}"#,
        );
        assert_eq!(rls.user_message(), "You are not allowed to do that.");
        let expired = ApiError::from_rest_response(401, r#"{"code":"PGRST303","message":"JWT expired"}"#);
        assert_eq!(expired.user_message(), "Your session has expired. Sign in again.");
    }
}
