//! Realtime through the real client and the real stack: typed events on a filtered channel,
//! isolation between users, DELETE keys on an unfiltered binding, and token pushes.

use atelier::domain::{AuthSession, GenerationStatus};
use atelier::supabase::realtime::{Change, ChangeEvent, ChangeKind, Channel, ChannelStatus, RealtimeClient, Vsn};
use serde_json::{json, Value};
use wasm_bindgen_test::{console_log, wasm_bindgen_test};

use crate::common::{self, Heard, Row};

/// A client signed in as `user`, with a channel from [`subscribe_on`].
pub fn subscribe(vsn: Vsn, user: &AuthSession, session_id: &str, heard: &Heard) -> (RealtimeClient, Channel) {
    let client = RealtimeClient::with_vsn(common::init(), vsn);
    client.set_access_token(Some(user.access_token.clone()));
    client.on_connection_change(heard.on_connection());
    let channel = subscribe_on(&client, session_id, heard);
    (client, channel)
}

/// A channel on generations of session `session_id` bound as the app binds it: UPDATE and
/// INSERT filtered by session, DELETE unfiltered.
pub fn subscribe_on(client: &RealtimeClient, session_id: &str, heard: &Heard) -> Channel {
    let filter = Some(format!("session_id=eq.{session_id}"));
    client
        .channel(&common::unique("generations"))
        .on_postgres_changes(ChangeEvent::Update, "generations", filter.clone())
        .on_postgres_changes(ChangeEvent::Insert, "generations", filter)
        .on_postgres_changes(ChangeEvent::Delete, "generations", None)
        .on_change(heard.on_change())
        .on_status(heard.on_status())
        .subscribe()
}

async fn update_arrives_typed(vsn: Vsn) {
    let user = common::sign_up().await;
    let row = common::queued_generation(&user).await;
    let heard = Heard::default();
    let (_client, channel) = subscribe(vsn, &user, &row.session_id, &heard);
    heard.wait_subscribed(1).await;
    assert_eq!(channel.status(), Some(ChannelStatus::Subscribed));

    let sent = common::now_ms();
    common::service_update(&row.id, json!({"status": "processing"})).await;
    let change = heard.wait_change(&row.id, |c| c.kind == ChangeKind::Update).await;
    console_log!("{vsn:?}: UPDATE by the service role reached the channel in {:.0} ms", common::now_ms() - sent);

    assert_eq!(change.table, "generations");
    let decoded: Row = change.decode_record().expect("the record is a generation row");
    assert_eq!(decoded, Row { status: GenerationStatus::Processing, ..row.clone() });
    assert_eq!(change.old_id().as_deref(), Some(row.id.as_str()));
    let at = change.commit_timestamp.expect("a commit timestamp");
    assert!(at.ends_with('Z') && at.len() == 24, "commit_timestamp is UTC with milliseconds: {at}");
    // (The INSERT made just before the join may arrive too: the stack, like Realtime, reads
    // changes a moment after they commit.)
    let updates = heard.changes.borrow().iter().filter(|c| c.kind == ChangeKind::Update).count();
    assert_eq!(updates, 1, "one UPDATE, delivered once although two bindings share the filter");
}

#[wasm_bindgen_test]
async fn a_service_role_update_reaches_the_users_filtered_channel_typed() {
    update_arrives_typed(Vsn::V2).await;
}

#[wasm_bindgen_test]
async fn the_v1_serializer_delivers_the_same_update() {
    update_arrives_typed(Vsn::V1).await;
}

#[wasm_bindgen_test]
async fn another_users_channel_does_not_receive_it() {
    let (owner, other) = (common::sign_up().await, common::sign_up().await);
    let row = common::queued_generation(&owner).await;
    let other_row = common::queued_generation(&other).await;
    let (owner_heard, other_heard) = (Heard::default(), Heard::default());
    let (_c1, _owner_channel) = subscribe(Vsn::V2, &owner, &row.session_id, &owner_heard);
    // The other user asks for the owner's session by id: RLS must still keep the row away.
    let (_c2, _spy) = subscribe(Vsn::V2, &other, &row.session_id, &other_heard);
    owner_heard.wait_subscribed(1).await;
    other_heard.wait_subscribed(1).await;

    common::service_update(&row.id, json!({"status": "processing"})).await;
    owner_heard.wait_change(&row.id, |c| c.kind == ChangeKind::Update).await;
    // The sentinel, on the spy's own channel: its unfiltered DELETE binding hears the other
    // user delete their own row, committed after the owner's update. A channel hears in commit
    // order, so had the update leaked, it would be here before this.
    common::user_delete(&other, &other_row.id).await;
    other_heard.wait_change(&other_row.id, |c| c.kind == ChangeKind::Delete).await;
    let heard: Vec<_> = other_heard.changes.borrow().iter().map(|c| (c.kind, c.old_id(), c.record.clone())).collect();
    assert_eq!(
        heard,
        [(ChangeKind::Delete, Some(other_row.id.clone()), json!({}))],
        "another user's channel heard only the sentinel"
    );
}

