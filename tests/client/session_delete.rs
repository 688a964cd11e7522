//! Deleting a session through the app's own service (`services::sessions::delete`) against a
//! stack whose PostgREST answers at most `max_rows` (1,000) rows per read, as hosted Supabase
//! does: a session of more than 1,000 outputs loses every stored file, not only the first
//! 1,000 listed; a session whose output was published is refused before any file goes, and
//! one whose posts were all cancelled or failed is deleted with them.

use std::cell::RefCell;
use std::future::Future;
use std::rc::Rc;

use atelier::domain::AuthSession;
use atelier::services::{self, media::BUCKET, ServiceError, Services};
use atelier::state::{AuthState, PublishState, SessionsState, UiState};
use atelier::supabase::storage;
use gloo_net::http::Request;
use leptos::prelude::Set;
use serde_json::{json, Value};
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::{future_to_promise, JsFuture};
use wasm_bindgen_test::{console_log, wasm_bindgen_test};

use crate::common::{self, stack};

/// More outputs than one read returns on hosted Supabase.
const OUTPUTS: usize = 1_100;
/// Outputs that also have a thumbnail file (a folder of two objects).
const WITH_THUMBNAIL: usize = 3;

/// The app's states, signed in as `user`.
fn app_as(user: &AuthSession) -> Services {
    common::reactive();
    let app = Services {
        auth: AuthState::new(),
        sessions: SessionsState::new(),
        publish: PublishState::new(),
        ui: UiState::new(),
    };
    app.auth.session.set(Some(user.clone()));
    app.auth.finish_restore();
    app
}

/// A REST call with `bearer` (the user's token or the service key); panics on a non-2xx.
async fn rest(method: &str, path: &str, bearer: &str, body: Option<Value>, prefer: &str) -> (Option<String>, String) {
    let url = format!("{}/rest/v1/{path}", stack().url);
    let builder = match method {
        "POST" => Request::post(&url),
        _ => Request::get(&url),
    }
    .header("apikey", stack().anon_key)
    .header("Authorization", &format!("Bearer {bearer}"))
    .header("Prefer", prefer);
    let request = match body {
        Some(body) => builder.json(&body).unwrap(),
        None => builder.build().unwrap(),
    };
    let response = request.send().await.expect("the stack answers");
    let range = response.headers().get("content-range");
    let (status, text) = (response.status(), response.text().await.unwrap_or_default());
    assert!((200..300).contains(&status), "{method} {path} answered {status}: {text}");
    (range, text)
}

/// How many rows match `path`'s filters, counted by the server as the service role.
async fn count(path: &str) -> usize {
    let key = stack().service_key;
    let (range, _) = rest("GET", &format!("{path}&limit=1"), key, None, "count=exact").await;
    let range = range.expect("a Content-Range header");
    atelier::supabase::rest::total_from_content_range(&range).expect("an exact count")
}

/// Runs `work` on every item, `at_once` at a time; the first failure fails the test.
async fn each_at_once<F, Fut>(items: Vec<String>, at_once: usize, work: F)
where
    F: Fn(String) -> Fut + Clone + 'static,
    Fut: Future<Output = Result<(), String>> + 'static,
{
    let queue = Rc::new(RefCell::new(items.into_iter()));
    let workers = js_sys::Array::new();
    for _ in 0..at_once {
        let (queue, work) = (queue.clone(), work.clone());
        workers.push(&future_to_promise(async move {
            loop {
                let next = queue.borrow_mut().next();
                let Some(item) = next else { return Ok(JsValue::UNDEFINED) };
                work(item).await.map_err(|e| JsValue::from_str(&e))?;
            }
        }));
    }
    if let Err(e) = JsFuture::from(js_sys::Promise::all(&workers)).await {
        panic!("{}", e.as_string().unwrap_or_default());
    }
}

/// Uploads a small PNG-typed object at `path` as the holder of `token`.
async fn upload(path: String, token: String) -> Result<(), String> {
    storage::upload(BUCKET, &path, b"\x89PNG test", "image/png", false, &token)
        .await
        .map_err(|e| format!("{path}: {e}"))
}

/// Creates a session as the user, through the app.
async fn new_session(app: Services, title: &str) -> String {
    services::sessions::create(app, title.to_owned()).await.expect("the session is created").id
}

/// Inserts `n` queued outputs into `session`, as the user, in bulk; returns their ids.
async fn insert_outputs(user: &AuthSession, session: &str, n: usize) -> Vec<String> {
    let ids: Vec<String> = (0..n).map(|_| services::random_uuid()).collect();
    for chunk in ids.chunks(500) {
        let rows: Vec<Value> = chunk
            .iter()
            .map(|id| json!({"id": id, "session_id": session, "kind": "image", "prompt": "a lighthouse at dusk"}))
            .collect();
        rest("POST", "generations", &user.access_token, Some(Value::Array(rows)), "return=minimal").await;
    }
    ids
}

