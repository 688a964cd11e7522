//! Recovery: the socket is dropped under the client while the service role changes a row;
//! the client reconnects, rejoins, reports Subscribed again, and a refetch then shows what
//! the channel could not hear. Changes after the rejoin arrive live.

use atelier::domain::GenerationStatus;
use atelier::supabase::realtime::{ChangeKind, ChannelStatus, ConnectionState, Vsn};
use serde_json::json;
use wasm_bindgen_test::{console_log, wasm_bindgen_test};

use crate::common::{self, Heard};
use crate::realtime::{subscribe, subscribe_on};

#[wasm_bindgen_test]
async fn a_dropped_socket_reconnects_rejoins_and_reports_subscribed_again() {
    let user = common::sign_up().await;
    let row = common::queued_generation(&user).await;
    let heard = Heard::default();
    let (client, channel) = subscribe(Vsn::V2, &user, &row.session_id, &heard);
    // The same user on a socket that stays open: what it hears, the server has fanned out.
    let witness = Heard::default();
    let (_witness_client, _witness_channel) = subscribe(Vsn::V2, &user, &row.session_id, &witness);
    heard.wait_subscribed(1).await;
    witness.wait_subscribed(1).await;
    assert_eq!(client.connection_state(), ConnectionState::Open);

    // Held closed until the write below has been fanned out: the rejoin can only come after.
    let hold = client.debug_hold_reconnect();
    let dropped_at = common::now_ms();
    client.debug_close_socket();
    common::wait_for("the client to notice the socket is gone", 3000, || {
        (client.connection_state() == ConnectionState::Closed).then_some(())
    })
    .await;
    common::service_update(&row.id, json!({"status": "processing"})).await;
    witness.wait_change(&row.id, |c| c.record["status"] == "processing").await;
    assert_eq!(client.connection_state(), ConnectionState::Closed, "the hold kept the socket closed over the write");
    let released_at = common::now_ms();
    hold.release();

    let resubscribed_at = heard.wait_subscribed(2).await;
    let reopened_at = heard
        .connection
        .borrow()
        .iter()
        .filter(|(t, s)| *s == ConnectionState::Open && *t > dropped_at)
        .map(|(t, _)| *t)
        .next()
        .expect("the socket opened again");
    console_log!(
        "recovery: released -> socket reopened in {:.0} ms -> Subscribed in {:.0} ms",
        reopened_at - released_at,
        resubscribed_at - reopened_at
    );
    assert!(reopened_at >= released_at, "the socket stayed closed while held");

    let after_first: Vec<ChannelStatus> = heard.statuses.borrow().iter().skip(2).map(|(_, s)| s.clone()).collect();
    assert!(
        matches!(&after_first[..], [ChannelStatus::Errored(_), ChannelStatus::Joining, ChannelStatus::Subscribed]),
        "the channel went errored, joining, subscribed: {after_first:?}"
    );
    assert_eq!(channel.status(), Some(ChannelStatus::Subscribed));
    let states: Vec<ConnectionState> = heard.connection.borrow().iter().map(|(_, s)| *s).collect();
    assert!(
        states.ends_with(&[ConnectionState::Closed, ConnectionState::Connecting, ConnectionState::Open]),
        "the connection closed, reconnected and opened: {states:?}"
    );
    // What a caller does on Subscribed: refetch. The change made while closed is there.
    assert_eq!(common::fetch(&user, &row.id).await.status, GenerationStatus::Processing);

    // The rejoined channel hears the next change live. It is the sentinel: the channel hears
    // in commit order, so had the change made while closed been delivered, it would be in
    // `heard` before this one.
    common::service_update(&row.id, json!({"status": "failed", "error": "client recovery test"})).await;
    let change = heard.wait_change(&row.id, |c| c.record["status"] == "failed").await;
    assert_eq!(change.kind, ChangeKind::Update);
    let updates: Vec<String> = heard
        .changes
        .borrow()
        .iter()
        .filter(|c| c.kind == ChangeKind::Update && c.record["id"] == row.id)
        .map(|c| c.record["status"].as_str().unwrap_or_default().to_owned())
        .collect();
    assert_eq!(updates, ["failed"], "the change made while the socket was closed was never delivered live");
}

#[wasm_bindgen_test]
async fn left_and_dropped_channels_are_not_rejoined_and_hear_nothing() {
    let user = common::sign_up().await;
    let row = common::queued_generation(&user).await;
    let (left, dropped, kept) = (Heard::default(), Heard::default(), Heard::default());
    let (client, left_channel) = subscribe(Vsn::V2, &user, &row.session_id, &left);
    let dropped_channel = subscribe_on(&client, &row.session_id, &dropped);
    let _kept_channel = subscribe_on(&client, &row.session_id, &kept);
    for heard in [&left, &dropped, &kept] {
        heard.wait_subscribed(1).await;
    }

    // Changes committed just before the joins may still arrive; only what follows counts.
    let (left_before, dropped_before) = (left.changes.borrow().len(), dropped.changes.borrow().len());
    left_channel.leave();
    assert_eq!(left_channel.status(), None);
    drop(dropped_channel);
    client.debug_close_socket();
    kept.wait_subscribed(2).await;
    common::service_update(&row.id, json!({"status": "processing"})).await;
    // The sentinel: the kept channel, on the same socket, heard the change.
    kept.wait_change(&row.id, |c| c.kind == ChangeKind::Update).await;
    for (what, heard, before) in [("left", &left, left_before), ("dropped", &dropped, dropped_before)] {
        assert_eq!(heard.subscribed(), 1, "a {what} channel does not rejoin");
        assert_eq!(heard.changes.borrow().len(), before, "a {what} channel hears nothing");
    }
}
