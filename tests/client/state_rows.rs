//! Bursts of realtime events (many rows written by one statement) reach the state the grid
//! reads through the app's feed (`services::live::follow_session`), which applies the rows of
//! a burst as one batch: every row is held once, in the server's order
//! (`order=created_at.desc,id.desc` — rows inserted together share `created_at` and tie on
//! id), each card's signal carries its newest row, and the clock's `in_flight` follows.

use atelier::domain::GenerationStatus;
use gloo_net::http::Request;
use leptos::prelude::*;
use serde_json::{json, Value};
use wasm_bindgen_test::{console_log, wasm_bindgen_test};

use crate::common;
use crate::state_recovery::followed_processing_row;

/// How many rows one statement writes.
const BURST: usize = 40;

/// The ids of session `session`, as the server orders them for the grid.
async fn listed_ids(token: &str, session: &str) -> Vec<String> {
    let path = format!("generations?session_id=eq.{session}&select=id&order=created_at.desc,id.desc");
    let rows =
        common::send(common::rest(Request::get(&common::url(&path)), common::stack().anon_key, token), None).await;
    rows.iter().map(|r| r["id"].as_str().expect("an id").to_owned()).collect()
}

#[wasm_bindgen_test]
async fn a_burst_of_realtime_rows_is_held_in_the_servers_order() {
    let user = common::sign_up().await;
    let (row, app, _feed) = followed_processing_row(&user).await;
    assert!(app.sessions.in_flight.get_untracked(), "a processing row is in flight");

    // One statement inserts the burst: the rows share created_at, so the id breaks the tie.
    let burst: Vec<Value> = (0..BURST)
        .map(|i| json!({"session_id": row.session_id, "kind": "image", "prompt": format!("burst {i}")}))
        .collect();
    let key = common::stack().anon_key;
    let inserted = common::send(
        common::rest(Request::post(&common::url("generations")), key, &user.access_token),
        Some(Value::Array(burst)),
    )
    .await;
    assert_eq!(inserted.len(), BURST);
    let started = common::now_ms();
    common::wait_for("the burst to be held", 10_000, || {
        (app.sessions.order.get_untracked().len() == BURST + 1).then_some(())
    })
    .await;
    console_log!(
        "state rows: {BURST} inserted rows held {:.0} ms after the insert answered",
        common::now_ms() - started
    );
    let listed = listed_ids(&user.access_token, &row.session_id).await;
    assert_eq!(listed.len(), BURST + 1);
    assert_eq!(app.sessions.order.get_untracked(), listed, "the grid's order is the server's");

    // One statement completes them all: every card's signal carries the completed row, the
    // order stays, and nothing is in flight any more.
    let service = common::stack().service_key;
    let path = format!("generations?session_id=eq.{}", row.session_id);
    let done = common::send(
        common::rest(Request::patch(&common::url(&path)), service, service),
        Some(json!({"status": "completed", "media_url": "http://127.0.0.1/x.png", "width": 8, "height": 8})),
    )
    .await;
    assert_eq!(done.len(), BURST + 1);
    common::wait_for("every card to show completed", 10_000, || {
        listed
            .iter()
            .all(|id| {
                app.sessions.row(id).is_some_and(|cell| cell.get_untracked().status == GenerationStatus::Completed)
            })
            .then_some(())
    })
    .await;
    assert_eq!(app.sessions.order.get_untracked(), listed, "an update moves no card");
    assert!(!app.sessions.in_flight.get_untracked(), "nothing is in flight once every row is finished");
}
