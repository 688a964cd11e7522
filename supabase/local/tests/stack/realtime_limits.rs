//! Realtime's per-socket limits: hosted's 100 channels per socket (the 101st `phx_join` is
//! refused with `ChannelRateLimitReached`), a bounded send queue (a socket that stops reading
//! while changes pile up is closed, not buffered for), and an idle timeout that fires even while
//! a write to a client that stopped reading is stuck.
//!
//! "The server closed it" is read from the kernel's table of TCP sockets: the server's end of
//! the connection leaves ESTABLISHED, which needs no read from the client.
use crate::common::*;
use serde_json::{json, Value};
use std::io::Read;
use std::net::TcpStream;
use std::time::{Duration, Instant};
use tungstenite::{Message, WebSocket};

/// Hosted Realtime's default `max_channels_per_client`.
const MAX_CHANNELS: usize = 100;

fn connect(port: u16, key: &str) -> WebSocket<TcpStream> {
    let stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let url = format!("ws://127.0.0.1:{port}/realtime/v1/websocket?apikey={key}&vsn=1.0.0");
    tungstenite::client(url.as_str(), stream).expect("websocket handshake").0
}

fn send(ws: &mut WebSocket<TcpStream>, topic: &str, event: &str, r: &str, payload: Value) {
    let text = json!({"topic": topic, "event": event, "ref": r, "join_ref": r, "payload": payload}).to_string();
    ws.send(Message::text(text)).unwrap();
}

/// The reply to `r`, skipping other messages.
fn reply(ws: &mut WebSocket<TcpStream>, r: &str) -> Value {
    loop {
        match ws.read().expect("a reply") {
            Message::Text(t) => {
                let v: Value = serde_json::from_str(t.as_str()).unwrap();
                if v["event"] == "phx_reply" && v["ref"] == r {
                    return v["payload"].clone();
                }
            }
            _ => continue,
        }
    }
}

/// Joins `n` channels watching INSERTs into `session`'s generations, as `token`.
fn join_many(ws: &mut WebSocket<TcpStream>, n: usize, token: &str, session: &str) {
    let bindings = json!([{"event": "INSERT", "schema": "public", "table": "generations", "filter": format!("session_id=eq.{session}")}]);
    for i in 0..n {
        let r = format!("j{i}");
        send(
            ws,
            &format!("realtime:many-{i}"),
            "phx_join",
            &r,
            json!({"config": {"postgres_changes": bindings}, "access_token": token}),
        );
        assert_eq!(reply(ws, &r)["status"], "ok", "join {i}");
    }
}

