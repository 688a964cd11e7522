//! What every browser test needs: the stack (compiled in), the app config, fresh users, rows
//! written as a user or as the service role, and polling with a deadline.

use std::cell::RefCell;
use std::rc::Rc;

use atelier::domain::{AuthSession, GenerationStatus};
use atelier::supabase::auth::{self, SignUpOutcome};
use atelier::supabase::realtime::{Change, ChannelStatus, ConnectionState};
use atelier::supabase::{config, Config};
use gloo_net::http::{Request, RequestBuilder};
use serde::Deserialize;
use serde_json::{json, Value};
use wasm_bindgen::JsValue;

/// The stack under test, from the environment the tests were compiled in. A missing value
/// fails the test: this layer never passes by not running.
pub struct Stack {
    pub url: &'static str,
    pub anon_key: &'static str,
    pub service_key: &'static str,
}

fn required(value: Option<&'static str>, name: &str) -> &'static str {
    match value {
        Some(v) if !v.trim().is_empty() => v,
        _ => panic!("{name} was not set when the client tests were compiled; run scripts/test-client.sh"),
    }
}

/// The stack, or a failed test.
pub fn stack() -> Stack {
    Stack {
        url: required(option_env!("ATELIER_TEST_API_URL"), "ATELIER_TEST_API_URL"),
        anon_key: required(option_env!("ATELIER_TEST_ANON_KEY"), "ATELIER_TEST_ANON_KEY"),
        service_key: required(option_env!("ATELIER_TEST_SERVICE_KEY"), "ATELIER_TEST_SERVICE_KEY"),
    }
}

/// Sets `window.ATELIER_CONFIG` as `config.js` would and reads it the app's way.
pub fn init() -> &'static Config {
    let s = stack();
    let raw = js_sys::Object::new();
    let set = |k: &str, v: &str| js_sys::Reflect::set(&raw, &JsValue::from_str(k), &JsValue::from_str(v)).unwrap();
    set("supabaseUrl", s.url);
    set("supabaseAnonKey", s.anon_key);
    let window = web_sys::window().expect("a window");
    js_sys::Reflect::set(&window, &JsValue::from_str("ATELIER_CONFIG"), &raw).unwrap();
    config::init().expect("the test config is valid")
}

/// A name no other test (or run) uses.
pub fn unique(prefix: &str) -> String {
    format!("{prefix}-{}-{}", js_sys::Date::now() as u64, (js_sys::Math::random() * 1e9) as u64)
}

/// Signs up a fresh user through `/auth/v1/signup` (the stack auto-confirms).
pub async fn sign_up() -> AuthSession {
    init();
    let email = format!("{}@client.test", unique("user"));
    match auth::sign_up(&email, "client-test-password").await.expect("sign-up works") {
        SignUpOutcome::SignedIn(session) => session,
        SignUpOutcome::ConfirmationSent => panic!("the local stack should auto-confirm sign-ups"),
    }
}

/// A generation row as the tests read it.
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct Row {
    pub id: String,
    pub session_id: String,
    pub status: GenerationStatus,
}

pub fn rest(builder: RequestBuilder, key: &str, bearer: &str) -> RequestBuilder {
    builder
        .header("apikey", key)
        .header("Authorization", &format!("Bearer {bearer}"))
        .header("Prefer", "return=representation")
}

pub async fn send(builder: RequestBuilder, body: Option<Value>) -> Vec<Value> {
    let request = match body {
        Some(b) => builder.json(&b).unwrap(),
        None => builder.build().unwrap(),
    };
    let response = request.send().await.expect("the stack answers");
    let (status, text) = (response.status(), response.text().await.unwrap_or_default());
    assert!((200..300).contains(&status), "REST answered {status}: {text}");
    serde_json::from_str(&text).unwrap_or_default()
}

pub fn url(path: &str) -> String {
    format!("{}/rest/v1/{path}", stack().url)
}

/// Creates a session and one queued image generation in it, as `user`; returns the row.
pub async fn queued_generation(user: &AuthSession) -> Row {
    let (key, token) = (stack().anon_key, user.access_token.as_str());
    let session = send(rest(Request::post(&url("sessions")), key, token), Some(json!({"title": "Client test"}))).await;
    let session_id = session[0]["id"].as_str().expect("a session id").to_owned();
    let body = json!({"session_id": session_id, "kind": "image", "prompt": "a lighthouse at dusk"});
    let rows = send(rest(Request::post(&url("generations")), key, token), Some(body)).await;
    serde_json::from_value(rows[0].clone()).expect("a generation row")
}

/// PATCHes generation `id` as the service role (what the generate-media function does).
pub async fn service_update(id: &str, body: Value) {
    let key = stack().service_key;
    let rows = send(rest(Request::patch(&url(&format!("generations?id=eq.{id}"))), key, key), Some(body)).await;
    assert_eq!(rows.len(), 1, "the service role updated one row");
}

