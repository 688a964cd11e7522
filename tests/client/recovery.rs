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
    heard.wait_subscribed(1).await;
    assert_eq!(client.connection_state(), ConnectionState::Open);

    let dropped_at = common::now_ms();
    client.debug_close_socket();
    common::wait_for("the client to notice the socket is gone", 3000, || {
        (client.connection_state() == ConnectionState::Closed).then_some(())
    })
    .await;
    // Written while no socket is open: the channel cannot hear it.
    common::service_update(&row.id, json!({"status": "processing"})).await;
    let missed_while_closed = client.connection_state() == ConnectionState::Closed;

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
        "recovery: socket reopened -> Subscribed in {:.0} ms; dropped -> Subscribed in {:.0} ms \
         (row changed while closed: {missed_while_closed})",
        resubscribed_at - reopened_at,
        resubscribed_at - dropped_at
    );

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
    if missed_while_closed {
        let heard_it = heard.changes.borrow().iter().any(|c| c.record["status"] == "processing");
        assert!(!heard_it, "a change made while the socket was closed cannot have been delivered live");
    }

    // And the rejoined channel hears new changes live.
    common::service_update(&row.id, json!({"status": "failed", "error": "client recovery test"})).await;
    let change = heard.wait_change(&row.id, |c| c.record["status"] == "failed").await;
    assert_eq!(change.kind, ChangeKind::Update);
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
    kept.wait_change(&row.id, |c| c.kind == ChangeKind::Update).await;
    common::sleep_ms(200).await;
    for (what, heard, before) in [("left", &left, left_before), ("dropped", &dropped, dropped_before)] {
        assert_eq!(heard.subscribed(), 1, "a {what} channel does not rejoin");
        assert_eq!(heard.changes.borrow().len(), before, "a {what} channel hears nothing");
    }
}
