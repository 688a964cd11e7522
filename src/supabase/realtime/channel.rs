//! Channels: the builder a caller configures, the handle that keeps a subscription alive,
//! and the client-side bookkeeping (joins, their timers, token pushes, leaving).

use std::rc::Rc;

use gloo_timers::callback::Timeout;

use super::backoff::JOIN_TIMEOUT;
use super::change::{Binding, Change, ChangeEvent};
use super::machine::{ChannelStatus, Effect, Machine};
use super::slot::Slot;
use super::socket::{millis, with, ConnectionState, Inner, Notice, Shared};

/// A channel being configured: its `postgres_changes` bindings and callbacks.
/// [`ChannelBuilder::subscribe`] joins it.
#[must_use = "a channel does nothing until subscribe() is called"]
pub struct ChannelBuilder {
    /// The client's state: holding it keeps the client (and its socket) alive, as a
    /// `RealtimeClient` handle would.
    client: Shared,
    name: String,
    bindings: Vec<Binding>,
    on_change: Option<Rc<dyn Fn(Change)>>,
    on_status: Option<Rc<dyn Fn(ChannelStatus)>>,
}

impl ChannelBuilder {
    pub(super) fn new(client: Shared, name: String) -> ChannelBuilder {
        ChannelBuilder { client, name, bindings: vec![], on_change: None, on_status: None }
    }

    /// Listens to `event` on `public.<table>`, optionally filtered (`column=op.value`, e.g.
    /// `session_id=eq.<id>`). Supabase applies no filter to DELETE events and sends only the
    /// deleted row's key: bind DELETE without a filter and drop the ids you hold.
    pub fn on_postgres_changes(mut self, event: ChangeEvent, table: impl Into<String>, filter: Option<String>) -> Self {
        self.bindings.push(Binding { event, table: table.into(), filter });
        self
    }

    /// Called with every change that matches one of the bindings.
    pub fn on_change(mut self, callback: impl Fn(Change) + 'static) -> Self {
        self.on_change = Some(Rc::new(callback));
        self
    }

    /// Called on every status change. [`ChannelStatus::Subscribed`] fires after each
    /// successful (re)join: refetch the subscribed rows then, so nothing missed while the
    /// channel was not joined stays missing.
    pub fn on_status(mut self, callback: impl Fn(ChannelStatus) + 'static) -> Self {
        self.on_status = Some(Rc::new(callback));
        self
    }

    /// Joins the channel (connecting the client if needed) and keeps it joined across
    /// failures and reconnects until the returned [`Channel`] is left or dropped. A channel
    /// of the same name on this client is replaced.
    pub fn subscribe(self) -> Channel {
        let ChannelBuilder { client, name, bindings, on_change, on_status } = self;
        let shared = client.clone();
        let mut id = 0;
        with(&Rc::downgrade(&shared), |inner| {
            let topic = format!("realtime:{name}");
            inner.channels.retain(|s| s.machine.topic() != topic);
            inner.next_channel += 1;
            id = inner.next_channel;
            let machine = Machine::new(topic, bindings);
            inner.channels.push(Slot { id, machine, on_change, on_status, last_status: None, timer: None });
            inner.join(id)
        });
        Channel { guard: Rc::new(Guard { client, id }) }
    }
}

/// A subscribed channel. Clones share it; leaving it (or dropping the last clone) sends
/// `phx_leave` and stops rejoining, so a page that no longer needs it releases it.
#[derive(Clone)]
pub struct Channel {
    guard: Rc<Guard>,
}

struct Guard {
    client: Shared,
    id: u64,
}

impl Drop for Guard {
    fn drop(&mut self) {
        let (shared, id) = (self.client.clone(), self.id);
        let slot = match shared.try_borrow_mut() {
            Ok(mut inner) => inner.remove(id),
            Err(_) => None,
        };
        match slot {
            Some(slot) => drop(slot),
            // Dropped from inside the client (a callback captured it): leave right after.
            None if shared.try_borrow_mut().is_err() => wasm_bindgen_futures::spawn_local(async move {
                let slot = shared.borrow_mut().remove(id);
                drop(slot);
            }),
            None => {}
        }
    }
}

