//! The runtime against fixture functions on a real Deno: the project's own
//! (`node_modules/.bin/deno`, which `scripts/ensure-tools.sh` installs), `DENO_BIN`, or one on PATH.
//! Without one these tests fail rather than pass unseen.
use super::settings::{resolve_deno, FnSettings};
use super::Functions;
use axum::body::Body;
use axum::extract::Request;
use axum::response::IntoResponse;
use serde_json::Value;
use std::path::PathBuf;
use std::time::{Duration, Instant};

const SECRET: &str = crate::config::JWT_SECRET;

const ECHO: &str = r#"Deno.serve(async (req) => {
  const u = new URL(req.url);
  return Response.json({ method: req.method, path: u.pathname, search: u.search,
    auth: req.headers.get("authorization"), apikey: req.headers.get("apikey"), custom: req.headers.get("x-custom"),
    body: await req.text(), url: Deno.env.get("SUPABASE_URL"), secret: Deno.env.get("MY_SECRET"),
    cargo: Deno.env.get("CARGO") ?? null, pid: Deno.pid }, { status: 201, headers: { "x-fn": "echo" } });
});"#;
const CRASHY: &str = r#"Deno.serve((req) => { if (new URL(req.url).searchParams.has("die")) Deno.exit(3); return new Response("alive"); });"#;
const HANG: &str = r#"Deno.serve(() => new Promise(() => {}));"#;
const BROKEN: &str = r#"throw new Error("boom at boot");"#;
/// Background work through `EdgeRuntime.waitUntil`: `?ms=N` finishes a task N ms after the
/// answer (and then calls `?ping=PORT` back, if given); `?fail` hands over a rejected promise;
/// `?check` reports what this worker has seen.
const LATER: &str = r#"let done = 0;
Deno.serve((req) => {
  const q = new URL(req.url).searchParams;
  if (q.has("check")) return Response.json({ done, waitUntil: typeof EdgeRuntime?.waitUntil, fromStack: Deno.env.get("FROM_STACK") ?? null });
  if (q.has("fail")) {
    EdgeRuntime.waitUntil(Promise.reject(new Error("background boom")));
    return new Response("answered");
  }
  const ping = q.get("ping");
  EdgeRuntime.waitUntil(new Promise((r) => setTimeout(r, Number(q.get("ms")))).then(async () => {
    done++;
    if (ping) await (await fetch(`http://127.0.0.1:${ping}/`)).body?.cancel();
  }));
  return new Response("answered");
});"#;
/// Counts the requests it has received (`body_limit_tests`: a refused body never reaches it).
const COUNT: &str =
    r#"let n = 0; Deno.serve(async (req) => { n++; await req.arrayBuffer(); return Response.json({ n }); });"#;
const CONFIG: &str = "[functions.count]\nverify_jwt = false\n[functions.echo]\nverify_jwt = false\n[functions.crashy]\nverify_jwt = false\n[functions.hang]\nverify_jwt = false\n[functions.later]\nverify_jwt = false\n[functions.off]\nenabled = false\n";

/// The fixture functions in a fresh folder, run by the project's Deno with a `timeout_ms`
/// request timeout. Panics when no Deno is found.
pub(super) fn deno_fixture(timeout_ms: u64) -> (Functions, PathBuf) {
    let deno = resolve_deno(&project_dir()).unwrap_or_else(|| {
        panic!(
            "no Deno: these tests run the functions runtime on a real one. Run scripts/ensure-tools.sh \
             (it installs node_modules/.bin/deno), or set DENO_BIN"
        )
    });
    fixture_on(timeout_ms, deno)
}

