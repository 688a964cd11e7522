//! A tiny HTTP/1.1 server on 127.0.0.1 that records every request it gets and answers 201 with
//! `{"ok":true}`, except paths starting with `/hang`, which it never answers (the connection
//! stays open for a minute).
use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

#[derive(Debug, Clone)]
pub struct Received {
    pub method: String,
    /// Path and query as sent.
    pub target: String,
    /// Header names lowercased.
    pub headers: HashMap<String, String>,
    pub body: Vec<u8>,
}

pub struct HookServer {
    pub port: u16,
    received: Arc<(Mutex<Vec<Received>>, Condvar)>,
}

impl HookServer {
    pub fn start() -> HookServer {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let received: Arc<(Mutex<Vec<Received>>, Condvar)> = Arc::default();
        let shared = received.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let shared = shared.clone();
                std::thread::spawn(move || serve(stream, &shared));
            }
        });
        HookServer { port, received }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    /// Everything received so far.
    pub fn all(&self) -> Vec<Received> {
        self.received.0.lock().unwrap().clone()
    }

    /// The first request whose path (without query) is `path`, waiting up to `wait` for it.
    pub fn wait_for(&self, path: &str, wait: Duration) -> Received {
        let deadline = Instant::now() + wait;
        let (lock, cvar) = &*self.received;
        let mut got = lock.lock().unwrap();
        loop {
            if let Some(r) = got.iter().find(|r| r.target.split('?').next() == Some(path)) {
                return r.clone();
            }
            let left = deadline.saturating_duration_since(Instant::now());
            assert!(!left.is_zero(), "no request for {path} within {wait:?}; got {:?}", *got);
            got = cvar.wait_timeout(got, left).unwrap().0;
        }
    }
}

fn serve(stream: TcpStream, shared: &(Mutex<Vec<Received>>, Condvar)) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut line = String::new();
    if reader.read_line(&mut line).unwrap_or(0) == 0 {
        return;
    }
    let mut parts = line.split_whitespace();
    let (method, target) = (parts.next().unwrap_or("").to_string(), parts.next().unwrap_or("").to_string());
    let mut headers = HashMap::new();
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h).unwrap_or(0) == 0 || h.trim().is_empty() {
            break;
        }
        if let Some((k, v)) = h.split_once(':') {
            headers.insert(k.trim().to_lowercase(), v.trim().to_string());
        }
    }
    let len = headers.get("content-length").and_then(|v| v.parse().ok()).unwrap_or(0);
    let mut body = vec![0; len];
    reader.read_exact(&mut body).unwrap();
    let hang = target.starts_with("/hang");
    {
        let (lock, cvar) = shared;
        lock.lock().unwrap().push(Received { method, target, headers, body });
        cvar.notify_all();
    }
    if hang {
        std::thread::sleep(Duration::from_secs(60));
        return;
    }
    let mut stream = stream;
    let _ = stream.write_all(
        b"HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nX-Hook: yes\r\nContent-Length: 11\r\nConnection: close\r\n\r\n{\"ok\":true}",
    );
}
