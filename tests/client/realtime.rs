//! Realtime through the real client and the real stack: typed events on a filtered channel,
//! isolation between users, DELETE keys on an unfiltered binding, and token pushes.

use atelier::domain::{AuthSession, GenerationStatus};
use atelier::supabase::realtime::{ChangeEvent, ChangeKind, Channel, ChannelStatus, RealtimeClient, Vsn};
use serde_json::json;
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
    let (other_client, _spy) = subscribe(Vsn::V2, &other, &row.session_id, &other_heard);
    let own_heard = Heard::default();
    let filter = Some(format!("session_id=eq.{}", other_row.session_id));
    let _own = other_client
        .channel(&common::unique("own"))
        .on_postgres_changes(ChangeEvent::Update, "generations", filter)
        .on_change(own_heard.on_change())
        .on_status(own_heard.on_status())
        .subscribe();
    owner_heard.wait_subscribed(1).await;
    other_heard.wait_subscribed(1).await;
    own_heard.wait_subscribed(1).await;

    common::service_update(&row.id, json!({"status": "processing"})).await;
    owner_heard.wait_change(&row.id, |c| c.kind == ChangeKind::Update).await;
    // The other user's own row, changed after, arrives: their socket is live and in order.
    common::service_update(&other_row.id, json!({"status": "processing"})).await;
    own_heard.wait_change(&other_row.id, |c| c.kind == ChangeKind::Update).await;
    common::sleep_ms(300).await;
    let leaked: Vec<_> = other_heard.changes.borrow().iter().map(|c| c.record.clone()).collect();
    assert!(leaked.is_empty(), "another user's channel received {leaked:?}");
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

#[wasm_bindgen_test]
async fn a_pushed_token_is_what_the_channel_runs_as() {
    let user = common::sign_up().await;
    let row = common::queued_generation(&user).await;
    let heard = Heard::default();
    let (client, _channel) = subscribe(Vsn::V2, &user, &row.session_id, &heard);
    heard.wait_subscribed(1).await;

    // Signed out (the anon key pushed): RLS hides the row, so the update must not arrive.
    client.set_access_token(None);
    common::sleep_ms(200).await;
    common::service_update(&row.id, json!({"status": "processing"})).await;
    common::sleep_ms(800).await;
    // (The stack may still say that something changed, with errors and no data, as Realtime does.)
    let leaked: Vec<_> = heard
        .changes
        .borrow()
        .iter()
        .filter(|c| c.kind == ChangeKind::Update && c.record["id"] == row.id)
        .cloned()
        .collect();
    assert!(leaked.is_empty(), "the channel still ran as the user after the anon key was pushed: {leaked:?}");

    // A fresh session's token pushed: events flow again on the same join.
    let fresh = atelier::supabase::auth::refresh_session(&user.refresh_token).await.expect("refresh works");
    client.set_access_token(Some(fresh.access_token));
    common::sleep_ms(200).await;
    common::service_update(&row.id, json!({"status": "failed", "error": "client test"})).await;
    let change = heard.wait_change(&row.id, |c| c.record["status"] == "failed").await;
    assert_eq!(change.kind, ChangeKind::Update);
    assert_eq!(heard.subscribed(), 1, "the token was pushed to the joined channel, not rejoined");
    let errors: Vec<_> =
        heard.statuses.borrow().iter().filter(|(_, s)| matches!(s, ChannelStatus::Errored(_))).cloned().collect();
    assert!(errors.is_empty(), "the channel errored: {errors:?}");
}
