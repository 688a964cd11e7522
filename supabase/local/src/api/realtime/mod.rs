//! Realtime at `/realtime/v1/websocket` (<https://supabase.com/docs/guides/realtime/protocol>): the Phoenix socket with `postgres_changes`.
//! This file holds the upgrade and the per-socket loop; `channel` the join/token rules,
//! `changes` capture and fan-out, `filter` the filter language, `serializer` the framing.
pub mod changes;
pub mod channel;
pub mod filter;
mod meta;
pub mod outbox;
pub mod serializer;

use super::error::ApiError;
use super::SharedState;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use changes::{Hub, Sub};
use outbox::Outbox;
use serde_json::{json, Value};
use serializer::{decode, encode, Frame, Vsn};
use std::collections::HashMap;
use std::sync::{Arc, OnceLock};
use std::time::Duration;
use tokio::time::Instant;

/// Phoenix drops a socket that sent nothing (not even a heartbeat) for this long (60 s; a test
/// instance may shorten it with `SUPABASE_LOCAL_REALTIME_IDLE_TIMEOUT_SECS`).
fn idle_timeout() -> Duration {
    static IDLE: OnceLock<Duration> = OnceLock::new();
    *IDLE.get_or_init(|| {
        let secs = std::env::var("SUPABASE_LOCAL_REALTIME_IDLE_TIMEOUT_SECS").ok().and_then(|v| v.parse().ok());
        Duration::from_secs(secs.filter(|s| *s > 0).unwrap_or(60))
    })
}

/// Hosted Realtime's default `max_channels_per_client`: the 101st join of one socket is refused.
pub const MAX_CHANNELS_PER_SOCKET: usize = 100;

/// Starts change capture of this stack (idempotent; the hub lives in its `AppState`): installs
/// the triggers and begins listening. `serve` calls it at startup; the first socket would
/// otherwise.
pub fn start(state: &SharedState) -> Arc<Hub> {
    state
        .realtime
        .get_or_init(|| {
            let hub = Hub::new(state.settings.db_port);
            tokio::spawn(hub.clone().run());
            hub
        })
        .clone()
}

/// The socket's token: `x-api-key`, else the `apikey` query parameter; the CLI's `sb_` keys
/// map to the legacy JWTs as its gateway rewrites them, and any other `sb_` value is refused.
fn connect_token(
    state: &SharedState,
    headers: &HeaderMap,
    query: &HashMap<String, String>,
) -> Option<Result<String, ApiError>> {
    let key = headers
        .get("x-api-key")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
        .or_else(|| query.get("apikey").cloned())?;
    Some(super::new_key_jwt(state, &key).map(|jwt| jwt.map_or(key.clone(), str::to_string)))
}

/// Why a socket was not upgraded: Realtime's `{"message"}` answer, or the gateway's refusal
/// of an unknown `sb_` key.
#[derive(Debug)]
pub enum Refusal {
    Realtime(StatusCode, String),
    Gateway(ApiError),
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        match self {
            Refusal::Realtime(status, msg) => (status, axum::Json(json!({"message": msg}))).into_response(),
            Refusal::Gateway(e) => e.into_response(),
        }
    }
}

pub async fn websocket(
    State(state): State<SharedState>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
    ws: WebSocketUpgrade,
) -> Result<Response, Refusal> {
    let vsn = Vsn::from_query(query.get("vsn").map(String::as_str))
        .ok_or_else(|| Refusal::Realtime(StatusCode::BAD_REQUEST, "unsupported vsn".into()))?;
    let token = match connect_token(&state, &headers, &query) {
        Some(Ok(t)) => t,
        Some(Err(e)) => return Err(Refusal::Gateway(e)),
        None => return Err(Refusal::Realtime(StatusCode::FORBIDDEN, "missing api key".into())),
    };
    channel::verify_token(&token, &state.secret, crate::jwt::now())
        .map_err(|e| Refusal::Realtime(StatusCode::FORBIDDEN, e.message()))?;
    let hub = start(&state);
    Ok(ws.on_upgrade(move |socket| {
        Socket { hub, secret: state.secret.clone(), vsn, token, joined: HashMap::new() }.run(socket)
    }))
}