#[wasm_bindgen_test]
async fn deleting_a_session_of_more_than_1000_outputs_removes_every_stored_file() {
    let user = common::sign_up().await;
    let app = app_as(&user);
    let (uid, token) = (user.user.id.clone(), user.access_token.clone());
    let session = new_session(app, "Eleven hundred outputs").await;
    let ids = insert_outputs(&user, &session, OUTPUTS).await;

    let mut paths: Vec<String> = ids.iter().map(|id| format!("{uid}/{id}/image-1.png")).collect();
    paths.extend(ids[..WITH_THUMBNAIL].iter().map(|id| format!("{uid}/{id}/thumbnail-1.png")));
    let uploading = token.clone();
    each_at_once(paths.clone(), 6, move |path| upload(path, uploading.clone())).await;
    assert_eq!(count(&format!("generations?select=id&session_id=eq.{session}")).await, OUTPUTS);
    // What one plain read returns on this stack (1,000 where max_rows is enforced).
    let (_, listed) = rest("GET", &format!("generations?select=id&session_id=eq.{session}"), &token, None, "").await;
    let listed = serde_json::from_str::<Vec<Value>>(&listed).unwrap().len();
    console_log!("one read of the session's {OUTPUTS} outputs returned {listed} rows");
    let late = ids.last().unwrap();
    assert!(!storage::list(BUCKET, &format!("{uid}/{late}"), &token).await.unwrap().is_empty(), "uploaded");

    services::sessions::delete(app, session.clone()).await.expect("the session is deleted");

    // Not one folder is left under the user's: every output's files are gone, the last
    // output's (past any single read) included, and its public URL no longer serves it.
    let left = storage::list(BUCKET, &uid, &token).await.unwrap();
    assert!(left.is_empty(), "{} folders left, e.g. {:?}", left.len(), left.first());
    for id in [&ids[0], &ids[999], &ids[1_000], late] {
        assert_eq!(storage::list(BUCKET, &format!("{uid}/{id}"), &token).await.unwrap(), Vec::<String>::new());
    }
    let public = storage::public_url(BUCKET, &format!("{uid}/{late}/image-1.png"));
    let status = Request::get(&public).send().await.expect("storage answers").status();
    assert!(status >= 400, "the last output's file is still served ({status})");
    assert_eq!(count(&format!("generations?select=id&session_id=eq.{session}")).await, 0);
    assert_eq!(count(&format!("sessions?select=id&id=eq.{session}")).await, 0);
}

#[wasm_bindgen_test]
async fn a_posted_session_is_refused_before_any_file_is_removed() {
    let user = common::sign_up().await;
    let app = app_as(&user);
    let (uid, token) = (user.user.id.clone(), user.access_token.clone());
    let session = new_session(app, "Posted once").await;
    let ids = insert_outputs(&user, &session, 2).await;
    for id in &ids {
        upload(format!("{uid}/{id}/image-1.png"), token.clone()).await.unwrap();
    }
    // The second output was posted (written as the server side would).
    let key = stack().service_key;
    let (_, account) = rest(
        "POST",
        "connected_accounts?select=id",
        key,
        Some(json!({"user_id": uid, "platform": "instagram", "handle": "client.test", "display_name": "T", "status": "mock"})),
        "return=representation",
    )
    .await;
    let account: Value = serde_json::from_str::<Vec<Value>>(&account).unwrap().remove(0);
    // Published: it stays on the network, and Atelier keeps its output until the creator removes
    // the post (a cancelled or failed one would go with the session).
    let post = json!({"user_id": uid, "generation_id": ids[1], "account_id": account["id"], "status": "published",
        "published_at": "2026-12-01T10:00:00Z"});
    rest("POST", "posts", key, Some(post), "return=minimal").await;

    let refused = services::sessions::delete(app, session.clone()).await;
    assert!(
        matches!(&refused, Err(ServiceError::Refused(text)) if text.contains("some of its outputs were posted")),
        "{refused:?}"
    );
    for id in &ids {
        let files = storage::list(BUCKET, &format!("{uid}/{id}"), &token).await.unwrap();
        assert_eq!(files, vec!["image-1.png".to_owned()], "the files of {id} stay");
    }
    assert_eq!(count(&format!("generations?select=id&session_id=eq.{session}")).await, 2);
}

#[wasm_bindgen_test]
async fn a_session_whose_posts_never_went_out_is_deleted_with_them() {
    let user = common::sign_up().await;
    let app = app_as(&user);
    let uid = user.user.id.clone();
    let session = new_session(app, "Called off").await;
    let ids = insert_outputs(&user, &session, 2).await;
    let key = stack().service_key;
    let (_, account) = rest(
        "POST",
        "connected_accounts?select=id",
        key,
        Some(json!({"user_id": uid, "platform": "x", "handle": "client_x", "display_name": "T", "status": "mock"})),
        "return=representation",
    )
    .await;
    let account: Value = serde_json::from_str::<Vec<Value>>(&account).unwrap().remove(0);
    let posts = json!([
        {"user_id": uid, "generation_id": ids[0], "account_id": account["id"], "status": "cancelled", "error": null},
        {"user_id": uid, "generation_id": ids[1], "account_id": account["id"], "status": "failed", "error": "Refused"},
    ]);
    rest("POST", "posts", key, Some(posts), "return=minimal").await;

    services::sessions::delete(app, session.clone()).await.expect("the session is deleted");
    assert_eq!(count(&format!("generations?select=id&session_id=eq.{session}")).await, 0);
    assert_eq!(count(&format!("posts?select=id&account_id=eq.{}", account["id"].as_str().unwrap())).await, 0);
}
