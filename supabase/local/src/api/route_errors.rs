//! The gateway's own 404 and 405 answers (a path or method no handler takes), in JSON shaped as
//! the service behind each prefix answers: PostgREST's four keys under `/rest/v1/`, GoTrue's
//! error format under `/auth/v1/`, Realtime's `{"message"}` under `/realtime/v1/`, and Kong's
//! `no Route matched` anywhere else. Storage and Functions answer their own.
//!
//! Hosted GoTrue (a chi router) answers these with a plain-text 404 and an empty 405; here
//! they carry GoTrue's JSON error body, so supabase-js reports a readable `AuthApiError`.
use super::error::ApiError;
use axum::extract::Request;
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde_json::json;

/// The service whose error shape a path's routing errors take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Service {
    Rest,
    Auth,
    Realtime,
    /// Kong itself: no service owns the path.
    Gateway,
    /// Storage and Functions render their own errors (a function's 404 is its own business).
    OwnErrors,
}

impl Service {
    fn of(path: &str) -> Service {
        match path {
            p if p.starts_with("/rest/v1/") => Service::Rest,
            p if p.starts_with("/auth/v1/") => Service::Auth,
            p if p.starts_with("/realtime/v1/") => Service::Realtime,
            p if p.starts_with("/storage/v1/") || p.starts_with("/functions/v1/") => Service::OwnErrors,
            _ => Service::Gateway,
        }
    }
}

/// The router's fallback: a path no route takes.
pub async fn no_route(req: Request) -> Response {
    let api_version = req.headers().get("x-supabase-api-version").and_then(|v| v.to_str().ok()).map(str::to_string);
    routing_error(Service::of(req.uri().path()), req.method(), StatusCode::NOT_FOUND, api_version.as_deref())
        .unwrap_or_else(|| ApiError::NoRoute.into_response())
}

fn routing_error(service: Service, method: &Method, status: StatusCode, api_version: Option<&str>) -> Option<Response> {
    let not_found = status == StatusCode::NOT_FOUND;
    let response = match service {
        Service::OwnErrors => return None,
        Service::Gateway if not_found => ApiError::NoRoute.into_response(),
        Service::Rest if not_found => {
            ApiError::rest(404, "PGRST125", "Invalid path specified in request URL", None).into_response()
        }
        Service::Rest => {
            ApiError::rest(405, "PGRST117", format!("Unsupported HTTP method: {method}"), None).into_response()
        }
        Service::Auth => {
            let (code, message) =
                if not_found { ("not_found", "Not Found") } else { ("method_not_allowed", "Method Not Allowed") };
            ApiError::Auth {
                status,
                code,
                message: message.into(),
                weak_reasons: None,
                api_version: api_version.map(str::to_string),
            }
            .into_response()
        }
        Service::Realtime | Service::Gateway => {
            let message = status.canonical_reason().unwrap_or("Error");
            let mut r = (status, json!({ "message": message }).to_string()).into_response();
            r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json; charset=utf-8"));
            r
        }
    };
    Some(response)
}

fn is_json(res: &Response) -> bool {
    res.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|v| v.contains("json"))
}

/// Gives a 404 or 405 that left the router without a JSON body (axum's method-not-allowed
/// answer, an extractor's plain-text rejection) the body of its prefix's service. The `Allow`
/// header of a 405 is kept.
pub async fn json_routing_errors(req: Request, next: Next) -> Response {
    let service = Service::of(req.uri().path());
    let method = req.method().clone();
    let api_version = req.headers().get("x-supabase-api-version").and_then(|v| v.to_str().ok()).map(str::to_string);
    let res = next.run(req).await;
    let status = res.status();
    if !matches!(status, StatusCode::NOT_FOUND | StatusCode::METHOD_NOT_ALLOWED) || is_json(&res) {
        return res;
    }
    let Some(mut replacement) = routing_error(service, &method, status, api_version.as_deref()) else {
        return res;
    };
    if let Some(allow) = res.headers().get(header::ALLOW) {
        replacement.headers_mut().insert(header::ALLOW, allow.clone());
    }
    replacement
}
