//! A session of more outputs than one page, read by the app's own services against the stack:
//! opening reads one keyset page and the exact count; older pages follow the cursor with no row
//! read twice or skipped — even when every row shares `created_at` (one insert), so only the
//! id orders them; and a recovery (`reload_generations`, after a rejoin or while polling) reads
//! the range held again and drops the rows of that range the server no longer has, never one
//! held beyond it; a recovery asked for while the first page is on its way waits for that page
//! and reads the range after it, rather than the first page a second time alongside.

use atelier::domain::Generation;
use atelier::services;
use atelier::state::sessions::ListingKind;
use gloo_net::http::Request;
use leptos::prelude::*;
use serde_json::{json, Value};
use wasm_bindgen_test::wasm_bindgen_test;

use crate::common;
use crate::state_recovery::app_as;

/// Outputs in the session: two pages and a half.
const ROWS: usize = 450;

#[wasm_bindgen_test]
async fn pages_follow_the_keyset_and_a_recovery_drops_only_rows_inside_the_range_read() {
    let user = common::sign_up().await;
    let (key, token) = (common::stack().anon_key, user.access_token.as_str());
    let session = common::send(
        common::rest(Request::post(&common::url("sessions")), key, token),
        Some(json!({"title": "Paged"})),
    )
    .await;
    let session_id = session[0]["id"].as_str().expect("a session id").to_owned();
    // One statement: every row shares created_at.
    let rows: Vec<Value> =
        (0..ROWS).map(|i| json!({"session_id": session_id, "kind": "image", "prompt": format!("paged {i}")})).collect();
    common::send(common::rest(Request::post(&common::url("generations")), key, token), Some(Value::Array(rows))).await;
    let path = format!("generations?session_id=eq.{session_id}&select=*&order=created_at.desc,id.desc");
    let listed: Vec<Generation> = common::send(common::rest(Request::get(&common::url(&path)), key, token), None)
        .await
        .into_iter()
        .map(|v| serde_json::from_value(v).expect("a generation"))
        .collect();
    let ids: Vec<String> = listed.iter().map(|g| g.id.clone()).collect();
    assert_eq!(ids.len(), ROWS);

    let app = app_as(&user);
    services::sessions::open(app, session_id.clone()).await.expect("the session opens");
    let (first, page) = (services::sessions::FIRST_PAGE_SIZE, services::sessions::PAGE_SIZE);
    assert_eq!(app.sessions.order.get_untracked(), ids[..first], "the first page only, in the server's order");
    assert_eq!(app.sessions.outputs_count(), Some(ROWS), "the server's count");
    assert!(services::sessions::load_older(app, ListingKind::All).await.expect("the next page"));
    let held = first + page;
    assert_eq!(app.sessions.order.get_untracked(), ids[..held], "the next page follows on, by id");
    assert_eq!(app.sessions.shown_ids_untracked(ListingKind::All), ids[..held]);

    // A row beyond the range read is held too (an event about it arrived): not the grid's yet.
    let (inside, beyond) = (&ids[100], &ids[430]);
    app.sessions.apply(listed[430].clone());
    assert_eq!(app.sessions.shown_ids_untracked(ListingKind::All).len(), held);
    // Both deleted while no event could tell (no feed here).
    common::service_delete(inside).await;
    common::service_delete(beyond).await;

    watch_generation_reads();
    services::sessions::reload_generations(app, &session_id).await.expect("the range is read again");
    // Every row shares one `created_at`: a bound on the instant alone would read all 450 (three
    // pages); the range held is 248 rows, two pages, then the count of the whole session.
    assert_eq!(
        generation_reads().len(),
        3,
        "two pages down to the oldest row held, and the count: {:?}",
        generation_reads()
    );
    assert!(app.sessions.get_untracked(inside).is_none(), "a row of the range the server no longer has is dropped");
    assert!(app.sessions.get_untracked(beyond).is_some(), "a row beyond the range read is not judged");
    let mut expected: Vec<String> = ids[..held].iter().filter(|id| *id != inside).cloned().collect();
    assert_eq!(app.sessions.shown_ids_untracked(ListingKind::All), expected);
    assert_eq!(app.sessions.outputs_count(), Some(ROWS - 2), "counted again");

    // The rest reads on from the same cursor, down to the last row; the next recovery covers
    // the whole session and drops the row held beyond the first one's range.
    while services::sessions::load_older(app, ListingKind::All).await.expect("older pages") {}
    assert!(!app.sessions.listing.get_untracked().more);
    assert_eq!(app.sessions.shown_ids_untracked(ListingKind::All).len(), ROWS - 1);
    services::sessions::reload_generations(app, &session_id).await.expect("the whole session is read again");
    expected.extend(ids[held..].iter().filter(|id| *id != beyond).cloned());
    assert_eq!(app.sessions.shown_ids_untracked(ListingKind::All), expected);
    assert_eq!(app.sessions.outputs_count(), Some(ROWS - 2));
}

/// Every `/rest/v1/generations` read from now on, as how many such reads had finished when it
/// started (the page's own `fetch`, wrapped once: gloo-net calls `window.fetch`; the tests
/// share the page, and each call starts the record again).
fn watch_generation_reads() {
    js_sys::Function::new_no_args(
        "window.__generationReads = []; window.__generationReadsDone = 0;
         if (window.__generationReadsWatched) return;
         window.__generationReadsWatched = true;
         const plain = window.fetch;
         window.fetch = function (input, init) {
           const url = typeof input === 'string' ? input : input.url;
           if (!url.includes('/rest/v1/generations')) return plain.apply(this, arguments);
           window.__generationReads.push(window.__generationReadsDone);
           return plain.apply(this, arguments).finally(() => { window.__generationReadsDone += 1; });
         };",
    )
    .call0(&wasm_bindgen::JsValue::NULL)
    .expect("fetch wrapped");
}

fn generation_reads() -> Vec<u32> {
    let reads = js_sys::Reflect::get(&js_sys::global(), &"__generationReads".into()).expect("the reads");
    js_sys::Array::from(&reads).iter().map(|v| v.as_f64().expect("a number") as u32).collect()
}

#[wasm_bindgen_test]
async fn a_join_landing_while_the_first_page_is_read_waits_for_it_then_reads_the_range_once() {
    let user = common::sign_up().await;
    let (key, token) = (common::stack().anon_key, user.access_token.as_str());
    let session = common::send(
        common::rest(Request::post(&common::url("sessions")), key, token),
        Some(json!({"title": "Joined while opening"})),
    )
    .await;
    let session_id = session[0]["id"].as_str().expect("a session id").to_owned();
    let rows: Vec<Value> =
        (0..3).map(|i| json!({"session_id": session_id, "kind": "image", "prompt": format!("early {i}")})).collect();
    common::send(common::rest(Request::post(&common::url("generations")), key, token), Some(Value::Array(rows))).await;

    let app = app_as(&user);
    watch_generation_reads();
    // The realtime join's recovery starts while the session's first page is on its way.
    let (opened, recovered) = futures::join!(services::sessions::open(app, session_id.clone()), async {
        services::sessions::reload_generations(app, &session_id).await
    });
    opened.expect("the session opens");
    recovered.expect("the recovery reads");
    let reads = generation_reads();
    assert_eq!(reads.len(), 2, "the first page and one recovery read: {reads:?}");
    assert_eq!(reads[0], 0, "the first page is the first read");
    assert!(reads[1] >= 1, "the recovery waited for the first page before reading: {reads:?}");
    assert_eq!(app.sessions.shown_ids_untracked(ListingKind::All).len(), 3);
    assert_eq!(app.sessions.outputs_count(), Some(3));
}
