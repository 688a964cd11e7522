//! The WebSocket under every channel: connect, heartbeat, reconnect with backoff, and the
//! dispatch of incoming frames to the channels (`channel.rs` holds the channel side).
//!
//! Everything lives in one `RefCell` behind the client handle; browser callbacks and timers
//! hold only a `Weak` to it, so dropping the last handle closes the socket and stops every
//! timer. Caller callbacks run after the state is released ([`Notice`]), so they may call
//! the client again.

use std::cell::RefCell;
use std::rc::{Rc, Weak};

use gloo_timers::callback::{Interval, Timeout};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{BinaryType, CloseEvent, MessageEvent, WebSocket};

use super::backoff::{reconnect_delay, Beat, Heartbeat, HEARTBEAT_INTERVAL};
use super::phoenix::{decode, encode, Frame, Vsn, PHOENIX_TOPIC};
use super::slot::Slot;
use super::{Change, ChannelStatus};

/// Whether the socket is up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConnectionState {
    /// Opening the WebSocket.
    Connecting,
    /// Open: channels join and changes flow.
    Open,
    /// Not connected (never yet, or lost and waiting to reconnect).
    Closed,
}

/// A caller callback to run once the client state is released.
pub(super) enum Notice {
    Status(Rc<dyn Fn(ChannelStatus)>, ChannelStatus),
    Change(Rc<dyn Fn(Change)>, Change),
    Connection(Rc<dyn Fn(ConnectionState)>, ConnectionState),
}

pub(super) type Shared = Rc<RefCell<Inner>>;

/// Runs `f` on the client state if the client still exists, then the callbacks it queued.
pub(super) fn with(weak: &Weak<RefCell<Inner>>, f: impl FnOnce(&mut Inner) -> Vec<Notice>) {
    let Some(shared) = weak.upgrade() else { return };
    let notices = f(&mut shared.borrow_mut());
    for notice in notices {
        match notice {
            Notice::Status(callback, status) => callback(status),
            Notice::Change(callback, change) => callback(change),
            Notice::Connection(callback, state) => callback(state),
        }
    }
}

pub(super) fn millis(d: std::time::Duration) -> u32 {
    d.as_millis().min(u32::MAX as u128) as u32
}

/// The `onopen`, `onmessage` and `onclose` handlers of one socket.
type Handlers = (Closure<dyn FnMut()>, Closure<dyn FnMut(MessageEvent)>, Closure<dyn FnMut(CloseEvent)>);

/// An open (or opening) WebSocket and the handlers attached to it.
struct Live {
    ws: WebSocket,
    _handlers: Handlers,
}

impl Drop for Live {
    fn drop(&mut self) {
        self.ws.set_onopen(None);
        self.ws.set_onmessage(None);
        self.ws.set_onclose(None);
        let _ = self.ws.close();
    }
}

/// The client state.
pub(super) struct Inner {
    pub(super) me: Weak<RefCell<Inner>>,
    pub(super) endpoint: String,
    pub(super) anon_key: String,
    pub(super) vsn: Vsn,
    pub(super) access_token: Option<String>,
    pub(super) channels: Vec<Slot>,
    pub(super) next_channel: u64,
    socket: Option<Live>,
    /// Which socket the browser callbacks belong to: those of an older one are ignored.
    generation: u64,
    pub(super) state: ConnectionState,
    /// Failed connects since the last open, for the reconnect delay.
    attempts: u32,
    next_ref: u64,
    heartbeat: Heartbeat,
    heartbeat_timer: Option<Interval>,
    reconnect_timer: Option<Timeout>,
    /// Open [`super::ReconnectHold`]s: while any is held, no socket is opened.
    holds: u32,
    /// A connect was asked for while held: it runs when the last hold is released.
    connect_held: bool,
    pub(super) watchers: Vec<Rc<dyn Fn(ConnectionState)>>,
}

impl Inner {
    /// New client state, not connected.
    pub(super) fn new_shared(endpoint: String, anon_key: String, vsn: Vsn) -> Shared {
        Rc::new_cyclic(|me| {
            RefCell::new(Inner {
                me: me.clone(),
                endpoint,
                anon_key,
                vsn,
                access_token: None,
                channels: vec![],
                next_channel: 0,
                socket: None,
                generation: 0,
                state: ConnectionState::Closed,
                attempts: 0,
                next_ref: 0,
                heartbeat: Heartbeat::default(),
                heartbeat_timer: None,
                reconnect_timer: None,
                holds: 0,
                connect_held: false,
                watchers: vec![],
            })
        })
    }

    /// A fresh message ref.
    pub(super) fn next_ref(&mut self) -> String {
        self.next_ref += 1;
        self.next_ref.to_string()
    }

    /// The token joins run as: the user's, else the anon key.
    pub(super) fn token(&self) -> String {
        self.access_token.clone().unwrap_or_else(|| self.anon_key.clone())
    }

    /// Sends a frame if the socket is open (otherwise it would be stale by the time it is).
    pub(super) fn send(&self, frame: &Frame) {
        if let (ConnectionState::Open, Some(live)) = (self.state, &self.socket) {
            let _ = live.ws.send_with_str(&encode(self.vsn, frame));
        }
    }

    fn set_state(&mut self, state: ConnectionState) -> Vec<Notice> {
        if self.state == state {
            return vec![];
        }
        self.state = state;
        self.watchers.iter().map(|w| Notice::Connection(w.clone(), state)).collect()
    }

