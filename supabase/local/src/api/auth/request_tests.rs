//! The auth routes' API-version middleware, on a router of stand-in handlers: a handler's
//! error takes the requested format, its answers echo the header, and a request its extractor
//! refused passes unchanged.
use super::request::api_version;
use crate::api::error::ApiError;
use axum::body::Body;
use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware;
use axum::routing::post;
use axum::{Json, Router};
use hyper_util::service::TowerToHyperService;
use serde_json::{json, Value};

const VERSION: &str = "2024-01-01";

fn router() -> Router {
    Router::new()
        .route("/fail", post(|| async { Err::<Json<Value>, _>(ApiError::auth(422, "weak_password", "too weak")) }))
        .route("/ok", post(|| async { Ok::<_, ApiError>(Json(json!({"ok": true}))) }))
        .route("/json", post(|_: Json<Value>| async { "never" }))
        .route_layer(middleware::from_fn(api_version))
}

async fn send(path: &str, version: Option<&str>, body: &str) -> (StatusCode, Option<String>, Value) {
    let mut req = Request::builder().method("POST").uri(path).header("content-type", "application/json");
    if let Some(v) = version {
        req = req.header("x-supabase-api-version", v);
    }
    let service = TowerToHyperService::new(router());
    let res = hyper::service::Service::call(&service, req.body(Body::from(body.to_string())).unwrap()).await.unwrap();
    let echoed = res.headers().get("x-supabase-api-version").map(|v| v.to_str().unwrap().to_string());
    let status = res.status();
    let bytes = axum::body::to_bytes(res.into_body(), 1 << 20).await.unwrap();
    (status, echoed, serde_json::from_slice(&bytes).unwrap_or(Value::Null))
}

#[tokio::test]
async fn a_handler_error_takes_the_requested_format_and_echoes_the_version() {
    let (status, echoed, body) = send("/fail", Some(VERSION), "").await;
    assert_eq!(status, 422);
    assert_eq!(body, json!({"code": "weak_password", "message": "too weak"}));
    assert_eq!(echoed.as_deref(), Some(VERSION));
}

#[tokio::test]
async fn without_a_version_the_error_keeps_the_legacy_format() {
    let (status, echoed, body) = send("/fail", None, "").await;
    assert_eq!(status, 422);
    assert_eq!(body, json!({"code": 422, "error_code": "weak_password", "msg": "too weak"}));
    assert_eq!(echoed, None);
}

#[tokio::test]
async fn a_success_echoes_the_version() {
    let (status, echoed, body) = send("/ok", Some(VERSION), "").await;
    assert_eq!((status, body), (StatusCode::OK, json!({"ok": true})));
    assert_eq!(echoed.as_deref(), Some(VERSION));
}

#[tokio::test]
async fn an_extractor_rejection_passes_unchanged() {
    let (status, echoed, _) = send("/json", Some(VERSION), "not json").await;
    assert_eq!(status, 400);
    assert_eq!(echoed, None, "the handler never ran, so nothing is echoed");
}
