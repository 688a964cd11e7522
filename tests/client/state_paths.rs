//! Which path brings a change the app's channel could not hear. The session feed
//! (`services::live::follow_session`) has three: the live event, the listing it runs after
//! every (re)join, and the listing it runs every 3 s while its channel is not subscribed and a
//! card is unfinished. Each test drops the shared client's socket and holds it closed
//! (`RealtimeClient::debug_hold_reconnect`) while the row changes, so the write always lands
//! while no socket is open, then tells the paths apart:
//! - shown while the socket was still held closed: only the poll reads rows then;
//! - heard on the shared socket after the rejoin: the live event;
//! - otherwise, shown after the socket reopened: the rejoin's refetch.
//!
//! A witness channel on a client of its own (its socket stays open) hears each write first:
//! once it has, the server has fanned the change out, so a channel that joins later can never
//! be sent it, whichever way the reconnect races the write.

use atelier::domain::merge::Applied;
use atelier::domain::{AuthSession, GenerationStatus};
use atelier::services::live::SessionFeed;
use atelier::services::{self, Services};
use atelier::supabase::realtime::{ChangeKind, Channel, ConnectionState, RealtimeClient, ReconnectHold, Vsn};
use leptos::prelude::*;
use serde_json::json;
use wasm_bindgen_test::{console_log, wasm_bindgen_test};

use crate::common::{self, Heard, Row};
use crate::realtime::{subscribe, subscribe_on};
use crate::state_recovery::{app_as, drop_socket, errors, open_and_follow, reopened_after, status_of, wait_status};

/// The path that brought a change into the state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Path {
    /// The feed's channel delivered it.
    LiveEvent,
    /// The listing after the channel subscribed again.
    RejoinRefetch,
    /// The listing every 3 s while the channel is not subscribed.
    Poll,
}

/// Tells the paths apart (see the module doc): `shown_while_held` when the state held the
/// change while the socket was still closed, `heard_live` when the shared socket carried it.
fn path_of(shown_while_held: bool, heard_live: bool) -> Path {
    match (shown_while_held, heard_live) {
        (true, _) => Path::Poll,
        (false, true) => Path::LiveEvent,
        (false, false) => Path::RejoinRefetch,
    }
}

/// One session followed by the app, with what observes it.
struct Followed {
    app: Services,
    _feed: SessionFeed,
    /// A channel on the shared client, bound as the feed's: what the feed's channel can hear
    /// live, it hears too. It also records the shared client's connection changes.
    probe: Heard,
    _probe: Channel,
    /// A channel of the same user on a client of its own.
    witness: Heard,
    _witness: (RealtimeClient, Channel),
}

impl Followed {
    async fn start(user: &AuthSession, row: &Row) -> Followed {
        let app = app_as(user);
        let client = services::realtime::client();
        let probe = Heard::default();
        client.on_connection_change(probe.on_connection());
        let feed = open_and_follow(app, row).await;
        let probe_channel = subscribe_on(&client, &row.session_id, &probe);
        let witness = Heard::default();
        let witness_channel = subscribe(Vsn::V2, user, &row.session_id, &witness);
        probe.wait_subscribed(1).await;
        witness.wait_subscribed(1).await;
        Followed { app, _feed: feed, probe, _probe: probe_channel, witness, _witness: witness_channel }
    }

    /// Holds the shared client's reconnect, then drops its socket; returns the hold and when
    /// the drop happened.
    async fn drop_and_hold(&self) -> (ReconnectHold, f64) {
        let hold = services::realtime::client().debug_hold_reconnect();
        let dropped_at = drop_socket(&self.probe).await;
        (hold, dropped_at)
    }

    /// Whether the shared socket carried a change of row `id` since the probe had heard `from`.
    fn heard_live(&self, from: usize, id: &str) -> bool {
        self.probe.changes.borrow()[from..].iter().any(|c| c.record["id"] == id || c.old_id().as_deref() == Some(id))
    }

    fn assert_still_closed(&self) {
        let state = services::realtime::client().connection_state();
        assert_eq!(state, ConnectionState::Closed, "the hold kept the shared socket closed over the write");
    }
}

fn starred(app: Services, id: &str) -> bool {
    app.sessions.get_untracked(id).is_some_and(|g| g.starred)
}

/// Completes `row` as the service role and waits until the feed shows it: every card is then
/// finished, which turns the poll off.
async fn complete_live(app: Services, row: &Row) -> String {
    let media = format!("http://127.0.0.1/storage/v1/object/public/generated_assets/{}/image-1.png", row.id);
    common::service_update(
        &row.id,
        json!({"status": "completed", "media_url": media, "thumbnail_url": media, "width": 1024, "height": 768,
               "completed_at": "2026-12-01T00:00:00Z"}),
    )
    .await;
    wait_status(app, &row.id, GenerationStatus::Completed, 5000).await;
    assert!(app.sessions.all_untracked().iter().all(|g| g.is_terminal()), "every card is finished: no poll runs");
    media
}

