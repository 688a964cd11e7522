//! The one API error enum, rendered as each real service renders its errors:
//! Kong (`{"message"}`), GoTrue (two formats, see
//! <https://supabase.com/docs/guides/auth/debugging/error-codes>) and PostgREST (4-key JSON, see
//! <https://docs.postgrest.org/en/v12/references/errors.html>).
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};

/// The GoTrue API version that selects the `{code, message}` error format.
pub const API_VERSION: &str = "2024-01-01";

#[derive(Debug, Clone, thiserror::Error)]
pub enum ApiError {
    /// Hosted Kong's answer to a request without `apikey`.
    #[error("No API key found in request")]
    NoApiKey,
    /// The gateway's answer to an `sb_` key it does not know (only the CLI's two keys map to a role).
    #[error("Invalid API key")]
    InvalidApiKey,
    /// Kong's request-size-limiting answer to a body over the cap.
    #[error("Request size limit exceeded")]
    PayloadTooLarge,
    /// Kong's answer to a path no service owns.
    #[error("no Route matched with those values")]
    NoRoute,
    #[error("{message}")]
    Auth {
        status: StatusCode,
        code: &'static str,
        message: String,
        weak_reasons: Option<Vec<&'static str>>,
        api_version: Option<String>,
    },
    #[error("{message}")]
    Rest {
        status: StatusCode,
        code: String,
        message: String,
        details: Option<String>,
        hint: Option<String>,
        www_authenticate: Option<String>,
    },
}

impl ApiError {
    pub fn auth(status: u16, code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError::Auth {
            status: StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST),
            code,
            message: message.into(),
            weak_reasons: None,
            api_version: None,
        }
    }

    pub fn rest(status: u16, code: &str, message: impl Into<String>, details: Option<String>) -> ApiError {
        ApiError::Rest {
            status: StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST),
            code: code.to_string(),
            message: message.into(),
            details,
            hint: None,
            www_authenticate: None,
        }
    }

    /// Tags a GoTrue error with the request's `X-Supabase-Api-Version` (selects the body format).
    pub fn with_api_version(self, version: Option<&str>) -> ApiError {
        match self {
            ApiError::Auth { status, code, message, weak_reasons, .. } => {
                ApiError::Auth { status, code, message, weak_reasons, api_version: version.map(str::to_string) }
            }
            other => other,
        }
    }

    /// A pool failure as PostgREST reports it: a full pool is 504 PGRST003.
    pub fn from_pool(e: &crate::postgres::pool::PoolError, role: &str) -> ApiError {
        match e {
            crate::postgres::pool::PoolError::Timeout(_) => {
                ApiError::rest(504, "PGRST003", "Timed out acquiring connection from connection pool.", None)
            }
            crate::postgres::pool::PoolError::Connect(e) => ApiError::from_pg(e, role),
        }
    }

    /// A Postgres error mapped the way PostgREST's `pgErrorStatus` does; `role` decides 401 vs 403.
    pub fn from_pg(e: &tokio_postgres::Error, role: &str) -> ApiError {
        let Some(db) = e.as_db_error() else {
            return ApiError::rest(
                503,
                "PGRST000",
                "Database client error. Retrying the connection.",
                Some(e.to_string()),
            );
        };
        let code = db.code().code();
        let status = match code {
            "42501" if role == "anon" => 401,
            "42501" => 403,
            "23505" | "23503" => 409,
            "42P01" | "42883" => 404,
            "42P17" => 500,
            "25006" => 405,
            "22023" if db.message().starts_with("role") => 401,
            "P0001" => 400,
            c if c.starts_with("PT") => c[2..].parse().unwrap_or(500),
            c if c.starts_with("P0") => 500,
            c if c.starts_with("08") || c.starts_with("53") || c == "57P01" => 503,
            c if c.starts_with("0L") || c.starts_with("0P") || c.starts_with("28") => 403,
            c if c.starts_with("22") || c.starts_with("23") || c.starts_with("42") || c == "21000" => 400,
            _ => 500,
        };
        let www = (status == 401).then(|| "Bearer".to_string());
        ApiError::Rest {
            status: StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            code: code.to_string(),
            message: db.message().to_string(),
            details: db.detail().map(str::to_string),
            hint: db.hint().map(str::to_string),
            www_authenticate: www,
        }
    }
}

