//! The client's clock: when to reconnect or rejoin after a failure, how often to beat, how
//! long a join may take, and the heartbeat bookkeeping that detects a silent socket.

use std::time::Duration;

/// How often the socket sends a heartbeat (realtime-js' default).
pub const HEARTBEAT_INTERVAL: Duration = Duration::from_secs(25);

/// How long a join may wait for its reply (and the "Subscribed to PostgreSQL" message) before
/// it is tried again.
pub const JOIN_TIMEOUT: Duration = Duration::from_secs(10);

/// The wait before reconnect (or rejoin) number `attempt`, counted from 0 after the last
/// success: 1, 2, 5, 10 seconds, then every 10 seconds.
pub fn reconnect_delay(attempt: u32) -> Duration {
    const SCHEDULE: [u64; 4] = [1, 2, 5, 10];
    Duration::from_secs(SCHEDULE[(attempt as usize).min(SCHEDULE.len() - 1)])
}

/// What to do when the heartbeat timer fires.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Beat {
    /// Send a heartbeat with this ref.
    Send(String),
    /// The previous heartbeat got no reply: the socket is dead, close it and reconnect.
    TimedOut,
}

/// Heartbeat bookkeeping for one open socket: the ref of the beat still waiting for a reply.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Heartbeat {
    pending: Option<String>,
}

impl Heartbeat {
    /// The timer fired: send a beat with `next_ref`, unless the last one was never answered.
    pub fn tick(&mut self, next_ref: String) -> Beat {
        if self.pending.is_some() {
            return Beat::TimedOut;
        }
        self.pending = Some(next_ref.clone());
        Beat::Send(next_ref)
    }

    /// A `phx_reply` on the `phoenix` topic arrived with `reference`.
    pub fn replied(&mut self, reference: Option<&str>) {
        if reference.is_some() && self.pending.as_deref() == reference {
            self.pending = None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reconnects_after_1_2_5_10_then_every_10_seconds() {
        let secs: Vec<u64> = (0..7).map(|a| reconnect_delay(a).as_secs()).collect();
        assert_eq!(secs, [1, 2, 5, 10, 10, 10, 10]);
        assert_eq!(reconnect_delay(u32::MAX), Duration::from_secs(10));
    }

    #[test]
    fn an_answered_beat_lets_the_next_one_go() {
        let mut hb = Heartbeat::default();
        assert_eq!(hb.tick("1".into()), Beat::Send("1".into()));
        hb.replied(Some("1"));
        assert_eq!(hb.tick("2".into()), Beat::Send("2".into()));
    }

    #[test]
    fn an_unanswered_beat_times_the_socket_out() {
        let mut hb = Heartbeat::default();
        assert_eq!(hb.tick("1".into()), Beat::Send("1".into()));
        hb.replied(Some("0"));
        hb.replied(None);
        assert_eq!(hb.tick("2".into()), Beat::TimedOut);
    }
}