fn project_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The fixture functions run by the Deno at `deno`, which need not exist.
fn fixture_on(timeout_ms: u64, deno: PathBuf) -> (Functions, PathBuf) {
    let project = project_dir();
    let n = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos();
    let root = std::env::temp_dir().join(format!("fn-runtime-test-{}-{n}", std::process::id()));
    let dir = root.join("functions");
    for (name, src) in [
        ("echo", ECHO),
        ("count", COUNT),
        ("crashy", CRASHY),
        ("hang", HANG),
        ("broken", BROKEN),
        ("later", LATER),
        ("secure", CRASHY),
        ("off", CRASHY),
        ("_shared", CRASHY),
    ] {
        std::fs::create_dir_all(dir.join(name)).unwrap();
        std::fs::write(dir.join(name).join("index.ts"), src).unwrap();
    }
    std::fs::write(dir.join(".env"), "MY_SECRET=s3cret\n").unwrap();
    std::fs::write(root.join("config.toml"), CONFIG).unwrap();
    let settings = FnSettings {
        functions_dir: dir,
        config_toml: root.join("config.toml"),
        project_dir: project.clone(),
        deno_dir: project.join("supabase/.temp/test-deno"),
        timeout: Duration::from_millis(timeout_ms),
        deno_bin: Some(deno),
        env: vec![("SUPABASE_URL".into(), "http://127.0.0.1:1".into())],
        overrides: vec![("FROM_STACK".into(), "yes".into())],
    };
    (Functions::new(settings), root)
}

