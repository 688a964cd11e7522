//! Token lifetimes: the server shuts a channel when its token expires; a token pushed in time
//! keeps it, and a fresh token after the shutdown brings it back.

use atelier::supabase::realtime::{ChangeKind, ChannelStatus, Vsn};
use serde_json::json;
use wasm_bindgen_test::{console_log, wasm_bindgen_test};

use crate::common::{self, Heard};
use crate::jwt::expiring_in;
use crate::realtime::subscribe_on;

fn errors(heard: &Heard) -> Vec<String> {
    let statuses = heard.statuses.borrow();
    statuses
        .iter()
        .filter_map(|(_, s)| if let ChannelStatus::Errored(e) = s { Some(e.clone()) } else { None })
        .collect()
}

#[wasm_bindgen_test]
async fn a_token_pushed_before_expiry_keeps_the_channel_past_it() {
    let user = common::sign_up().await;
    let row = common::queued_generation(&user).await;
    let short = expiring_in(&user.access_token, 3).await;
    let expires_at = common::now_ms() + 3000.0;
    let heard = Heard::default();
    let client = atelier::supabase::realtime::RealtimeClient::with_vsn(common::init(), Vsn::V2);
    client.set_access_token(Some(short));
    let _channel = subscribe_on(&client, &row.session_id, &heard);
    heard.wait_subscribed(1).await;

    client.set_access_token(Some(user.access_token.clone()));
    // Past the first token's expiry, when the server would have shut the channel.
    common::sleep_ms((expires_at - common::now_ms() + 1500.0).max(0.0) as u32).await;
    assert!(errors(&heard).is_empty(), "the channel was shut: {:?}", errors(&heard));
    common::service_update(&row.id, json!({"status": "processing"})).await;
    heard.wait_change(&row.id, |c| c.kind == ChangeKind::Update).await;
    assert_eq!(heard.subscribed(), 1, "the same join carried on");
}

#[wasm_bindgen_test]
async fn an_expired_token_errs_the_channel_and_a_fresh_one_rejoins_it() {
    let user = common::sign_up().await;
    let row = common::queued_generation(&user).await;
    let heard = Heard::default();
    let client = atelier::supabase::realtime::RealtimeClient::with_vsn(common::init(), Vsn::V2);
    client.set_access_token(Some(expiring_in(&user.access_token, 2).await));
    let _channel = subscribe_on(&client, &row.session_id, &heard);
    heard.wait_subscribed(1).await;

    let expired = common::wait_for("the server to shut the channel", 5000, || {
        errors(&heard).into_iter().find(|e| e.contains("expired"))
    })
    .await;
    console_log!("tokens: the server said {expired:?}");
    let refreshed_at = common::now_ms();
    client.set_access_token(Some(user.access_token.clone()));
    let back_at = heard.wait_subscribed(2).await;
    console_log!("tokens: fresh token -> Subscribed again in {:.0} ms", back_at - refreshed_at);
    common::service_update(&row.id, json!({"status": "processing"})).await;
    heard.wait_change(&row.id, |c| c.kind == ChangeKind::Update).await;
}