#[wasm_bindgen_test]
async fn a_change_missed_while_the_socket_was_closed_is_brought_by_the_rejoins_refetch_exactly_once() {
    let user = common::sign_up().await;
    let row = common::queued_generation(&user).await;
    let followed = Followed::start(&user, &row).await;
    let app = followed.app;
    let media = complete_live(app, &row).await;

    let (hold, dropped_at) = followed.drop_and_hold().await;
    let heard_from = followed.probe.changes.borrow().len();
    // Starred in another tab of the same creator while this tab has no socket.
    common::user_star(&user, &row.id).await;
    followed.witness.wait_change(&row.id, |c| c.record["starred"] == true).await;
    followed.assert_still_closed();
    let shown_while_held = starred(app, &row.id);
    let released_at = common::now_ms();
    hold.release();

    let shown_at =
        common::wait_for("the state to show the star", 10_000, || starred(app, &row.id).then(common::now_ms)).await;
    let reopened_at =
        common::wait_for("the socket to reopen", 10_000, || reopened_after(&followed.probe, dropped_at)).await;
    let path = path_of(shown_while_held, followed.heard_live(heard_from, &row.id));
    console_log!(
        "state paths: star made while closed, brought by {path:?}: release -> Open in {:.0} ms, Open -> shown in \
         {:.0} ms",
        reopened_at - released_at,
        shown_at - reopened_at
    );
    assert_eq!(path, Path::RejoinRefetch, "the change missed while closed came by the rejoin's refetch");
    assert!(shown_at >= reopened_at, "shown only once the socket was back");

    assert_eq!(app.sessions.order.get_untracked(), vec![row.id.clone()], "the id is held once");
    assert_eq!(app.sessions.all_untracked().len(), 1);
    let held = app.sessions.get_untracked(&row.id).unwrap();
    assert_eq!(held.status, GenerationStatus::Completed);
    assert_eq!(held.media_url.as_deref(), Some(media.as_str()));
    assert_eq!((held.width, held.height), (Some(1024), Some(768)));
    let card = app.sessions.row(&row.id).expect("the card's signal").get_untracked();
    assert_eq!(card, held, "the card's own signal carries the change");
    assert_eq!(app.sessions.thumbnails.get_untracked().get(&row.session_id), Some(&media));
    assert_eq!(app.sessions.total.get_untracked(), Some(1));
    assert!(errors(app).is_empty(), "no error was shown: {:?}", errors(app));
    // A duplicate of the final row changes nothing.
    assert_eq!(app.sessions.apply(held.clone()), Applied::Ignored);
}

#[wasm_bindgen_test]
async fn while_the_socket_is_held_closed_the_poll_brings_an_unfinished_cards_result() {
    let user = common::sign_up().await;
    let row = common::queued_generation(&user).await;
    let followed = Followed::start(&user, &row).await;
    let app = followed.app;
    common::service_update(&row.id, json!({"status": "processing"})).await;
    wait_status(app, &row.id, GenerationStatus::Processing, 5000).await;

    let (hold, dropped_at) = followed.drop_and_hold().await;
    let heard_from = followed.probe.changes.borrow().len();
    let media = "http://127.0.0.1/polled.png";
    common::service_update(&row.id, json!({"status": "completed", "media_url": media, "width": 8, "height": 8})).await;
    followed.witness.wait_change(&row.id, |c| c.record["status"] == "completed").await;
    // Not released: the socket stays closed until the card shows the result.
    let shown_at = wait_status(app, &row.id, GenerationStatus::Completed, 15_000).await;
    followed.assert_still_closed();
    let shown_while_held = status_of(app, &row.id) == Some(GenerationStatus::Completed);
    let path = path_of(shown_while_held, followed.heard_live(heard_from, &row.id));
    console_log!("state paths: result written while closed, brought by {path:?} {:.0} ms after the drop", {
        shown_at - dropped_at
    });
    assert_eq!(path, Path::Poll);
    assert_eq!(app.sessions.get_untracked(&row.id).and_then(|g| g.media_url).as_deref(), Some(media));

    // Released, the channel rejoins and its refetch finds the same row: still one card.
    hold.release();
    followed.probe.wait_subscribed(2).await;
    assert_eq!(app.sessions.order.get_untracked(), vec![row.id.clone()]);
    assert_eq!(status_of(app, &row.id), Some(GenerationStatus::Completed));
    assert!(errors(app).is_empty(), "no error was shown: {:?}", errors(app));
}

#[wasm_bindgen_test]
async fn a_row_deleted_while_the_socket_was_closed_is_gone_after_the_rejoins_refetch() {
    let user = common::sign_up().await;
    let row = common::queued_generation(&user).await;
    let followed = Followed::start(&user, &row).await;
    let app = followed.app;
    complete_live(app, &row).await;
    assert_eq!(app.sessions.total.get_untracked(), Some(1));

    let (hold, dropped_at) = followed.drop_and_hold().await;
    let heard_from = followed.probe.changes.borrow().len();
    common::service_delete(&row.id).await;
    followed.witness.wait_change(&row.id, |c| c.kind == ChangeKind::Delete).await;
    followed.assert_still_closed();
    let shown_while_held = !app.sessions.order.get_untracked().contains(&row.id);
    hold.release();

    // `total` is what a listing counted: only the refetch (or the poll) sets it, never an event.
    let listed_at = common::wait_for("a listing that counts 0 rows", 10_000, || {
        (app.sessions.total.get_untracked() == Some(0)).then(common::now_ms)
    })
    .await;
    let reopened_at =
        common::wait_for("the socket to reopen", 10_000, || reopened_after(&followed.probe, dropped_at)).await;
    let path = path_of(shown_while_held, followed.heard_live(heard_from, &row.id));
    console_log!("state paths: delete made while closed, brought by {path:?} {:.0} ms after Open", {
        listed_at - reopened_at
    });
    assert_eq!(path, Path::RejoinRefetch, "the delete missed while closed came by the rejoin's refetch");
    assert!(listed_at >= reopened_at, "listed only once the socket was back");
    assert!(
        app.sessions.order.get_untracked().is_empty(),
        "a card deleted while the socket was closed stays in the grid after the rejoin's refetch found 0 rows: {:?}",
        app.sessions.order.get_untracked()
    );
    assert_eq!(app.sessions.get_untracked(&row.id), None);
    assert!(errors(app).is_empty(), "no error was shown: {:?}", errors(app));
}