/// A joined channel of this socket.
struct Joined {
    join_ref: Option<String>,
    sub: u64,
    name: String,
    token: String,
    exp: i64,
}

struct Socket {
    hub: Arc<Hub>,
    secret: String,
    vsn: Vsn,
    token: String,
    joined: HashMap<String, Joined>,
}

impl Socket {
    async fn run(mut self, mut ws: WebSocket) {
        let (out_tx, mut inbox, overflow) = outbox::channel(outbox::MAX_QUEUED_BYTES);
        let mut last_seen = Instant::now();
        'socket: loop {
            let next_exp = self.joined.values().map(|j| j.exp).min();
            let expiry = async move {
                match next_exp {
                    Some(exp) => {
                        tokio::time::sleep(Duration::from_secs(exp.saturating_sub(crate::jwt::now()).max(0) as u64))
                            .await
                    }
                    None => std::future::pending().await,
                }
            };
            let frames: Vec<String> = tokio::select! {
                msg = ws.recv() => match msg {
                    Some(Ok(Message::Text(text))) => {
                        last_seen = Instant::now();
                        match decode(self.vsn, text.as_str()) {
                            Ok(frame) => self.handle(frame, &out_tx).iter().map(|f| encode(self.vsn, f)).collect(),
                            Err(e) => {
                                eprintln!("realtime: dropping a message: {e}");
                                vec![]
                            }
                        }
                    }
                    // Binary frames are V2 user broadcasts, which this stack does not relay.
                    Some(Ok(Message::Binary(_))) | Some(Ok(Message::Ping(_))) | Some(Ok(Message::Pong(_))) => {
                        last_seen = Instant::now();
                        vec![]
                    }
                    Some(Ok(Message::Close(_))) | Some(Err(_)) | None => break 'socket,
                },
                // Frames of a channel left (or replaced) in the meantime are dropped.
                Some((sub, text)) = inbox.recv() => {
                    if self.joined.values().any(|j| j.sub == sub) { vec![text] } else { vec![] }
                }
                _ = overflow.overflowed() => break 'socket,
                _ = expiry => self.expire().iter().map(|f| encode(self.vsn, f)).collect(),
                _ = tokio::time::sleep_until(last_seen + idle_timeout()) => break 'socket,
            };
            for text in frames {
                // A client that stopped reading blocks the write: the idle deadline and the
                // queue bound still close the socket meanwhile.
                tokio::select! {
                    sent = ws.send(Message::Text(text.into())) => if sent.is_err() { break 'socket },
                    _ = overflow.overflowed() => break 'socket,
                    _ = tokio::time::sleep_until(last_seen + idle_timeout()) => break 'socket,
                }
            }
        }
        for j in self.joined.values() {
            self.hub.remove(j.sub);
        }
    }

    /// Answers one client message; returns the frames to send, in order.
    fn handle(&mut self, f: Frame, out: &Outbox) -> Vec<Frame> {
        match (f.topic.as_str(), f.event.as_str()) {
            ("phoenix", "heartbeat") => vec![Frame::reply(&f, "ok", json!({}))],
            (_, "phx_join") => self.join(f, out),
            (topic, event) if self.joined.contains_key(topic) => match event {
                "phx_leave" => {
                    let j = self.joined.remove(topic).expect("joined");
                    self.hub.remove(j.sub);
                    let mut close = Frame::push(j.join_ref.clone(), topic, "phx_close", json!({}));
                    close.reference = j.join_ref;
                    vec![Frame::reply(&f, "ok", json!({})), close]
                }
                "access_token" => self.refresh(&f),
                // Presence is not implemented; acknowledge so clients do not time out.
                "presence" => vec![Frame::reply(&f, "ok", json!({}))],
                _ => vec![],
            },
            _ => vec![Frame::reply(&f, "error", json!({"reason": "unmatched topic"}))],
        }
    }