/// Deletes generation `id` as its owner.
pub async fn user_delete(user: &AuthSession, id: &str) {
    let builder = rest(Request::delete(&url(&format!("generations?id=eq.{id}"))), stack().anon_key, &user.access_token);
    assert_eq!(send(builder, None).await.len(), 1, "the owner deleted one row");
}

/// Stars generation `id` as its owner, through `set_generation_starred` (as another tab of the
/// same creator would).
pub async fn user_star(user: &AuthSession, id: &str) {
    let builder = rest(Request::post(&url("rpc/set_generation_starred")), stack().anon_key, &user.access_token);
    let request = builder.json(&json!({"p_generation_id": id, "p_starred": true})).unwrap();
    let response = request.send().await.expect("the stack answers");
    let (status, text) = (response.status(), response.text().await.unwrap_or_default());
    assert_eq!(status, 200, "set_generation_starred answered {status}: {text}");
    let row: Value = serde_json::from_str(&text).expect("the starred row");
    assert_eq!(row["starred"], true, "{row}");
}

/// Reads generation `id` as `user` (what a caller refetches on Subscribed).
pub async fn fetch(user: &AuthSession, id: &str) -> Row {
    let builder =
        rest(Request::get(&url(&format!("generations?id=eq.{id}&select=*"))), stack().anon_key, &user.access_token);
    serde_json::from_value(send(builder, None).await[0].clone()).expect("the row is visible to its owner")
}

/// Milliseconds on the browser clock.
pub fn now_ms() -> f64 {
    js_sys::Date::now()
}

pub async fn sleep_ms(ms: u32) {
    gloo_timers::future::TimeoutFuture::new(ms).await;
}

/// Polls `probe` every 20 ms until it gives a value; fails the test after `timeout_ms`.
pub async fn wait_for<T>(what: &str, timeout_ms: u32, mut probe: impl FnMut() -> Option<T>) -> T {
    let deadline = now_ms() + timeout_ms as f64;
    loop {
        if let Some(v) = probe() {
            return v;
        }
        assert!(now_ms() < deadline, "timed out after {timeout_ms} ms waiting for {what}");
        sleep_ms(20).await;
    }
}

/// What a channel's callbacks heard, with the time each arrived.
#[derive(Clone, Default)]
pub struct Heard {
    pub changes: Rc<RefCell<Vec<Change>>>,
    pub statuses: Rc<RefCell<Vec<(f64, ChannelStatus)>>>,
    pub connection: Rc<RefCell<Vec<(f64, ConnectionState)>>>,
}

impl Heard {
    pub fn on_change(&self) -> impl Fn(Change) + 'static {
        let changes = self.changes.clone();
        move |c| changes.borrow_mut().push(c)
    }

    pub fn on_status(&self) -> impl Fn(ChannelStatus) + 'static {
        let statuses = self.statuses.clone();
        move |s| statuses.borrow_mut().push((now_ms(), s))
    }

    pub fn on_connection(&self) -> impl Fn(ConnectionState) + 'static {
        let connection = self.connection.clone();
        move |s| connection.borrow_mut().push((now_ms(), s))
    }

    /// How many times the channel reported Subscribed.
    pub fn subscribed(&self) -> usize {
        self.statuses.borrow().iter().filter(|(_, s)| *s == ChannelStatus::Subscribed).count()
    }

    /// Waits for the `n`th Subscribed; returns when it came.
    pub async fn wait_subscribed(&self, n: usize) -> f64 {
        wait_for(&format!("Subscribed #{n}"), 5000, || {
            self.statuses.borrow().iter().filter(|(_, s)| *s == ChannelStatus::Subscribed).nth(n - 1).map(|(t, _)| *t)
        })
        .await
    }

    /// Waits for a change to row `id` satisfying `test`.
    pub async fn wait_change(&self, id: &str, test: impl Fn(&Change) -> bool) -> Change {
        wait_for(&format!("a change to {id}"), 5000, || {
            self.changes
                .borrow()
                .iter()
                .find(|c| (c.record["id"] == id || c.old_id().as_deref() == Some(id)) && test(c))
                .cloned()
        })
        .await
    }
}

/// Starts Leptos' task executor as `mount_to_body` does in the app (mounting nothing), so
/// services that `spawn_local` and states built outside a component work in a test.
pub fn reactive() {
    thread_local! {
        static STARTED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    }
    init();
    if !STARTED.with(|s| s.replace(true)) {
        leptos::mount::mount_to_body(|| ());
    }
}

/// Deletes generation `id` as the service role.
pub async fn service_delete(id: &str) {
    let key = stack().service_key;
    let rows = send(rest(Request::delete(&url(&format!("generations?id=eq.{id}"))), key, key), None).await;
    assert_eq!(rows.len(), 1, "the service role deleted one row");
}
