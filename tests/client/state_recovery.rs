//! The state the grid reads, fed by the app's own services (`services::sessions::open`,
//! `services::live::follow_session` on the shared Realtime client): out-of-order rows never
//! regress a card, and deletes leave the grid. The helpers here are shared with
//! `state_paths`, which drops the socket under the feed.

use atelier::domain::merge::Applied;
use atelier::domain::{AuthSession, Generation, GenerationStatus};
use atelier::services::{self, Services};
use atelier::state::sessions::CurrentSession;
use atelier::state::{AuthState, PublishState, SessionsState, UiState};
use atelier::supabase::realtime::ConnectionState;
use atelier::supabase::rest;
use leptos::prelude::*;
use serde_json::json;
use wasm_bindgen_test::{console_log, wasm_bindgen_test};

use crate::common::{self, Heard, Row};

/// The app's states, signed in as `user`, with the shared Realtime client on their token.
pub fn app_as(user: &AuthSession) -> Services {
    common::reactive();
    let app = Services {
        auth: AuthState::new(),
        sessions: SessionsState::new(),
        publish: PublishState::new(),
        ui: UiState::new(),
    };
    app.auth.session.set(Some(user.clone()));
    app.auth.finish_restore();
    services::realtime::client().set_access_token(Some(user.access_token.clone()));
    app
}

/// Opens the session and follows it, as the generate page does; waits until it is shown.
pub async fn open_and_follow(app: Services, row: &Row) -> services::live::SessionFeed {
    services::sessions::open(app, row.session_id.clone()).await.expect("the session opens");
    assert_eq!(app.sessions.current.get_untracked(), CurrentSession::Ready(row.session_id.clone()));
    assert_eq!(app.sessions.order.get_untracked(), vec![row.id.clone()]);
    services::live::follow_session(app, row.session_id.clone())
}

/// A queued generation of `user`'s, its session opened and followed, and the feed known to be
/// joined: the row's update to processing has reached the state (live, or through the join's
/// refetch).
pub async fn followed_processing_row(user: &AuthSession) -> (Row, Services, services::live::SessionFeed) {
    let row = common::queued_generation(user).await;
    let app = app_as(user);
    let feed = open_and_follow(app, &row).await;
    common::service_update(&row.id, json!({"status": "processing"})).await;
    wait_status(app, &row.id, GenerationStatus::Processing, 5000).await;
    (row, app, feed)
}

pub fn status_of(app: Services, id: &str) -> Option<GenerationStatus> {
    app.sessions.get_untracked(id).map(|g| g.status)
}

pub fn errors(app: Services) -> Vec<String> {
    app.ui.toasts.get_untracked().into_iter().map(|t| t.text).collect()
}

/// Waits until the state shows `id` with `status` (by any path: event, refetch or poll).
pub async fn wait_status(app: Services, id: &str, status: GenerationStatus, timeout_ms: u32) -> f64 {
    common::wait_for(&format!("the state to show {id} {status:?}"), timeout_ms, || {
        (status_of(app, id) == Some(status)).then(common::now_ms)
    })
    .await
}

/// Drops the shared client's socket and waits until the client has noticed.
pub async fn drop_socket(heard: &Heard) -> f64 {
    let client = services::realtime::client();
    assert_eq!(client.connection_state(), ConnectionState::Open, "the socket was open before the drop");
    let dropped_at = common::now_ms();
    client.debug_close_socket();
    common::wait_for("the client to notice the socket is gone", 3000, || {
        (client.connection_state() == ConnectionState::Closed).then_some(())
    })
    .await;
    assert!(heard.connection.borrow().iter().any(|(t, s)| *s == ConnectionState::Closed && *t >= dropped_at));
    dropped_at
}

pub fn reopened_after(heard: &Heard, after: f64) -> Option<f64> {
    heard.connection.borrow().iter().find(|(t, s)| *s == ConnectionState::Open && *t > after).map(|(t, _)| *t)
}

#[wasm_bindgen_test]
async fn an_older_row_applied_after_a_newer_one_never_regresses_the_card() {
    let user = common::sign_up().await;
    let row = common::queued_generation(&user).await;
    let read = |user: AuthSession, id: String| async move {
        let query = rest::table("generations", &user.access_token).select("*").eq("id", &id);
        rest::rows::<Generation>(query).await.unwrap().remove(0)
    };
    let queued = read(user.clone(), row.id.clone()).await;
    common::service_update(&row.id, json!({"status": "processing"})).await;
    let processing = read(user.clone(), row.id.clone()).await;
    let media = "http://127.0.0.1/x.png";
    common::service_update(&row.id, json!({"status": "completed", "media_url": media, "width": 8, "height": 8})).await;
    let completed = read(user.clone(), row.id.clone()).await;
    assert!(queued.version() < processing.version() && processing.version() < completed.version());

    let app = app_as(&user);
    app.sessions.show(CurrentSession::Ready(row.session_id.clone()));
    assert_eq!(app.sessions.apply(completed.clone()), Applied::Inserted);
    let card = app.sessions.row(&row.id).unwrap();
    assert_eq!(app.sessions.apply(processing.clone()), Applied::Ignored, "a late processing is ignored");
    assert_eq!(app.sessions.apply(queued.clone()), Applied::Ignored, "a late queued is ignored");
    assert_eq!(card.get_untracked(), completed);
    assert_eq!(status_of(app, &row.id), Some(GenerationStatus::Completed));
    assert_eq!(app.sessions.order.get_untracked(), vec![row.id.clone()]);

    // And the other way round, as a first load would meet them: the newest wins.
    let fresh = app_as(&user);
    fresh.sessions.show(CurrentSession::Ready(row.session_id.clone()));
    fresh.sessions.apply_all([processing, queued, completed.clone()]);
    assert_eq!(fresh.sessions.get_untracked(&row.id), Some(completed));
    // A row of another session is not taken in.
    let mut foreign = fresh.sessions.get_untracked(&row.id).unwrap();
    foreign.id = "another-id".into();
    foreign.session_id = "another-session".into();
    assert_eq!(fresh.sessions.apply(foreign), Applied::Ignored);
    assert_eq!(fresh.sessions.order.get_untracked(), vec![row.id.clone()]);
}

#[wasm_bindgen_test]
async fn a_delete_by_the_service_role_removes_the_card() {
    let user = common::sign_up().await;
    let (row, app, _feed) = followed_processing_row(&user).await;

    let deleted_at = common::now_ms();
    common::service_delete(&row.id).await;
    common::wait_for("the card to leave the grid", 5000, || {
        app.sessions.order.get_untracked().is_empty().then_some(())
    })
    .await;
    console_log!("state recovery: DELETE by the service role -> card gone in {:.0} ms", common::now_ms() - deleted_at);
    assert_eq!(app.sessions.get_untracked(&row.id), None);
    assert!(app.sessions.row(&row.id).is_none());
}
