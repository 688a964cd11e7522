//! One channel's side of the protocol, without a socket or a clock: which frames it sends,
//! how it reads what the server answers, and what the caller should be told. The socket
//! (`socket.rs`) feeds it frames and timer expiries and carries out the [`Effect`]s.

use std::time::Duration;

use serde_json::{json, Value};

use super::backoff::reconnect_delay;
use super::change::{binding_ids, join_payload, routes_to, Binding, Change};
use super::phoenix::Frame;

/// Where a channel stands, as its `on_status` callback hears it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChannelStatus {
    /// A join was sent (first time, or again after a failure or a reconnect).
    Joining,
    /// Joined and subscribed: changes flow from now on. Fires after every successful
    /// (re)join, so the caller can refetch what it may have missed while not subscribed.
    Subscribed,
    /// The join failed, the server reported an error, or the connection was lost; the
    /// client tries again by itself (the text says why, for a person).
    Errored(String),
    /// The server closed the channel; the client rejoins by itself.
    Closed,
}

/// What the socket must do after the machine took an input.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Tell the caller.
    Status(ChannelStatus),
    /// Hand a change to the caller.
    Change(Change),
    /// Join again after this delay (a rejoin is already due: replace any timer).
    Rejoin(Duration),
}

#[derive(Debug, Clone, PartialEq)]
enum Phase {
    /// Not on the server: not yet joined, waiting to rejoin, or the socket is down.
    Idle,
    /// `phx_join` sent with `join_ref`; `ids` once the reply said ok (then the system
    /// "Subscribed to PostgreSQL" message completes the join).
    Joining {
        join_ref: String,
        ids: Option<Vec<u64>>,
    },
    Joined {
        join_ref: String,
        ids: Vec<u64>,
    },
    /// Left for good.
    Left,
}

/// The protocol state of one channel.
#[derive(Debug, Clone)]
pub struct Machine {
    topic: String,
    bindings: Vec<Binding>,
    phase: Phase,
    /// Failures since the last successful join, for the rejoin delay.
    failures: u32,
}

impl Machine {
    /// A channel on `topic` (`realtime:<name>`) with these bindings, not joined yet.
    pub fn new(topic: String, bindings: Vec<Binding>) -> Machine {
        Machine { topic, bindings, phase: Phase::Idle, failures: 0 }
    }

    /// The channel's topic.
    pub fn topic(&self) -> &str {
        &self.topic
    }

    /// Whether the channel is off the server and waiting for a join.
    pub fn is_idle(&self) -> bool {
        self.phase == Phase::Idle
    }

    /// The ref of the join in progress or done, if any.
    pub fn join_ref(&self) -> Option<&str> {
        match &self.phase {
            Phase::Joining { join_ref, .. } | Phase::Joined { join_ref, .. } => Some(join_ref),
            _ => None,
        }
    }

    /// Starts a join with ref `join_ref`, running as `access_token`; returns the frame to send.
    pub fn join(&mut self, join_ref: String, access_token: &str) -> (Frame, Effect) {
        let payload = join_payload(&self.bindings, access_token);
        let frame = Frame::new(&self.topic, "phx_join", payload, join_ref.clone(), Some(join_ref.clone()));
        self.phase = Phase::Joining { join_ref, ids: None };
        (frame, Effect::Status(ChannelStatus::Joining))
    }

    /// The `access_token` push for a channel that is on the server (None otherwise).
    pub fn access_token(&self, reference: String, access_token: &str) -> Option<Frame> {
        let join_ref = self.join_ref()?.to_owned();
        Some(Frame::new(&self.topic, "access_token", json!({"access_token": access_token}), reference, Some(join_ref)))
    }

    /// Leaves for good; returns the `phx_leave` to send when the server has the channel.
    pub fn leave(&mut self, reference: String) -> Option<Frame> {
        let join_ref = self.join_ref().map(str::to_owned);
        self.phase = Phase::Left;
        join_ref.map(|j| Frame::new(&self.topic, "phx_leave", json!({}), reference, Some(j)))
    }

