//! Storage's error JSON: `{statusCode, code, error, message}`, where `statusCode` is the logical
//! status as a string and the HTTP status is 400 for every non-500 error (<https://supabase.com/docs/guides/storage/debugging/error-codes>).
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::json;

#[derive(Debug, Clone, thiserror::Error)]
#[error("{message}")]
pub struct StorageError {
    /// The logical status, rendered as `statusCode`.
    pub status: u16,
    pub code: &'static str,
    /// Storage's backwards-compatible `error` field (the code when Storage gives none).
    pub error: String,
    pub message: String,
}

impl StorageError {
    fn new(status: u16, code: &'static str, error: Option<&str>, message: impl Into<String>) -> StorageError {
        StorageError { status, code, error: error.unwrap_or(code).to_string(), message: message.into() }
    }

    pub fn no_such_key() -> StorageError {
        StorageError::new(404, "NoSuchKey", Some("not_found"), "Object not found")
    }
    pub fn no_such_bucket() -> StorageError {
        StorageError::new(404, "NoSuchBucket", Some("Bucket not found"), "Bucket not found")
    }
    pub fn key_exists() -> StorageError {
        StorageError::new(409, "KeyAlreadyExists", Some("Duplicate"), "The resource already exists")
    }
    pub fn bucket_exists() -> StorageError {
        StorageError::new(409, "BucketAlreadyExists", Some("Duplicate"), "The resource already exists")
    }
    pub fn resource_exists() -> StorageError {
        StorageError::new(409, "ResourceAlreadyExists", Some("Duplicate"), "The resource already exists")
    }
    pub fn access_denied(message: impl Into<String>) -> StorageError {
        StorageError::new(403, "AccessDenied", Some("Unauthorized"), message)
    }
    pub fn invalid_key(key: &str) -> StorageError {
        StorageError::new(400, "InvalidKey", None, format!("Invalid key: {key}"))
    }
    pub fn invalid_bucket_name(name: &str) -> StorageError {
        let _ = name;
        StorageError::new(400, "InvalidBucketName", Some("Invalid Input"), "Bucket name invalid")
    }
    pub fn invalid_mime_type(mime: &str) -> StorageError {
        StorageError::new(
            415,
            "InvalidMimeType",
            Some("invalid_mime_type"),
            format!("mime type {mime} is not supported"),
        )
    }
    pub fn entity_too_large() -> StorageError {
        StorageError::new(
            413,
            "EntityTooLarge",
            Some("Payload too large"),
            "The object exceeded the maximum allowed size",
        )
    }
    /// A `Range` the object cannot satisfy (served with HTTP 416 by the renderer).
    pub fn invalid_range() -> StorageError {
        StorageError::new(416, "InvalidRange", Some("invalid_range"), "invalid range provided")
    }
    pub fn invalid_jwt(message: &str) -> StorageError {
        StorageError::new(400, "InvalidJWT", None, message)
    }
    pub fn invalid_signature() -> StorageError {
        StorageError::new(400, "InvalidSignature", None, "Invalid signature")
    }
    pub fn no_content(message: &str) -> StorageError {
        StorageError::new(400, "InvalidRequest", None, message)
    }
    /// A request Storage cannot act on (malformed body or parameters).
    pub fn invalid_request(message: impl Into<String>) -> StorageError {
        StorageError::new(400, "InvalidRequest", None, message)
    }
    /// A request that fails the route's schema, rendered as Storage renders Fastify's errors.
    pub fn validation(message: impl Into<String>) -> StorageError {
        StorageError::new(400, "InternalError", Some("Error"), message)
    }
    pub fn internal(detail: impl std::fmt::Display) -> StorageError {
        eprintln!("storage: internal error: {detail}");
        StorageError::new(500, "InternalError", Some("Internal"), "Internal Server Error")
    }

    /// A pool failure: a full pool is Storage's DatabaseTimeout, as its knex pool reports it.
    pub fn from_pool(e: &crate::postgres::pool::PoolError) -> StorageError {
        match e {
            crate::postgres::pool::PoolError::Timeout(_) => {
                StorageError::new(544, "DatabaseTimeout", None, "The connection to the database timed out")
            }
            crate::postgres::pool::PoolError::Connect(e) => StorageError::from_pg(e),
        }
    }

    /// A Postgres error mapped as Storage's `DBError.fromDBError` maps it.
    pub fn from_pg(e: &tokio_postgres::Error) -> StorageError {
        let Some(db) = e.as_db_error() else {
            return StorageError::internal(e);
        };
        match db.code().code() {
            "42501" if db.message().contains("row-level security") => {
                StorageError::access_denied("new row violates row-level security policy")
            }
            "42501" => StorageError::access_denied(db.message()),
            // `set_config('role', …)` with a JWT role PostgreSQL does not have.
            "22023" if db.message().starts_with("role") => StorageError::access_denied(db.message()),
            "23505" => StorageError::resource_exists(),
            "23503" => StorageError::new(404, "InvalidRequest", None, "The related resource does not exist"),
            "22P02" => StorageError::new(400, "InvalidParameter", None, db.message()),
            // Text PostgreSQL cannot store (a NUL byte): bad input that a check above missed.
            "22021" | "22P05" => StorageError::invalid_request(db.message()),
            "57014" => StorageError::new(544, "DatabaseTimeout", None, "The connection to the database timed out"),
            _ => StorageError::internal(e),
        }
    }
}

impl IntoResponse for StorageError {
    fn into_response(self) -> Response {
        let http = if self.status == 500 { StatusCode::INTERNAL_SERVER_ERROR } else { StatusCode::BAD_REQUEST };
        let body = json!({"statusCode": self.status.to_string(), "code": self.code, "error": self.error, "message": self.message});
        let mut r = (http, body.to_string()).into_response();
        r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json; charset=utf-8"));
        r
    }
}