pub(super) async fn call(
    f: &Functions,
    method: &str,
    uri: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> (u16, Vec<(String, String)>, String) {
    let mut b = Request::builder().method(method).uri(uri);
    for (k, v) in headers {
        b = b.header(*k, *v);
    }
    let res = f.handle(SECRET, b.body(Body::from(body.to_string())).unwrap()).await.into_response();
    let status = res.status().as_u16();
    let hs = res.headers().iter().map(|(k, v)| (k.to_string(), v.to_str().unwrap_or("").to_string())).collect();
    let bytes = axum::body::to_bytes(res.into_body(), 1 << 20).await.unwrap();
    (status, hs, String::from_utf8_lossy(&bytes).into_owned())
}

fn json(s: &str) -> Value {
    serde_json::from_str(s).unwrap_or_else(|e| panic!("{e}: {s}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn proxies_request_env_and_response() {
    let (f, root) = deno_fixture(20_000);
    let (status, headers, body) = call(
        &f,
        "PUT",
        "/functions/v1/echo/sub/path?a=1&b=two",
        &[("authorization", "Bearer x.y.z"), ("apikey", "k"), ("x-custom", "yes")],
        "payload",
    )
    .await;
    assert_eq!(status, 201, "{body}");
    assert!(headers.iter().any(|(k, v)| k == "x-fn" && v == "echo"));
    let j = json(&body);
    assert_eq!(j["method"], "PUT");
    assert_eq!(j["path"], "/echo/sub/path");
    assert_eq!(j["search"], "?a=1&b=two");
    assert_eq!(
        (j["auth"].as_str(), j["apikey"].as_str(), j["custom"].as_str()),
        (Some("Bearer x.y.z"), Some("k"), Some("yes"))
    );
    assert_eq!(j["body"], "payload");
    assert_eq!((j["url"].as_str(), j["secret"].as_str()), (Some("http://127.0.0.1:1"), Some("s3cret")));
    assert_eq!(j["cargo"], Value::Null, "the stack's environment must not leak into functions");
    // Warm: a second call is served by the same worker process.
    let (status, _, again) = call(&f, "GET", "/functions/v1/echo", &[], "").await;
    assert_eq!(status, 201, "{again}");
    assert!(j["pid"].as_u64().is_some(), "the function reports its process: {body}");
    assert_eq!(json(&again)["pid"], j["pid"], "the second call started another Deno");
    let _ = std::fs::remove_dir_all(root);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn verify_jwt_unknown_and_disabled() {
    let (f, root) = deno_fixture(20_000);
    let (status, _, body) = call(&f, "POST", "/functions/v1/secure", &[], "").await;
    assert_eq!((status, json(&body)), (401, serde_json::json!({"msg": "Error: Missing authorization header"})));
    let (status, _, body) = call(&f, "POST", "/functions/v1/secure", &[("authorization", "Bearer nope")], "").await;
    assert_eq!((status, json(&body)), (401, serde_json::json!({"msg": "Invalid JWT"})));
    let expired = crate::jwt::sign(&serde_json::json!({"role": "authenticated", "exp": 1000}), SECRET);
    let (status, _, body) =
        call(&f, "POST", "/functions/v1/secure", &[("authorization", &format!("Bearer {expired}"))], "").await;
    assert_eq!((status, json(&body)), (401, serde_json::json!({"msg": "Invalid JWT"})));
    let anon = crate::jwt::anon_key(SECRET);
    let (status, _, body) =
        call(&f, "POST", "/functions/v1/secure", &[("authorization", &format!("Bearer {anon}"))], "").await;
    assert_eq!((status, body.as_str()), (200, "alive"));
    for path in ["/functions/v1/nope", "/functions/v1/_shared", "/functions/v1/off", "/functions/v1/..%2Fecho"] {
        let (status, _, body) = call(&f, "POST", path, &[], "").await;
        assert_eq!((status, json(&body)), (404, serde_json::json!({"msg": "Function not found"})), "{path}");
    }
    let _ = std::fs::remove_dir_all(root);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn crash_boot_failure_and_restart() {
    let (f, root) = deno_fixture(20_000);
    assert_eq!(call(&f, "GET", "/functions/v1/crashy", &[], "").await.0, 200);
    let (status, _, body) = call(&f, "GET", "/functions/v1/crashy?die=1", &[], "").await;
    assert_eq!(status, 502, "{body}");
    assert!(json(&body)["msg"].as_str().unwrap().contains("crashed"), "{body}");
    let (status, _, body) = call(&f, "GET", "/functions/v1/crashy", &[], "").await;
    assert_eq!((status, body.as_str()), (200, "alive"), "restarted after the crash");
    let (status, _, body) = call(
        &f,
        "GET",
        "/functions/v1/broken",
        &[("authorization", &format!("Bearer {}", crate::jwt::anon_key(SECRET)))],
        "",
    )
    .await;
    assert_eq!(status, 503, "{body}");
    assert!(json(&body)["msg"].as_str().unwrap().contains("boom at boot"), "{body}");
    let _ = std::fs::remove_dir_all(root);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hung_function_times_out_with_504() {
    let (f, root) = deno_fixture(1_500);
    let (status, _, body) = call(&f, "GET", "/functions/v1/hang", &[], "").await;
    assert_eq!(status, 504, "{body}");
    assert!(json(&body)["msg"].as_str().unwrap().contains("did not respond within 1.5 s"), "{body}");
    let _ = std::fs::remove_dir_all(root);
}

#[tokio::test]
async fn missing_deno_is_a_clear_503() {
    let (f, root) = fixture_on(5_000, PathBuf::from("/nonexistent/deno"));
    let (status, _, body) = call(&f, "GET", "/functions/v1/echo", &[], "").await;
    assert_eq!(status, 503, "{body}");
    assert!(json(&body)["msg"].as_str().unwrap().starts_with("Deno is not installed"), "{body}");
    let _ = std::fs::remove_dir_all(root);
}

async fn check(f: &Functions) -> Value {
    let (status, _, body) = call(f, "GET", "/functions/v1/later?check", &[], "").await;
    assert_eq!(status, 200, "{body}");
    json(&body)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wait_until_runs_after_the_response_and_logs_failures() {
    let (f, root) = deno_fixture(20_000);
    let first = check(&f).await; // boots the worker, so the timing below is the call alone
    assert_eq!((first["waitUntil"].as_str(), first["fromStack"].as_str()), (Some("function"), Some("yes")));
    let started = Instant::now();
    let (status, _, body) = call(&f, "GET", "/functions/v1/later?ms=1500", &[], "").await;
    assert_eq!((status, body.as_str()), (200, "answered"));
    assert_eq!(check(&f).await["done"], 0, "the answer came before the task finished");
    while check(&f).await["done"] != 1 {
        assert!(started.elapsed() < Duration::from_secs(10), "the background task never finished");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(started.elapsed() >= Duration::from_millis(1500));
    // A rejected task is logged; the worker (and what it counted) lives on.
    assert_eq!(call(&f, "GET", "/functions/v1/later?fail", &[], "").await.0, 200);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(check(&f).await["done"], 1, "the worker survived the rejection");
    let _ = std::fs::remove_dir_all(root);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_replaced_worker_finishes_its_background_tasks() {
    let (f, root) = deno_fixture(20_000);
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    check(&f).await;
    let (status, _, _) = call(&f, "GET", &format!("/functions/v1/later?ms=1500&ping={port}"), &[], "").await;
    assert_eq!(status, 200);
    // Let the worker report the task.
    tokio::time::sleep(Duration::from_millis(300)).await;
    // An edit restarts the function: the next call is served by a fresh worker…
    let file = root.join("functions/later/index.ts");
    std::fs::write(&file, format!("{LATER}\n// edited\n")).unwrap();
    assert_eq!(check(&f).await["done"], 0, "a new worker answers after the edit");
    // …while the old one still completes the task it was given.
    let accepted = tokio::task::spawn_blocking(move || {
        listener.set_nonblocking(true).unwrap();
        let until = Instant::now() + Duration::from_secs(10);
        while Instant::now() < until {
            if let Ok((mut s, _)) = listener.accept() {
                use std::io::Write;
                let _ = s.set_nonblocking(false);
                let _ = s.write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\nconnection: close\r\n\r\n");
                return true;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        false
    })
    .await
    .unwrap();
    assert!(accepted, "the replaced worker was stopped before its background task ran");
    let _ = std::fs::remove_dir_all(root);
}

/// The live worker of `name` in `f`'s slots.
fn live_worker(f: &Functions, name: &str) -> std::sync::Arc<super::worker::Worker> {
    let slot = f.slots.lock().unwrap().get(name).cloned().expect("a slot");
    let current = slot.try_lock().expect("no call in flight").clone();
    current.expect("a started worker")
}

/// Two runtimes in one process (two stacks sharing a test process): shutting one down kills
/// its own workers and leaves the other's running.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_runtimes_shutdown_leaves_another_runtimes_workers_alone() {
    let ((a, root_a), (b, root_b)) = (deno_fixture(20_000), deno_fixture(20_000));
    let pid = |body: &str| serde_json::from_str::<Value>(body).unwrap()["pid"].as_i64().unwrap();
    let (status, _, body_a) = call(&a, "GET", "/functions/v1/echo", &[], "").await;
    assert_eq!(status, 201, "{body_a}");
    let (status, _, body_b) = call(&b, "GET", "/functions/v1/echo", &[], "").await;
    assert_eq!(status, 201, "{body_b}");
    let (worker_a, worker_b) = (live_worker(&a, "echo"), live_worker(&b, "echo"));

    a.shutdown();
    let deadline = Instant::now() + Duration::from_secs(10);
    while worker_a.alive() {
        assert!(Instant::now() < deadline, "a's worker outlived a's shutdown");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // Both kills would have been sent together; a's worker is gone, b's still answers as the
    // same process.
    assert!(worker_b.alive(), "a's shutdown killed b's worker");
    let (status, _, again_b) = call(&b, "GET", "/functions/v1/echo", &[], "").await;
    assert_eq!(status, 201, "{again_b}");
    assert_eq!(pid(&again_b), pid(&body_b), "b's worker was restarted");
    let (status, _, again_a) = call(&a, "GET", "/functions/v1/echo", &[], "").await;
    assert_eq!(status, 201, "{again_a}");
    assert_ne!(pid(&again_a), pid(&body_a), "a's killed worker is replaced on the next call");
    b.shutdown();
    drop((worker_a, worker_b));
    let _ = std::fs::remove_dir_all(root_a);
    let _ = std::fs::remove_dir_all(root_b);
}
