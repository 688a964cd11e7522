//! The API's connection limits, each on an instance of its own with a small limit: a client
//! that sends its headers too slowly, or idles on a keep-alive connection, is disconnected;
//! beyond the connection cap new connections wait until one closes.
use crate::common::*;
use std::io::{ErrorKind, Read, Write};
use std::net::TcpStream;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

/// Generous: the limits under test are a few seconds; this only bounds a failing test.
const GIVE_UP: Duration = Duration::from_secs(30);
const HEADER_TIMEOUT_SECS: &str = "2";
const MAX_CONNECTIONS: usize = 3;

fn short_header_timeout() -> &'static Instance {
    static I: OnceLock<Instance> = OnceLock::new();
    I.get_or_init(|| spawn(&[("SUPABASE_LOCAL_HEADER_TIMEOUT", HEADER_TIMEOUT_SECS)]))
}

fn few_connections() -> &'static Instance {
    static I: OnceLock<Instance> = OnceLock::new();
    I.get_or_init(|| spawn(&[("SUPABASE_LOCAL_MAX_CONNECTIONS", &MAX_CONNECTIONS.to_string())]))
}

fn connect(port: u16) -> TcpStream {
    let s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(GIVE_UP)).unwrap();
    s
}

/// A keep-alive request for a small JSON answer (Kong's 404: no database involved).
const SMALL_REQUEST: &[u8] = b"GET /no-such-service HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";

/// Reads one response (framed by Content-Length) and returns its status.
fn read_response(s: &mut TcpStream) -> u16 {
    let mut raw = Vec::new();
    let mut byte = [0u8; 1];
    while !raw.ends_with(b"\r\n\r\n") {
        assert_eq!(s.read(&mut byte).expect("a response"), 1, "closed before the response: {raw:?}");
        raw.push(byte[0]);
    }
    let head = String::from_utf8_lossy(&raw).to_lowercase();
    let length: usize = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .map(|v| v.trim().parse().unwrap())
        .expect("content-length");
    let mut body = vec![0u8; length];
    s.read_exact(&mut body).unwrap();
    head.split(' ').nth(1).unwrap().parse().unwrap()
}

/// Waits for the server to close `s`: EOF (or a reset) with no response bytes first.
fn assert_closed_by_server(s: &mut TcpStream) {
    let mut buf = [0u8; 256];
    match s.read(&mut buf) {
        Ok(0) => {}
        Ok(n) => panic!("the server answered instead of closing: {:?}", String::from_utf8_lossy(&buf[..n])),
        Err(e) if e.kind() == ErrorKind::ConnectionReset => {}
        Err(e) => panic!("the connection was still open after {GIVE_UP:?}: {e}"),
    }
}

#[test]
fn a_client_sending_its_headers_one_byte_a_second_is_disconnected() {
    let mut s = connect(short_header_timeout().port);
    let head = format!("GET /rest/v1/sessions HTTP/1.1\r\nHost: 127.0.0.1\r\napikey: {ANON}\r\n\r\n").into_bytes();
    let total = head.len();
    let sent = Arc::new(AtomicUsize::new(0));
    let mut writer = s.try_clone().unwrap();
    let counter = sent.clone();
    std::thread::spawn(move || {
        for b in head {
            if writer.write_all(&[b]).is_err() {
                break;
            }
            counter.fetch_add(1, Ordering::SeqCst);
            std::thread::sleep(Duration::from_secs(1));
        }
    });
    assert_closed_by_server(&mut s);
    let sent = sent.load(Ordering::SeqCst);
    assert!(sent < total, "the client had sent its whole header ({sent} of {total} bytes) before the close");
}

#[test]
fn an_idle_keep_alive_connection_is_closed() {
    let mut s = connect(short_header_timeout().port);
    s.write_all(SMALL_REQUEST).unwrap();
    assert_eq!(read_response(&mut s), 404);
    // Kept alive after the answer, then closed once it idled past the timeout.
    assert_closed_by_server(&mut s);
}

#[test]
fn connections_beyond_the_cap_wait_until_one_closes() {
    let port = few_connections().port;
    let mut held: Vec<TcpStream> = (0..MAX_CONNECTIONS)
        .map(|_| {
            let mut s = connect(port);
            s.write_all(SMALL_REQUEST).unwrap();
            assert_eq!(read_response(&mut s), 404);
            s
        })
        .collect();
    let mut waiting = connect(port);
    waiting.write_all(SMALL_REQUEST).unwrap();
    // A later request on a held connection is answered, while the one beyond the cap is not.
    held[0].write_all(SMALL_REQUEST).unwrap();
    assert_eq!(read_response(&mut held[0]), 404);
    waiting.set_nonblocking(true).unwrap();
    let mut probe = [0u8; 1];
    let early = waiting.read(&mut probe);
    assert!(matches!(&early, Err(e) if e.kind() == ErrorKind::WouldBlock), "served beyond the cap: {early:?}");
    waiting.set_nonblocking(false).unwrap();
    // Closing one held connection frees its slot: the waiting request is served.
    drop(held.remove(0));
    assert_eq!(read_response(&mut waiting), 404);
}
