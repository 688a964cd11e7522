//! The API's HTTP/1 server, with the connection limits hosted Kong's nginx applies: a client
//! has 60 s to send a request's headers (nginx's `client_header_timeout`), counted from the
//! moment the connection waits for a request, so an idle keep-alive connection is also closed
//! after 60 s; and a cap on open connections (nginx's `worker_connections`).
//!
//! Beyond the cap, new connections wait: they stay in the kernel's accept queue and are
//! served, in order, as soon as an open connection closes. Refusing them instead would turn a
//! burst of browser tabs into failed requests, while waiting only delays them (idle
//! connections free their slot within the timeout).
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use std::future::Future;
use std::pin::{pin, Pin};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{watch, OwnedSemaphorePermit, Semaphore};

/// The connection limits (`SUPABASE_LOCAL_HEADER_TIMEOUT`, `SUPABASE_LOCAL_MAX_CONNECTIONS`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConnectionLimits {
    /// Time to send a request's headers, from the moment the connection waits for one.
    pub header_timeout: Duration,
    /// Connections served at once (WebSockets included, for as long as they stay open).
    pub max_connections: usize,
}

impl ConnectionLimits {
    /// nginx's 60 s `client_header_timeout`. 512 connections stay well inside the usual open-file
    /// limit (1024) next to the database pools and function workers.
    pub const DEFAULT: ConnectionLimits =
        ConnectionLimits { header_timeout: Duration::from_secs(60), max_connections: 512 };

    /// The defaults, with the env overrides (whole seconds, and a count, both above zero).
    pub fn from_env() -> Result<ConnectionLimits, String> {
        let read = |name: &str| -> Result<Option<u64>, String> {
            match std::env::var(name) {
                Ok(v) if !v.trim().is_empty() => match v.trim().parse::<u64>() {
                    Ok(n) if n > 0 => Ok(Some(n)),
                    _ => Err(format!("invalid value for {name}: {v:?} (a whole number above 0)")),
                },
                _ => Ok(None),
            }
        };
        let d = ConnectionLimits::DEFAULT;
        Ok(ConnectionLimits {
            header_timeout: read("SUPABASE_LOCAL_HEADER_TIMEOUT")?.map_or(d.header_timeout, Duration::from_secs),
            max_connections: read("SUPABASE_LOCAL_MAX_CONNECTIONS")?.map_or(d.max_connections, |n| n as usize),
        })
    }
}

/// A connection holding its slot under the cap until it is dropped, upgraded sockets included.
struct Held {
    stream: TcpStream,
    _slot: OwnedSemaphorePermit,
}

impl AsyncRead for Held {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.stream).poll_read(cx, buf)
    }
}

impl AsyncWrite for Held {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write(cx, buf)
    }
    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.stream).poll_flush(cx)
    }
    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.stream).poll_shutdown(cx)
    }
}

/// Serves `app` until `shutdown` completes, then lets open requests finish (idle connections
/// close at once). The peer address reaches handlers as `ConnectInfo<SocketAddr>`.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    limits: ConnectionLimits,
    shutdown: impl Future<Output = ()>,
) -> std::io::Result<()> {
    let slots = Arc::new(Semaphore::new(limits.max_connections));
    let service = TowerToHyperService::new(app);
    // Every connection task holds a receiver: `closed()` resolves once all of them ended.
    let (stop_tx, stop_rx) = watch::channel(false);
    let mut shutdown = pin!(shutdown);
    loop {
        let slot = tokio::select! {
            slot = slots.clone().acquire_owned() => slot.expect("the slot semaphore is never closed"),
            _ = &mut shutdown => break,
        };
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                Err(e) => {
                    // Out of file descriptors and the like: back off instead of spinning.
                    eprintln!("accept failed: {e}");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            _ = &mut shutdown => break,
        };
        let _ = stream.set_nodelay(true);
        let io = TokioIo::new(Held { stream, _slot: slot });
        let service = service.clone();
        let handler = hyper::service::service_fn(move |mut req: hyper::Request<Incoming>| {
            req.extensions_mut().insert(ConnectInfo(peer));
            hyper::service::Service::call(&service, req.map(Body::new))
        });
        let mut stop = stop_rx.clone();
        tokio::spawn(async move {
            let conn = hyper::server::conn::http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(limits.header_timeout)
                .serve_connection(io, handler)
                .with_upgrades();
            let mut conn = pin!(conn);
            tokio::select! {
                _ = conn.as_mut() => {}
                _ = stop.changed() => {
                    conn.as_mut().graceful_shutdown();
                    let _ = conn.await;
                }
            }
            drop(stop);
        });
    }
    drop(listener);
    drop(stop_rx);
    let _ = stop_tx.send(true);
    stop_tx.closed().await;
    Ok(())
}
