//! One throwaway instance per test binary (own data folder and free ports), and a tiny HTTP client.
use serde_json::Value;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

pub const ANON: &str = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZS1kZW1vIiwicm9sZSI6ImFub24iLCJleHAiOjE5ODM4MTI5OTZ9.CRXP1A7WOeoJeXxjNni43kdQwgnWNReilDMblYTn_I0";
/// The Supabase CLI's local publishable and secret keys.
pub const PUBLISHABLE: &str = "sb_publishable_ACJWlzQHlZjBrEguHvfOxg_3BJgxAaH";
pub const SECRET: &str = "sb_secret_N7UND0UgjKTVK-Uodkm0Hg_xSvEMPvz";
/// The reuse window of the shared instance's refresh tokens (config.toml's 10 s, shortened so
/// a test can wait it out).
pub const REUSE_INTERVAL_SECS: u64 = 2;

pub struct Instance {
    pub port: u16,
    /// Its PostgreSQL, for tests that need a second connection outside the API.
    pub db_port: u16,
    /// Held open for the life of the test process: `serve --test-instance` stops PostgreSQL and
    /// deletes its data when this pipe closes.
    _stdin: Mutex<ChildStdin>,
    _child: Mutex<Child>,
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// The instance every test of this binary shares. Its sign-in rate limit is raised (the tests
/// sign up far more users than 30 in 5 minutes) and its refresh-token reuse window shortened.
pub fn instance() -> &'static Instance {
    static INSTANCE: OnceLock<Instance> = OnceLock::new();
    INSTANCE.get_or_init(|| {
        let reuse = REUSE_INTERVAL_SECS.to_string();
        spawn(&[("SUPABASE_LOCAL_AUTH_RATE_LIMIT", "1000000"), ("SUPABASE_LOCAL_REFRESH_TOKEN_REUSE_INTERVAL", &reuse)])
    })
}

/// Starts a fresh instance with `env` on top of ours and waits until its API answers.
pub fn spawn(env: &[(&str, &str)]) -> Instance {
    let (api, db) = (free_port(), free_port());
    let data = std::env::temp_dir().join(format!("supabase-local-test-{}-{api}", std::process::id()));
    let workdir = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
    let mut child = Command::new(env!("CARGO_BIN_EXE_supabase-local"))
        .args([
            "serve",
            "--test-instance",
            "--workdir",
            workdir,
            "--api-port",
            &api.to_string(),
            "--db-port",
            &db.to_string(),
            "--data-dir",
        ])
        .arg(&data)
        .envs(env.iter().copied())
        .stdin(Stdio::piped())
        .spawn()
        .expect("spawn supabase-local serve");
    let stdin = child.stdin.take().unwrap();
    let deadline = Instant::now() + Duration::from_secs(90);
    while TcpStream::connect(("127.0.0.1", api)).is_err() {
        if let Ok(Some(status)) = child.try_wait() {
            panic!("supabase-local serve exited early: {status}");
        }
        assert!(Instant::now() < deadline, "test instance did not start");
        std::thread::sleep(Duration::from_millis(100));
    }
    Instance { port: api, db_port: db, _stdin: Mutex::new(stdin), _child: Mutex::new(child) }
}

#[derive(Debug)]
pub struct Res {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Res {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {:?}", self.body))
    }
}

/// HTTP/1.1 with `Connection: close`; the API key is added unless `headers` has an `apikey: -`.
pub fn call(method: &str, path: &str, headers: &[(&str, &str)], body: Option<&str>) -> Res {
    call_on(instance().port, method, path, headers, body)
}

/// `call` against the instance listening on `port`.
pub fn call_on(port: u16, method: &str, path: &str, headers: &[(&str, &str)], body: Option<&str>) -> Res {
    let mut req = format!("{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n");
    if !headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("apikey")) {
        req.push_str(&format!("apikey: {ANON}\r\n"));
    }
    for (k, v) in headers.iter().filter(|(_, v)| *v != "-") {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    let body = body.unwrap_or("");
    req.push_str(&format!("Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}", body.len()));
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.write_all(req.as_bytes()).unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, rest) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let mut lines = head.lines();
    let status = lines.next().and_then(|l| l.split(' ').nth(1)).and_then(|c| c.parse().ok()).expect("status line");
    let headers: Vec<(String, String)> =
        lines.filter_map(|l| l.split_once(':')).map(|(k, v)| (k.trim().to_lowercase(), v.trim().to_string())).collect();
    let chunked = headers.iter().any(|(k, v)| k == "transfer-encoding" && v.contains("chunked"));
    let body = if chunked { dechunk(rest) } else { rest.to_string() };
    Res { status, headers, body }
}

fn dechunk(mut s: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = s.split_once("\r\n") {
        let n = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if n == 0 {
            break;
        }
        out.push_str(&rest[..n]);
        s = &rest[n + 2..];
    }
    out
}

/// Signs up a fresh user; returns (access token, refresh token, user id, email).
pub fn new_user() -> (String, String, String, String) {
    let email = format!("u{}@example.test", uuid_like());
    let r = call("POST", "/auth/v1/signup", &[], Some(&format!(r#"{{"email":"{email}","password":"secret123"}}"#)));
    assert_eq!(r.status, 200, "{}", r.body);
    let j = r.json();
    (
        j["access_token"].as_str().unwrap().into(),
        j["refresh_token"].as_str().unwrap().into(),
        j["user"]["id"].as_str().unwrap().into(),
        email,
    )
}

pub fn uuid_like() -> String {
    use std::sync::atomic::{AtomicU32, Ordering};
    static N: AtomicU32 = AtomicU32::new(0);
    let t = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos();
    format!("{t:x}{}", N.fetch_add(1, Ordering::SeqCst))
}

pub fn bearer(token: &str) -> String {
    format!("Bearer {token}")
}