impl Channel {
    /// Leaves the channel: `phx_leave` if joined, no more rejoins, and its callbacks are
    /// never called again. Leaving twice does nothing.
    pub fn leave(&self) {
        let slot = self.guard.client.borrow_mut().remove(self.guard.id);
        drop(slot);
    }

    /// The last status reported (None before the first join was sent, and after leaving).
    pub fn status(&self) -> Option<ChannelStatus> {
        let inner = self.guard.client.borrow();
        inner.channels.iter().find(|s| s.id == self.guard.id).and_then(|s| s.last_status.clone())
    }
}

impl Inner {
    /// Sends the join of channel `id` if the socket is open (connecting it otherwise; the
    /// open joins every waiting channel).
    pub(super) fn join(&mut self, id: u64) -> Vec<Notice> {
        if self.state != ConnectionState::Open {
            return self.connect();
        }
        let (join_ref, token) = (self.next_ref(), self.token());
        let Some(slot) = self.channels.iter_mut().find(|s| s.id == id) else { return vec![] };
        let (frame, effect) = slot.machine.join(join_ref.clone(), &token);
        let me = self.me.clone();
        slot.timer = Some(Timeout::new(millis(JOIN_TIMEOUT), move || {
            with(&me, |inner| {
                let effects = match inner.channels.iter_mut().find(|s| s.id == id) {
                    Some(slot) => slot.machine.join_timed_out(&join_ref),
                    None => return vec![],
                };
                inner.apply(id, effects)
            })
        }));
        self.send(&frame);
        self.apply(id, vec![effect])
    }

    /// Carries out what channel `id`'s machine asked for.
    pub(super) fn apply(&mut self, id: u64, effects: Vec<Effect>) -> Vec<Notice> {
        let me = self.me.clone();
        let Some(slot) = self.channels.iter_mut().find(|s| s.id == id) else { return vec![] };
        let mut notices = vec![];
        for effect in effects {
            match effect {
                Effect::Status(status) => {
                    if status == ChannelStatus::Subscribed {
                        slot.timer = None;
                    }
                    slot.last_status = Some(status.clone());
                    notices.extend(slot.on_status.clone().map(|cb| Notice::Status(cb, status)));
                }
                Effect::Change(change) => notices.extend(slot.on_change.clone().map(|cb| Notice::Change(cb, change))),
                Effect::Rejoin(delay) => {
                    let me = me.clone();
                    slot.timer = Some(Timeout::new(millis(delay), move || with(&me, |inner| inner.join(id))));
                }
            }
        }
        notices
    }

    /// Forgets channel `id`, sending its `phx_leave` when the server has it. The slot is
    /// returned so the caller drops its callbacks after releasing the state.
    pub(super) fn remove(&mut self, id: u64) -> Option<Slot> {
        let index = self.channels.iter().position(|s| s.id == id)?;
        let mut slot = self.channels.remove(index);
        let reference = self.next_ref();
        if let Some(frame) = slot.machine.leave(reference) {
            self.send(&frame);
        }
        slot.timer = None;
        Some(slot)
    }

    /// Pushes the token to every joined channel; channels waiting to rejoin after a failure
    /// (an expired token, say) try again at once.
    pub(super) fn push_token(&mut self) -> Vec<Notice> {
        let token = self.token();
        let mut frames = vec![];
        let mut waiting = vec![];
        for i in 0..self.channels.len() {
            let reference = self.next_ref();
            let slot = &self.channels[i];
            match slot.machine.access_token(reference, &token) {
                Some(frame) => frames.push(frame),
                None if slot.machine.is_idle() => waiting.push(slot.id),
                None => {}
            }
        }
        for frame in &frames {
            self.send(frame);
        }
        waiting.into_iter().flat_map(|id| self.join(id)).collect()
    }
}
