//! Recovery at the level the grid reads: the app's own states and services
//! (`services::sessions::open`, `services::live::follow_session` on the shared Realtime
//! client). The socket drops under the client, the service role changes a row meanwhile, and
//! after the reconnect the state holds the change exactly once. Out-of-order rows never
//! regress a card, and deletes leave the grid.

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
    services::realtime::client().set_access_token(Some(user.access_token.clone()));
    app
}

/// Opens the session and follows it, as the generate page does; waits until it is shown.
async fn open_and_follow(app: Services, row: &Row) -> services::live::SessionFeed {
    services::sessions::open(app, row.session_id.clone()).await.expect("the session opens");
    assert_eq!(app.sessions.current.get_untracked(), CurrentSession::Ready(row.session_id.clone()));
    assert_eq!(app.sessions.order.get_untracked(), vec![row.id.clone()]);
    services::live::follow_session(app, row.session_id.clone())
}

fn status_of(app: Services, id: &str) -> Option<GenerationStatus> {
    app.sessions.get_untracked(id).map(|g| g.status)
}

fn errors(app: Services) -> Vec<String> {
    app.ui.toasts.get_untracked().into_iter().map(|t| t.text).collect()
}

/// Waits until the state shows `id` with `status` (by any path: event, refetch or poll).
async fn wait_status(app: Services, id: &str, status: GenerationStatus, timeout_ms: u32) -> f64 {
    common::wait_for(&format!("the state to show {id} {status:?}"), timeout_ms, || {
        (status_of(app, id) == Some(status)).then(common::now_ms)
    })
    .await
}

/// Drops the shared client's socket and waits until the client has noticed.
async fn drop_socket(heard: &Heard) -> f64 {
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

fn reopened_after(heard: &Heard, after: f64) -> Option<f64> {
    heard.connection.borrow().iter().find(|(t, s)| *s == ConnectionState::Open && *t > after).map(|(t, _)| *t)
}

#[wasm_bindgen_test]
async fn after_a_dropped_socket_the_state_holds_the_missed_change_exactly_once() {
    let user = common::sign_up().await;
    let row = common::queued_generation(&user).await;
    let app = app_as(&user);
    let heard = Heard::default();
    services::realtime::client().on_connection_change(heard.on_connection());
    let _feed = open_and_follow(app, &row).await;

    // Live first: the feed is joined and an update reaches the state.
    common::service_update(&row.id, json!({"status": "processing"})).await;
    wait_status(app, &row.id, GenerationStatus::Processing, 5000).await;
    common::wait_for("the socket to be open", 5000, || {
        (services::realtime::client().connection_state() == ConnectionState::Open).then_some(())
    })
    .await;

    let dropped_at = drop_socket(&heard).await;
    // Written while no socket is open: only the refetch after the rejoin can bring it.
    let media = format!("http://127.0.0.1/storage/v1/object/public/generated_assets/{}/image-1.png", row.id);
    common::service_update(
        &row.id,
        json!({"status": "completed", "media_url": media, "thumbnail_url": media, "width": 1024, "height": 768,
               "completed_at": "2026-12-01T00:00:00Z"}),
    )
    .await;
    let changed_while_closed = services::realtime::client().connection_state() == ConnectionState::Closed;

    let consistent_at = wait_status(app, &row.id, GenerationStatus::Completed, 8000).await;
    let reopened_at = common::wait_for("the socket to reopen", 8000, || reopened_after(&heard, dropped_at)).await;
    let path = if consistent_at < reopened_at { "the poll, before the reconnect" } else { "the rejoin's refetch" };
    console_log!(
        "state recovery: reconnect (Open) -> state consistent in {:.0} ms; drop -> consistent in {:.0} ms; \
         drop -> Open in {:.0} ms (row changed while closed: {changed_while_closed}; brought by {path})",
        consistent_at - reopened_at,
        consistent_at - dropped_at,
        reopened_at - dropped_at
    );

    assert_eq!(app.sessions.order.get_untracked(), vec![row.id.clone()], "the id is held once");
    assert_eq!(app.sessions.all_untracked().len(), 1);
    let held = app.sessions.get_untracked(&row.id).unwrap();
    assert_eq!(held.media_url.as_deref(), Some(media.as_str()));
    assert_eq!((held.width, held.height), (Some(1024), Some(768)));
    let card = app.sessions.row(&row.id).expect("the card's signal").get_untracked();
    assert_eq!(card, held, "the card's own signal carries the change");
    assert_eq!(app.sessions.thumbnails.get_untracked().get(&row.session_id), Some(&media));
    assert_eq!(app.sessions.total.get_untracked(), Some(1));
    assert!(errors(app).is_empty(), "no error was shown: {:?}", errors(app));

    // Nothing arrives later to change it again: a duplicate of the final row is ignored.
    assert_eq!(app.sessions.apply(held.clone()), Applied::Ignored);
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
    let row = common::queued_generation(&user).await;
    let app = app_as(&user);
    let _feed = open_and_follow(app, &row).await;
    // Joined once an update arrives live (or through the join's refetch).
    common::service_update(&row.id, json!({"status": "processing"})).await;
    wait_status(app, &row.id, GenerationStatus::Processing, 5000).await;

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

#[wasm_bindgen_test]
async fn a_row_deleted_while_the_socket_was_closed_is_gone_after_the_rejoin() {
    let user = common::sign_up().await;
    let row = common::queued_generation(&user).await;
    let app = app_as(&user);
    let heard = Heard::default();
    services::realtime::client().on_connection_change(heard.on_connection());
    services::sessions::open(app, row.session_id.clone()).await.unwrap();
    let _feed = services::live::follow_session(app, row.session_id.clone());
    common::service_update(&row.id, json!({"status": "processing"})).await;
    wait_status(app, &row.id, GenerationStatus::Processing, 5000).await;
    common::wait_for("the socket to be open", 5000, || {
        (services::realtime::client().connection_state() == ConnectionState::Open).then_some(())
    })
    .await;

    let dropped_at = drop_socket(&heard).await;
    common::service_delete(&row.id).await;
    let deleted_while_closed = services::realtime::client().connection_state() == ConnectionState::Closed;
    let reopened_at = common::wait_for("the socket to reopen", 8000, || reopened_after(&heard, dropped_at)).await;
    // The rejoin refetches the session (`total` is what that refetch counted): the server no
    // longer has the row, so neither may the grid.
    let refetched_at = common::wait_for("the refetch after the rejoin", 6000, || {
        (app.sessions.total.get_untracked() == Some(0)).then(common::now_ms)
    })
    .await;
    console_log!(
        "state recovery: deleted while closed ({deleted_while_closed}); refetch after reconnect saw 0 rows \
         {:.0} ms after Open; the grid holds {:?}",
        refetched_at - reopened_at,
        app.sessions.order.get_untracked()
    );
    assert!(
        app.sessions.order.get_untracked().is_empty(),
        "a card deleted while the socket was closed stays in the grid after the rejoin's refetch found 0 rows: {:?} \
         (status {:?})",
        app.sessions.order.get_untracked(),
        status_of(app, &row.id)
    );
    assert!(errors(app).is_empty(), "no error was shown: {:?}", errors(app));
}