/// A signed-up user on the instance at `port` and one of their sessions: (token, session id).
fn user_with_session(port: u16) -> (String, String) {
    let email = format!("rt{}@example.test", uuid_like());
    let r = call_on(
        port,
        "POST",
        "/auth/v1/signup",
        &[],
        Some(&format!(r#"{{"email":"{email}","password":"secret123"}}"#)),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let token = r.json()["access_token"].as_str().unwrap().to_string();
    let r = call_on(
        port,
        "POST",
        "/rest/v1/sessions",
        &[("Authorization", &bearer(&token)), ("Prefer", "return=representation")],
        Some(r#"{"title":"realtime limits"}"#),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    (token.clone(), r.json()[0]["id"].as_str().unwrap().to_string())
}

/// Inserts a generation whose params carry `bytes` of text.
fn insert_big(port: u16, token: &str, session: &str, bytes: usize) {
    let body = json!({"session_id": session, "prompt": "big", "params": {"blob": "x".repeat(bytes)}}).to_string();
    let r = call_on(port, "POST", "/rest/v1/generations", &[("Authorization", &bearer(token))], Some(&body));
    assert_eq!(r.status, 201, "{}", r.body);
}

/// The client's and the server's port of `client`'s connection, read while it is connected: a
/// socket the server has reset no longer has a peer address.
fn ports_of(client: &TcpStream) -> (u16, u16) {
    (client.local_addr().unwrap().port(), client.peer_addr().unwrap().port())
}

/// The server's end of the connection between ports `(local, peer)` in the kernel's TCP table:
/// (state as /proc/net/tcp numbers it, bytes in its send queue); None once the kernel has
/// forgotten it. State 1 is ESTABLISHED.
fn server_end((local, peer): (u16, u16)) -> Option<(u8, u64)> {
    let (server, remote) = (format!("0100007F:{peer:04X}"), format!("0100007F:{local:04X}"));
    let table = std::fs::read_to_string("/proc/net/tcp").unwrap();
    table.lines().skip(1).find_map(|l| {
        let f: Vec<&str> = l.split_whitespace().collect();
        (f.get(1) == Some(&server.as_str()) && f.get(2) == Some(&remote.as_str())).then(|| {
            let tx_queue = f[4].split(':').next().unwrap();
            (u8::from_str_radix(f[3], 16).unwrap(), u64::from_str_radix(tx_queue, 16).unwrap())
        })
    })
}

fn server_end_state(ports: (u16, u16)) -> Option<u8> {
    server_end(ports).map(|(state, _)| state)
}

/// Polls until the server's end of the connection is no longer ESTABLISHED.
fn wait_server_closed(ports: (u16, u16), within: Duration) -> bool {
    let deadline = Instant::now() + within;
    while Instant::now() < deadline {
        if server_end_state(ports) != Some(1) {
            return true;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    false
}

/// Reads what the kernel still holds for `client` until EOF; returns the byte count.
fn drain_to_eof(client: &mut TcpStream) -> Result<usize, std::io::Error> {
    let (mut n, mut buf) = (0, vec![0u8; 1 << 16]);
    loop {
        match client.read(&mut buf) {
            Ok(0) => return Ok(n),
            Ok(k) => n += k,
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => return Ok(n),
            Err(e) => return Err(e),
        }
    }
}

#[test]
fn the_join_past_the_channel_limit_is_refused_as_hosted_refuses_it() {
    let (token, session) = user_with_session(instance().port);
    let mut ws = connect(instance().port, ANON);
    join_many(&mut ws, MAX_CHANNELS, &token, &session);
    send(&mut ws, "realtime:one-too-many", "phx_join", "over", json!({"config": {}}));
    assert_eq!(
        reply(&mut ws, "over"),
        json!({"status": "error", "response": {"reason": "ChannelRateLimitReached: Too many channels"}})
    );
    // Rejoining a channel already joined replaces it and is not a new channel; leaving frees a slot.
    send(&mut ws, "realtime:many-0", "phx_join", "again", json!({"config": {}}));
    assert_eq!(reply(&mut ws, "again")["status"], "ok");
    send(&mut ws, "realtime:many-1", "phx_leave", "leave", json!({}));
    assert_eq!(reply(&mut ws, "leave")["status"], "ok");
    send(&mut ws, "realtime:one-more", "phx_join", "fits", json!({"config": {}}));
    assert_eq!(reply(&mut ws, "fits")["status"], "ok");
}

#[test]
fn a_socket_that_stops_reading_while_changes_pile_up_is_closed() {
    let port = instance().port;
    let (token, session) = user_with_session(port);
    let mut ws = connect(port, ANON);
    join_many(&mut ws, MAX_CHANNELS, &token, &session);
    let ports = ports_of(ws.get_ref());
    // 100 channels × a 400 KB row is about 40 MB for this socket: past the kernel's buffers
    // (a few MB) plus the 16 MiB queue. The client reads nothing from here on.
    insert_big(port, &token, &session, 400_000);
    let stream = ws.get_mut();
    assert!(wait_server_closed(ports, Duration::from_secs(30)), "the server kept the socket open");
    let got = drain_to_eof(stream).expect("EOF after the kept bytes");
    assert!(got < 30_000_000, "the client received {got} bytes: the queue was not bounded");
}

#[test]
fn the_idle_timeout_fires_while_a_write_is_stuck() {
    // An instance whose sockets time out after 2 s without a message from the client.
    let rt = spawn(&[("SUPABASE_LOCAL_REALTIME_IDLE_TIMEOUT_SECS", "2"), ("SUPABASE_LOCAL_AUTH_RATE_LIMIT", "1000")]);
    let (token, session) = user_with_session(rt.port);
    let mut ws = connect(rt.port, ANON);
    join_many(&mut ws, 20, &token, &session);
    let ports = ports_of(ws.get_ref());
    // 20 × 400 KB = 8 MB: more than the kernel buffers take (the server's write blocks) and
    // less than the queue bound (so only the idle timeout can close the socket).
    insert_big(rt.port, &token, &session, 400_000);
    // Heartbeats keep the socket alive until the server holds bytes it cannot send (the
    // client's window is full, so its writes are stuck); then the client goes silent.
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut beats = 0;
    while server_end(ports).is_none_or(|(_, queued)| queued == 0) {
        assert!(Instant::now() < deadline, "the server never had more to send than the client took");
        beats += 1;
        send(&mut ws, "phoenix", "heartbeat", &format!("hb{beats}"), json!({}));
        std::thread::sleep(Duration::from_millis(200));
    }
    let stream = ws.get_mut();
    assert!(wait_server_closed(ports, Duration::from_secs(20)), "the idle timeout never fired");
    let got = drain_to_eof(stream).expect("EOF after the kept bytes");
    assert!(got < 8_000_000, "the client received {got} bytes, every frame: the close was not the timeout's");
}
