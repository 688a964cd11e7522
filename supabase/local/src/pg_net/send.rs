//! One queued request over HTTP/1.1 (hyper), bounded by its `timeout_milliseconds`, and what
//! `net._http_response` records of it.
use super::target::Target;
use axum::body::Body;
use hyper::header::{HeaderName, HeaderValue, CONTENT_TYPE, HOST};
use hyper_util::rt::TokioIo;
use serde_json::{Map, Value};
use std::time::{Duration, Instant};

/// Responses larger than this are not stored (pg_net has no cap; this keeps a runaway
/// response from filling the stack's memory).
pub const MAX_CONTENT: usize = 16 << 20;

/// A row taken from `net.http_request_queue`.
#[derive(Debug, Clone)]
pub struct Queued {
    pub id: i64,
    pub method: String,
    pub url: String,
    pub headers: Value,
    pub body: Option<Vec<u8>>,
    pub timeout: Duration,
}

/// A row for `net._http_response`.
#[derive(Debug, Default, PartialEq)]
pub struct Outcome {
    pub status_code: Option<i32>,
    pub content_type: Option<String>,
    pub headers: Option<Value>,
    pub content: Option<String>,
    pub timed_out: bool,
    pub error_msg: Option<String>,
}

impl Outcome {
    fn error(msg: impl Into<String>) -> Outcome {
        Outcome { error_msg: Some(msg.into()), ..Outcome::default() }
    }
}

/// Sends `req` and describes what happened; never fails.
pub async fn send(req: &Queued) -> Outcome {
    let target = match Target::parse(&req.url) {
        Ok(t) => t,
        Err(msg) => return Outcome::error(msg),
    };
    let started = Instant::now();
    match tokio::time::timeout(req.timeout, exchange(&target, req)).await {
        Ok(Ok(outcome)) => outcome,
        Ok(Err(msg)) => Outcome::error(msg),
        // pg_net's wording, so code that matches on it behaves the same here.
        Err(_) => Outcome {
            timed_out: true,
            ..Outcome::error(format!(
                "Timeout of {} ms reached. Total time: {:.3} ms",
                req.timeout.as_millis(),
                started.elapsed().as_secs_f64() * 1000.0
            ))
        },
    }
}

async fn exchange(target: &Target, req: &Queued) -> Result<Outcome, String> {
    let stream = tokio::net::TcpStream::connect((target.host.as_str(), target.port))
        .await
        .map_err(|e| format!("Couldn't connect to server {}: {e}", target.authority))?;
    let (mut sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .map_err(|e| format!("HTTP handshake with {} failed: {e}", target.authority))?;
    tokio::spawn(async move {
        let _ = conn.await;
    });
    let request = build(target, req)?;
    let res = sender.send_request(request).await.map_err(|e| format!("{} did not answer: {e}", target.authority))?;
    let (parts, incoming) = res.into_parts();
    let bytes = axum::body::to_bytes(Body::new(incoming), MAX_CONTENT)
        .await
        .map_err(|e| format!("Reading the response of {} failed (over {MAX_CONTENT} bytes?): {e}", target.authority))?;
    let mut headers = Map::new();
    for (name, value) in &parts.headers {
        let value = String::from_utf8_lossy(value.as_bytes()).into_owned();
        match headers.get_mut(name.as_str()) {
            Some(Value::String(prev)) => *prev = format!("{prev}, {value}"),
            _ => {
                headers.insert(name.as_str().to_string(), Value::String(value));
            }
        }
    }
    Ok(Outcome {
        status_code: Some(parts.status.as_u16() as i32),
        content_type: parts.headers.get(CONTENT_TYPE).and_then(|v| v.to_str().ok()).map(str::to_string),
        headers: Some(Value::Object(headers)),
        // PostgreSQL text cannot hold NUL.
        content: Some(String::from_utf8_lossy(&bytes).replace('\0', "\u{FFFD}")),
        timed_out: false,
        error_msg: None,
    })
}

/// The hyper request: method, the URL's path and query, Host, then the queued headers
/// (string values as they are, other JSON values as JSON text), and the body.
fn build(target: &Target, req: &Queued) -> Result<hyper::Request<Body>, String> {
    let method = hyper::Method::from_bytes(req.method.to_ascii_uppercase().as_bytes())
        .map_err(|_| format!("Invalid HTTP method {}", req.method))?;
    let mut builder = hyper::Request::builder().method(method).uri(&target.path_and_query);
    let host = HeaderValue::from_str(&target.authority).map_err(|_| format!("Invalid host in {}", req.url))?;
    builder = builder.header(HOST, host);
    if let Value::Object(map) = &req.headers {
        for (k, v) in map {
            let name = HeaderName::from_bytes(k.as_bytes()).map_err(|_| format!("Invalid header name {k:?}"))?;
            let text = v.as_str().map(str::to_string).unwrap_or_else(|| v.to_string());
            let value = HeaderValue::from_str(&text).map_err(|_| format!("Invalid value for header {k}"))?;
            builder = builder.header(name, value);
        }
    }
    let body = req.body.clone().map(Body::from).unwrap_or_else(Body::empty);
    builder.body(body).map_err(|e| format!("Cannot build the request to {}: {e}", req.url))
}