    fn join(&mut self, f: Frame, out: &Outbox) -> Vec<Frame> {
        let name = match f.topic.strip_prefix("realtime:") {
            Some("") => {
                return vec![Frame::reply(
                    &f,
                    "error",
                    json!({"reason": "TopicNameRequired: You must provide a topic name"}),
                )]
            }
            Some(n) => n.to_string(),
            None => return vec![Frame::reply(&f, "error", json!({"reason": "unmatched topic"}))],
        };
        if !self.joined.contains_key(&f.topic) && self.joined.len() >= MAX_CHANNELS_PER_SOCKET {
            return vec![Frame::reply(&f, "error", json!({"reason": "ChannelRateLimitReached: Too many channels"}))];
        }
        // A second join of the same topic replaces the first, as Phoenix does.
        if let Some(old) = self.joined.remove(&f.topic) {
            self.hub.remove(old.sub);
        }
        let token = channel::join_token(&f.payload, &self.token).to_string();
        let subscriber = match channel::verify_token(&token, &self.secret, crate::jwt::now()) {
            Ok(s) => s,
            Err(e) => return vec![Frame::reply(&f, "error", json!({"reason": e.reason()}))],
        };
        let bindings = channel::bindings(&f.payload);
        let echo: Vec<Value> = bindings.iter().map(|b| Value::Object(b.echo.clone())).collect();
        let error = bindings.iter().find_map(|b| b.error.clone());
        // A bad filter fails the whole postgres_changes subscription, as in Realtime.
        let active = if error.is_some() { vec![] } else { bindings.clone() };
        let sub = self.hub.add(Sub {
            id: 0,
            topic: f.topic.clone(),
            vsn: self.vsn,
            bindings: active,
            caller: subscriber.caller,
            out: out.clone(),
        });
        self.joined.insert(
            f.topic.clone(),
            Joined { join_ref: f.join_ref.clone(), sub, name: name.clone(), token, exp: subscriber.exp },
        );
        let mut frames = vec![Frame::reply(&f, "ok", json!({"postgres_changes": echo}))];
        if !bindings.is_empty() {
            let payload = match &error {
                Some(e) => channel::system("postgres_changes", "error", e, &name),
                None => channel::system("postgres_changes", "ok", "Subscribed to PostgreSQL", &name),
            };
            frames.push(Frame::push(f.join_ref.clone(), &f.topic, "system", payload));
        }
        frames
    }

    /// `access_token`: re-verify; a bad or expired token shuts the channel down.
    fn refresh(&mut self, f: &Frame) -> Vec<Frame> {
        let Some(token) = f.payload.get("access_token").and_then(Value::as_str) else {
            return vec![];
        };
        let j = self.joined.get_mut(&f.topic).expect("joined");
        if token.starts_with("sb_") || token == j.token {
            return vec![];
        }
        match channel::verify_token(token, &self.secret, crate::jwt::now()) {
            Ok(s) => {
                self.hub.set_caller(j.sub, s.caller);
                (j.token, j.exp) = (s.token, s.exp);
                vec![]
            }
            Err(e) => self.shutdown(&f.topic.clone(), &e.message()),
        }
    }

    /// Channels whose token has expired stop with a system error, as Realtime's timer does.
    fn expire(&mut self) -> Vec<Frame> {
        let now = crate::jwt::now();
        let expired: Vec<(String, i64)> =
            self.joined.iter().filter(|(_, j)| j.exp <= now).map(|(t, j)| (t.clone(), j.exp)).collect();
        expired
            .into_iter()
            .flat_map(|(topic, exp)| {
                self.shutdown(&topic, &channel::TokenError::Expired(now.saturating_sub(exp)).message())
            })
            .collect()
    }

    fn shutdown(&mut self, topic: &str, message: &str) -> Vec<Frame> {
        let Some(j) = self.joined.remove(topic) else {
            return vec![];
        };
        self.hub.remove(j.sub);
        let system =
            Frame::push(j.join_ref.clone(), topic, "system", channel::system("system", "error", message, &j.name));
        let mut close = Frame::push(j.join_ref.clone(), topic, "phx_close", json!({}));
        close.reference = j.join_ref;
        vec![system, close]
    }
}