    /// The socket closed: the server forgot the channel; it joins again on reconnect.
    pub fn disconnected(&mut self) -> Vec<Effect> {
        match self.phase {
            Phase::Joining { .. } | Phase::Joined { .. } => {
                self.phase = Phase::Idle;
                vec![Effect::Status(ChannelStatus::Errored("The realtime connection was lost.".into()))]
            }
            _ => vec![],
        }
    }

    /// The join timer of `join_ref` fired.
    pub fn join_timed_out(&mut self, join_ref: &str) -> Vec<Effect> {
        match &self.phase {
            Phase::Joining { join_ref: j, .. } if j == join_ref => self.fail("Joining the realtime channel timed out."),
            _ => vec![],
        }
    }

    /// Reads one frame the server sent on this channel's topic.
    pub fn on_frame(&mut self, f: &Frame) -> Vec<Effect> {
        let Some(current) = self.join_ref().map(str::to_owned) else { return vec![] };
        // V2 frames name their join: anything from an earlier join is stale.
        if f.join_ref.as_deref().is_some_and(|j| j != current) {
            return vec![];
        }
        match f.event.as_str() {
            "phx_reply" if f.reference.as_deref() == Some(current.as_str()) => self.join_reply(f),
            "system" => self.system(&f.payload),
            "postgres_changes" => self.change(&f.payload),
            "phx_error" => self.fail("The realtime channel failed on the server."),
            "phx_close" => {
                let delay = self.backoff();
                vec![Effect::Status(ChannelStatus::Closed), Effect::Rejoin(delay)]
            }
            _ => vec![],
        }
    }

    fn join_reply(&mut self, f: &Frame) -> Vec<Effect> {
        let Phase::Joining { join_ref, ids: None } = &self.phase else { return vec![] };
        match f.reply() {
            Some(("ok", response)) => match binding_ids(&self.bindings, response) {
                Ok(ids) if self.bindings.is_empty() => self.joined(join_ref.clone(), ids),
                Ok(ids) => {
                    self.phase = Phase::Joining { join_ref: join_ref.clone(), ids: Some(ids) };
                    vec![]
                }
                Err(mismatch) => self.fail(&mismatch),
            },
            Some((_, response)) => {
                let reason = response.get("reason").and_then(Value::as_str).unwrap_or("The join was refused.");
                self.fail(reason)
            }
            None => vec![],
        }
    }

    fn system(&mut self, payload: &Value) -> Vec<Effect> {
        let text = |k: &str| payload.get(k).and_then(Value::as_str).unwrap_or_default();
        if text("status") != "ok" {
            let message = match text("message") {
                "" => "The realtime server reported an error.",
                m => m,
            };
            return self.fail(message);
        }
        match &self.phase {
            Phase::Joining { join_ref, ids: Some(ids) } if text("extension") == "postgres_changes" => {
                self.joined(join_ref.clone(), ids.clone())
            }
            _ => vec![],
        }
    }

    fn change(&self, payload: &Value) -> Vec<Effect> {
        let ids = match &self.phase {
            Phase::Joining { ids: Some(ids), .. } | Phase::Joined { ids, .. } => ids,
            _ => return vec![],
        };
        match Change::from_payload(payload) {
            Some((matched, change)) if routes_to(&self.bindings, ids, &matched, change.kind) => {
                vec![Effect::Change(change)]
            }
            _ => vec![],
        }
    }

    fn joined(&mut self, join_ref: String, ids: Vec<u64>) -> Vec<Effect> {
        self.phase = Phase::Joined { join_ref, ids };
        self.failures = 0;
        vec![Effect::Status(ChannelStatus::Subscribed)]
    }

    fn fail(&mut self, reason: &str) -> Vec<Effect> {
        let delay = self.backoff();
        vec![Effect::Status(ChannelStatus::Errored(reason.to_owned())), Effect::Rejoin(delay)]
    }

    /// Goes idle and counts a failure; returns how long to wait before joining again.
    fn backoff(&mut self) -> Duration {
        self.phase = Phase::Idle;
        self.failures = self.failures.saturating_add(1);
        reconnect_delay(self.failures - 1)
    }
}

#[cfg(test)]
#[path = "machine_tests.rs"]
mod tests;