#[wasm_bindgen_test]
async fn a_delete_reaches_the_unfiltered_binding_with_only_the_key() {
    let user = common::sign_up().await;
    let row = common::queued_generation(&user).await;
    let heard = Heard::default();
    let (_client, _channel) = subscribe(Vsn::V2, &user, &row.session_id, &heard);
    heard.wait_subscribed(1).await;

    common::user_delete(&user, &row.id).await;
    let change = heard.wait_change(&row.id, |c| c.kind == ChangeKind::Delete).await;
    assert_eq!(change.old_id().as_deref(), Some(row.id.as_str()));
    let keys: Vec<&String> = change.old_record.as_object().expect("an old record").keys().collect();
    assert_eq!(keys, ["id"], "a DELETE under RLS carries only the primary key");
    assert_eq!(change.record, json!({}));
}

/// The UPDATE events a channel heard, in order.
fn updates(heard: &Heard) -> Vec<Change> {
    heard.changes.borrow().iter().filter(|c| c.kind == ChangeKind::Update).cloned().collect()
}

/// What Realtime sends a subscriber who may read no column of the table: that an UPDATE
/// happened, with an error and no data.
fn error_only(change: &Change) -> bool {
    !change.errors.is_empty() && change.record == json!({}) && change.old_record == json!({})
}

/// Updates row `id` as the service role (body number `n` for the `n`th try) until the event
/// of one update satisfies `wanted`, and returns it. The server applies a pushed token when
/// it reads the push, which may be after an update already committed; every update reaches
/// the channel as one UPDATE event (with data, or error-only), in commit order.
async fn update_until(
    heard: &Heard,
    id: &str,
    body: impl Fn(usize) -> Value,
    wanted: impl Fn(&Change) -> bool,
) -> Change {
    for n in 1..=5 {
        let before = updates(heard).len();
        common::service_update(id, body(n)).await;
        let event = common::wait_for("the update's event", 5000, || updates(heard).get(before).cloned()).await;
        if wanted(&event) {
            return event;
        }
    }
    panic!("five updates in a row never gave the expected event: {:?}", updates(heard))
}

#[wasm_bindgen_test]
async fn a_pushed_token_is_what_the_channel_runs_as() {
    let user = common::sign_up().await;
    let row = common::queued_generation(&user).await;
    let heard = Heard::default();
    let (client, _channel) = subscribe(Vsn::V2, &user, &row.session_id, &heard);
    heard.wait_subscribed(1).await;

    // Signed out (the anon key pushed): anon may read no column of generations, so an update
    // reaches the channel only as an error-only event, as Realtime sends it.
    client.set_access_token(None);
    update_until(&heard, &row.id, |n| json!({"error": format!("signed out {n}")}), error_only).await;
    let from = updates(&heard).len();
    common::service_update(&row.id, json!({"status": "processing"})).await;
    // The sentinel: a second update, whose event comes after the first one's.
    common::service_update(&row.id, json!({"error": "the sentinel"})).await;
    let since = common::wait_for("the sentinel's event", 5000, || {
        let since = updates(&heard).split_off(from);
        (since.len() >= 2).then_some(since)
    })
    .await;
    assert!(since.iter().all(error_only), "the channel still ran as the user after the anon key was pushed: {since:?}");
    let leaked: Vec<_> =
        heard.changes.borrow().iter().filter(|c| c.record["status"] == "processing").cloned().collect();
    assert!(leaked.is_empty(), "the row reached a signed-out channel: {leaked:?}");

    // A fresh session's token pushed: events flow again on the same join.
    let fresh = atelier::supabase::auth::refresh_session(&user.refresh_token).await.expect("refresh works");
    client.set_access_token(Some(fresh.access_token));
    let change = update_until(
        &heard,
        &row.id,
        |n| json!({"status": "failed", "error": format!("client test {n}")}),
        |c| c.record["status"] == "failed",
    )
    .await;
    assert_eq!(change.kind, ChangeKind::Update);
    assert_eq!(heard.subscribed(), 1, "the token was pushed to the joined channel, not rejoined");
    let errors: Vec<_> =
        heard.statuses.borrow().iter().filter(|(_, s)| matches!(s, ChannelStatus::Errored(_))).cloned().collect();
    assert!(errors.is_empty(), "the channel errored: {errors:?}");
}