    /// Opens the socket unless it is open or opening.
    pub(super) fn connect(&mut self) -> Vec<Notice> {
        if self.socket.is_some() {
            return vec![];
        }
        self.reconnect_timer = None;
        if self.holds > 0 {
            self.connect_held = true;
            return vec![];
        }
        self.generation += 1;
        match WebSocket::new(&self.endpoint) {
            Ok(ws) => {
                ws.set_binary_type(BinaryType::Arraybuffer);
                let handlers = self.attach(&ws);
                self.socket = Some(Live { ws, _handlers: handlers });
                self.set_state(ConnectionState::Connecting)
            }
            Err(_) => self.schedule_reconnect(),
        }
    }

    fn attach(&self, ws: &WebSocket) -> Handlers {
        let (me, generation) = (self.me.clone(), self.generation);
        let on_open = Closure::<dyn FnMut()>::new(move || with(&me, |inner| inner.opened(generation)));
        let me = self.me.clone();
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            // Binary frames are V2 user broadcasts, which no channel here asks for.
            if let Some(text) = event.data().as_string() {
                with(&me, |inner| inner.received(generation, &text));
            }
        });
        let me = self.me.clone();
        let on_close = Closure::<dyn FnMut(CloseEvent)>::new(move |_: CloseEvent| {
            with(&me, |inner| if inner.generation == generation { inner.lost() } else { vec![] })
        });
        ws.set_onopen(Some(on_open.as_ref().unchecked_ref()));
        ws.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        ws.set_onclose(Some(on_close.as_ref().unchecked_ref()));
        (on_open, on_message, on_close)
    }

    fn opened(&mut self, generation: u64) -> Vec<Notice> {
        if generation != self.generation {
            return vec![];
        }
        self.attempts = 0;
        self.heartbeat = Heartbeat::default();
        let me = self.me.clone();
        self.heartbeat_timer = Some(Interval::new(millis(HEARTBEAT_INTERVAL), move || with(&me, |inner| inner.beat())));
        let mut notices = self.set_state(ConnectionState::Open);
        let waiting: Vec<u64> = self.channels.iter().filter(|s| s.machine.is_idle()).map(|s| s.id).collect();
        for id in waiting {
            notices.extend(self.join(id));
        }
        notices
    }

    fn received(&mut self, generation: u64, text: &str) -> Vec<Notice> {
        if generation != self.generation {
            return vec![];
        }
        // A frame that cannot be read is dropped: the protocol has no way to answer it.
        let Ok(frame) = decode(self.vsn, text) else { return vec![] };
        if frame.topic == PHOENIX_TOPIC {
            self.heartbeat.replied(frame.reference.as_deref());
            return vec![];
        }
        let Some(slot) = self.channels.iter_mut().find(|s| s.machine.topic() == frame.topic) else {
            return vec![];
        };
        let id = slot.id;
        let effects = slot.machine.on_frame(&frame);
        self.apply(id, effects)
    }

    fn beat(&mut self) -> Vec<Notice> {
        let reference = self.next_ref();
        match self.heartbeat.tick(reference.clone()) {
            Beat::Send(reference) => {
                self.send(&Frame::heartbeat(reference));
                vec![]
            }
            Beat::TimedOut => self.lost(),
        }
    }

    /// The socket is gone (closed by the server or the network, or silent): every channel
    /// goes back to waiting, and a reconnect is scheduled.
    fn lost(&mut self) -> Vec<Notice> {
        if let Some(live) = self.socket.take() {
            // Dropped after this callback returns: its handlers may be the ones running.
            wasm_bindgen_futures::spawn_local(async move { drop(live) });
        }
        self.heartbeat_timer = None;
        let mut notices = self.set_state(ConnectionState::Closed);
        let ids: Vec<u64> = self.channels.iter().map(|s| s.id).collect();
        for id in ids {
            let effects = match self.channels.iter_mut().find(|s| s.id == id) {
                Some(slot) => {
                    slot.timer = None;
                    slot.machine.disconnected()
                }
                None => continue,
            };
            notices.extend(self.apply(id, effects));
        }
        // With no channel left there is nothing to reconnect for; the next subscribe connects.
        if !self.channels.is_empty() {
            notices.extend(self.schedule_reconnect());
        }
        notices
    }

    fn schedule_reconnect(&mut self) -> Vec<Notice> {
        let delay = reconnect_delay(self.attempts);
        self.attempts = self.attempts.saturating_add(1);
        let me = self.me.clone();
        self.reconnect_timer = Some(Timeout::new(millis(delay), move || with(&me, |inner| inner.connect())));
        vec![]
    }

    /// Holds every connect (the reconnect after a loss included) until [`Inner::release`].
    pub(super) fn hold(&mut self) {
        self.holds += 1;
    }

    /// Releases one hold; when none is left, the connect that was held runs now.
    pub(super) fn release(&mut self) -> Vec<Notice> {
        self.holds = self.holds.saturating_sub(1);
        if self.holds == 0 && std::mem::take(&mut self.connect_held) {
            self.connect()
        } else {
            vec![]
        }
    }

    /// Closes the WebSocket the way a network failure would end it, so the client goes
    /// through its real reconnect path.
    pub(super) fn close_socket(&self) {
        if let Some(live) = &self.socket {
            let _ = live.ws.close();
        }
    }
}
