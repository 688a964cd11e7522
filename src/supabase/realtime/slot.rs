//! One channel as the client keeps it, in the socket's state: its own file so the socket
//! (which holds the slots) and the channel code (which fills and drives them) both depend on
//! it, and not on each other both ways.

use std::rc::Rc;

use gloo_timers::callback::Timeout;

use super::change::Change;
use super::machine::{ChannelStatus, Machine};

/// One channel as the client keeps it.
pub(super) struct Slot {
    pub(super) id: u64,
    pub(super) machine: Machine,
    pub(super) on_change: Option<Rc<dyn Fn(Change)>>,
    pub(super) on_status: Option<Rc<dyn Fn(ChannelStatus)>>,
    pub(super) last_status: Option<ChannelStatus>,
    /// The join timeout or the wait before a rejoin (dropping it cancels it).
    pub(super) timer: Option<Timeout>,
}
