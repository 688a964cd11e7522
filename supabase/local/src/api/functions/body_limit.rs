//! The cap on request bodies sent to Edge Functions, enforced before a worker sees the request.
//!
//! Hosted Supabase documents no request-body limit for Edge Functions (one added to
//! <https://supabase.com/docs/guides/functions/limits> in 2024 was withdrawn as inaccurate), and
//! Kong's `client_max_body_size` is unlimited, so nothing upstream would stop a runaway upload
//! from being read into a 256 MB worker. 10 MiB is far above any JSON or form payload a
//! function takes; bigger files go to Storage. Beyond it the gateway answers as Kong's
//! request-size-limiting plugin does: 413 `{"message": "Request size limit exceeded"}`.
use crate::api::error::ApiError;
use axum::body::Body;
use axum::body::HttpBody as _;
use axum::extract::Request;
use axum::http::header;

/// The largest request body a function receives.
pub const MAX_REQUEST_BODY: usize = 10 << 20;

/// The request unchanged when its body fits the cap, else the gateway's 413. A body of declared
/// length is checked by its `Content-Length` (hyper holds it to that length) and stays
/// streamed; a chunked body is read into memory first, up to the cap.
pub async fn within_limit(req: Request) -> Result<Request, ApiError> {
    let declared = req.headers().get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()?.trim().parse::<u64>().ok());
    match declared {
        Some(n) if n > MAX_REQUEST_BODY as u64 => Err(ApiError::PayloadTooLarge),
        Some(_) => Ok(req),
        None if req.body().size_hint().exact().is_some_and(|n| n <= MAX_REQUEST_BODY as u64) => Ok(req),
        None => {
            let (parts, body) = req.into_parts();
            match axum::body::to_bytes(body, MAX_REQUEST_BODY).await {
                Ok(bytes) => Ok(Request::from_parts(parts, Body::from(bytes))),
                Err(_) => Err(ApiError::PayloadTooLarge),
            }
        }
    }
}
