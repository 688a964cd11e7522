//! The wait a rate-limited token refresh imposes. After a 429 from `/token`, every refresh of
//! this tab (the expiry timer, the wake-up check, a REST call whose token is due) is answered
//! here with the time still to wait, without a request, until that time has passed: asking
//! again early would only be refused again and keep the limit's window full.

use std::cell::Cell;
use std::time::Duration;

/// Until when (ms since the epoch) no refresh is sent; `None` when refreshes may go out.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct RefreshBackoff {
    until_ms: Option<f64>,
}

impl RefreshBackoff {
    /// Holds refreshes back for `wait` from `now_ms`.
    pub fn hold(&mut self, now_ms: f64, wait: Duration) {
        self.until_ms = Some(now_ms + wait.as_millis() as f64);
    }

    /// Lets refreshes go out again (one succeeded).
    pub fn clear(&mut self) {
        self.until_ms = None;
    }

    /// How long refreshes must still wait at `now_ms`, if at all.
    pub fn remaining(&self, now_ms: f64) -> Option<Duration> {
        let left = self.until_ms? - now_ms;
        (left > 0.0).then(|| Duration::from_millis(left.ceil() as u64))
    }
}

thread_local! {
    static BACKOFF: Cell<RefreshBackoff> = Cell::new(RefreshBackoff::default());
}

fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// How long this tab's refreshes must still wait, if at all.
pub fn remaining() -> Option<Duration> {
    BACKOFF.with(|b| b.get().remaining(now_ms()))
}

/// Holds this tab's refreshes back for `wait` from now.
pub fn hold(wait: Duration) {
    update(|backoff| backoff.hold(now_ms(), wait));
}

/// Lets this tab's refreshes go out again.
pub fn clear() {
    update(RefreshBackoff::clear);
}

fn update(change: impl FnOnce(&mut RefreshBackoff)) {
    BACKOFF.with(|cell| {
        let mut backoff = cell.get();
        change(&mut backoff);
        cell.set(backoff);
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_held_refresh_waits_out_the_retry_after_and_no_longer() {
        let mut backoff = RefreshBackoff::default();
        assert_eq!(backoff.remaining(1_000.0), None, "nothing held: refresh at once");
        backoff.hold(1_000.0, Duration::from_secs(7));
        assert_eq!(backoff.remaining(1_000.0), Some(Duration::from_secs(7)));
        assert_eq!(backoff.remaining(7_999.5), Some(Duration::from_millis(1)), "a part millisecond still waits");
        assert_eq!(backoff.remaining(8_000.0), None, "the wait is over");
        backoff.hold(10_000.0, Duration::from_secs(60));
        backoff.clear();
        assert_eq!(backoff.remaining(10_001.0), None, "a successful refresh lifts the wait");
    }
}
