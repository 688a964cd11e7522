//! Realtime (`/realtime/v1/websocket`): Phoenix channels with `postgres_changes` over a
//! browser WebSocket (https://supabase.com/docs/guides/realtime/protocol).
//!
//! ```ignore
//! let client = RealtimeClient::new(config::get());
//! client.set_access_token(Some(session.access_token.clone()));
//! let channel = client
//!     .channel(&format!("session:{id}"))
//!     .on_postgres_changes(ChangeEvent::Update, "generations", Some(format!("session_id=eq.{id}")))
//!     .on_postgres_changes(ChangeEvent::Insert, "generations", Some(format!("session_id=eq.{id}")))
//!     .on_postgres_changes(ChangeEvent::Delete, "generations", None)
//!     .on_change(|change| { /* change.decode_record::<Generation>() or change.old_id() */ })
//!     .on_status(|status| { /* refetch on ChannelStatus::Subscribed */ })
//!     .subscribe();
//! ```
//!
//! The pure parts (framing, schedule, bindings, the channel machine) compile and are tested
//! natively; `socket` and `channel` drive them with web-sys and only run in a browser.

mod backoff;
mod change;
mod channel;
mod machine;
mod phoenix;
mod slot;
mod socket;
mod url;

pub use backoff::{reconnect_delay, HEARTBEAT_INTERVAL, JOIN_TIMEOUT};
pub use change::{Change, ChangeEvent, ChangeKind};
pub use channel::{Channel, ChannelBuilder};
pub use machine::ChannelStatus;
pub use phoenix::Vsn;
pub use socket::ConnectionState;

use std::cell::RefCell;
use std::rc::{Rc, Weak};

use super::Config;
use socket::{with, Inner, Shared};

/// The Realtime connection of one app: a cheap-to-clone handle (single-threaded, like the
/// browser). The socket opens with the first subscribed channel, reconnects after a loss
/// (1, 2, 5, 10 s, then every 10 s) and rejoins every channel not left. Dropping the last
/// handle (channels hold one) closes it.
#[derive(Clone)]
pub struct RealtimeClient {
    shared: Shared,
}

impl RealtimeClient {
    /// A client for the configured project, speaking Realtime's V2 serializer (`vsn=2.0.0`,
    /// supabase-js' default).
    pub fn new(config: &Config) -> RealtimeClient {
        RealtimeClient::with_vsn(config, Vsn::V2)
    }

    /// A client speaking the serializer `vsn` (`1.0.0` objects or `2.0.0` arrays).
    pub fn with_vsn(config: &Config, vsn: Vsn) -> RealtimeClient {
        let endpoint = url::endpoint(&config.supabase_url, &config.anon_key, vsn);
        RealtimeClient { shared: Inner::new_shared(endpoint, config.anon_key.clone(), vsn) }
    }

    /// Starts configuring the channel `name` (topic `realtime:<name>`).
    pub fn channel(&self, name: &str) -> ChannelBuilder {
        ChannelBuilder::new(self.shared.clone(), name.to_owned())
    }

    /// Sets the user token channels run as (None: the anon key). Future joins carry it, and
    /// when it changes it is pushed to every joined channel (`access_token`), so RLS keeps
    /// seeing the user after a refresh; channels the server closed for an expired token
    /// rejoin with it at once.
    pub fn set_access_token(&self, token: Option<String>) {
        with(&Rc::downgrade(&self.shared), |inner| {
            if inner.access_token == token {
                return vec![];
            }
            inner.access_token = token;
            inner.push_token()
        });
    }

    /// Whether the socket is connecting, open or closed.
    pub fn connection_state(&self) -> ConnectionState {
        self.shared.borrow().state
    }

    /// Called on every change of [`RealtimeClient::connection_state`].
    pub fn on_connection_change(&self, callback: impl Fn(ConnectionState) + 'static) {
        self.shared.borrow_mut().watchers.push(Rc::new(callback));
    }

    /// For tests: closes the WebSocket as a network failure would, so the client goes through
    /// its real path (channels errored, reconnect with backoff, rejoin, `Subscribed` again).
    pub fn debug_close_socket(&self) {
        self.shared.borrow().close_socket();
    }

    /// For tests: holds the socket closed until the returned [`ReconnectHold`] is released
    /// (or dropped): the reconnect after a [`RealtimeClient::debug_close_socket`] waits, so a
    /// test can commit a write while no socket is open, then let the client reconnect and
    /// rejoin. The browser tests in `tests/client` use it (not dead code: keep it, as
    /// `debug_close_socket`).
    pub fn debug_hold_reconnect(&self) -> ReconnectHold {
        self.shared.borrow_mut().hold();
        ReconnectHold { shared: Rc::downgrade(&self.shared) }
    }
}

/// A hold on a client's (re)connect, from [`RealtimeClient::debug_hold_reconnect`]; the
/// connect that was due runs when it is released or dropped.
#[must_use = "dropping the hold releases the reconnect at once"]
pub struct ReconnectHold {
    shared: Weak<RefCell<Inner>>,
}

impl ReconnectHold {
    /// Lets the client connect again (at once if a reconnect was due while held).
    pub fn release(self) {}
}

impl Drop for ReconnectHold {
    fn drop(&mut self) {
        with(&self.shared, Inner::release);
    }
}