fn json_response(status: StatusCode, body: &Value) -> Response {
    let mut r = (status, body.to_string()).into_response();
    r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json; charset=utf-8"));
    r
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        match self {
            ApiError::NoApiKey => {
                json_response(StatusCode::UNAUTHORIZED, &json!({"message": "No API key found in request"}))
            }
            ApiError::InvalidApiKey => json_response(
                StatusCode::UNAUTHORIZED,
                &json!({"message": "Invalid API key", "hint": "Double check your Supabase `anon` or `service_role` API key."}),
            ),
            ApiError::PayloadTooLarge => {
                json_response(StatusCode::PAYLOAD_TOO_LARGE, &json!({"message": "Request size limit exceeded"}))
            }
            ApiError::NoRoute => {
                json_response(StatusCode::NOT_FOUND, &json!({"message": "no Route matched with those values"}))
            }
            ApiError::Auth { status, code, message, weak_reasons, api_version } => {
                // The auth routes' middleware re-renders it with the request's API version.
                let attached = ApiError::Auth {
                    status,
                    code,
                    message: message.clone(),
                    weak_reasons: weak_reasons.clone(),
                    api_version: api_version.clone(),
                };
                let versioned = api_version.as_deref().is_some_and(|v| v >= API_VERSION);
                let mut body = if versioned {
                    json!({"code": code, "message": message})
                } else {
                    json!({"code": status.as_u16(), "error_code": code, "msg": message})
                };
                if let Some(reasons) = weak_reasons {
                    body["weak_password"] = json!({"reasons": reasons});
                }
                let mut r = json_response(status, &body);
                r.headers_mut().insert("x-sb-error-code", HeaderValue::from_static(code));
                if let Some(v) = api_version.and_then(|v| HeaderValue::from_str(&v).ok()) {
                    r.headers_mut().insert("x-supabase-api-version", v);
                }
                r.extensions_mut().insert(attached);
                r
            }
            ApiError::Rest { mut status, code, message, details, hint, www_authenticate } => {
                // PostgreSQL's class 54 errors ("program limit exceeded": a select list over
                // 1,664 entries, a statement too complex) are reached only through the size of
                // the request itself, so they are the caller's to fix: 400 with Postgres's code
                // and message, where PostgREST's `pgErrorStatus` answers 500.
                if code.starts_with("54") {
                    status = StatusCode::BAD_REQUEST;
                }
                // PGRST201 carries its candidate relationships as a JSON array in `details`.
                if code == "PGRST201" {
                    if let Some(list) = details.as_deref().and_then(|d| serde_json::from_str::<Value>(d).ok()) {
                        return json_response(
                            status,
                            &json!({"code": code, "details": list, "hint": hint, "message": message}),
                        );
                    }
                }
                let mut r =
                    json_response(status, &json!({"code": code, "details": details, "hint": hint, "message": message}));
                if let Ok(v) = HeaderValue::from_str(&format!("PostgREST; error={code}")) {
                    r.headers_mut().insert("proxy-status", v);
                }
                if let Some(v) = www_authenticate.and_then(|v| HeaderValue::from_str(&v).ok()) {
                    r.headers_mut().insert(header::WWW_AUTHENTICATE, v);
                }
                r
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn parts(e: ApiError) -> (StatusCode, Vec<(String, String)>, String) {
        let r = e.into_response();
        let headers = r.headers().iter().map(|(k, v)| (k.to_string(), v.to_str().unwrap().to_string())).collect();
        let status = r.status();
        let body = axum::body::to_bytes(r.into_body(), 1 << 20).await.unwrap();
        (status, headers, String::from_utf8(body.to_vec()).unwrap())
    }

    /// PGRST201 lists its candidate relationships as JSON in `details`, as PostgREST does.
    #[tokio::test]
    async fn an_ambiguous_embed_lists_its_candidates_as_json() {
        let details = r#"[{"cardinality":"many-to-one","relationship":"a_fk"}]"#;
        let (status, headers, body) =
            parts(ApiError::rest(300, "PGRST201", "Could not embed", Some(details.into()))).await;
        assert_eq!(status, 300);
        assert_eq!(
            body,
            r#"{"code":"PGRST201","details":[{"cardinality":"many-to-one","relationship":"a_fk"}],"hint":null,"message":"Could not embed"}"#
        );
        assert_eq!(headers, vec![("content-type".to_string(), "application/json; charset=utf-8".to_string())]);
    }

    /// Other REST errors keep `details` as a string and name the error in `Proxy-Status`.
    #[tokio::test]
    async fn a_rest_error_keeps_string_details() {
        let (status, headers, body) = parts(ApiError::rest(400, "PGRST100", "bad", Some("[1]".into()))).await;
        assert_eq!(status, 400);
        assert_eq!(body, r#"{"code":"PGRST100","details":"[1]","hint":null,"message":"bad"}"#);
        assert!(headers.contains(&("proxy-status".to_string(), "PostgREST; error=PGRST100".to_string())));
    }

    /// A program-limit error (class 54) is the request's doing: 400, not PostgREST's 500.
    #[tokio::test]
    async fn a_program_limit_error_is_a_client_error() {
        let e = ApiError::rest(500, "54011", "target lists can have at most 1664 entries", None);
        assert_eq!(parts(e).await.0, StatusCode::BAD_REQUEST);
    }
}
