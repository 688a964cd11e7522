//! Forwards one request to a worker over HTTP/1.1 and streams its response back.
use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, HeaderMap, HeaderValue, Uri};
use axum::response::Response;
use hyper_util::rt::TokioIo;

#[derive(Debug)]
pub enum ProxyError {
    /// The worker did not answer the request (closed, reset, refused).
    Failed(String),
}

/// Headers that belong to one hop, not to the request or response.
const HOP_BY_HOP: [&str; 8] = [
    "connection",
    "keep-alive",
    "proxy-authenticate",
    "proxy-authorization",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
];

fn strip_hop_by_hop(h: &mut HeaderMap) {
    for name in HOP_BY_HOP {
        h.remove(name);
    }
}

/// Sends `req` to `127.0.0.1:port` at `path_and_query`; the response body is streamed.
pub async fn forward(port: u16, req: Request, path_and_query: &str) -> Result<Response, ProxyError> {
    let stream =
        tokio::net::TcpStream::connect(("127.0.0.1", port)).await.map_err(|e| ProxyError::Failed(e.to_string()))?;
    let (mut sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .map_err(|e| ProxyError::Failed(e.to_string()))?;
    tokio::spawn(async move {
        let _ = conn.await;
    });
    let (mut parts, body) = req.into_parts();
    parts.uri = path_and_query.parse::<Uri>().map_err(|e| ProxyError::Failed(e.to_string()))?;
    strip_hop_by_hop(&mut parts.headers);
    if !parts.headers.contains_key(header::HOST) {
        parts.headers.insert(header::HOST, HeaderValue::from_static("127.0.0.1"));
    }
    parts.headers.insert("x-forwarded-proto", HeaderValue::from_static("http"));
    let upstream = Request::from_parts(parts, body);
    let res = sender.send_request(upstream).await.map_err(|e| ProxyError::Failed(e.to_string()))?;
    let (mut parts, incoming) = res.into_parts();
    strip_hop_by_hop(&mut parts.headers);
    Ok(Response::from_parts(parts, Body::new(incoming)))
}
