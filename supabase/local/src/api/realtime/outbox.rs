//! The queue between change fan-out and one socket, bounded in bytes. Hosted Realtime kills a
//! socket's process when its heap passes `WEBSOCKET_MAX_HEAP_SIZE` (50 MB), which closes the
//! socket; here a socket whose queued frames would pass `MAX_QUEUED_BYTES` is closed the same
//! way instead of buffering what a client that stopped reading will never take.
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use tokio::sync::{mpsc, Notify};

/// The most bytes of encoded frames one socket may have waiting to be written.
pub const MAX_QUEUED_BYTES: usize = 16 << 20;

struct Shared {
    queued: AtomicUsize,
    overflowed: AtomicBool,
    overflow: Notify,
    limit: usize,
}

/// The sending side, held by each of the socket's subscriptions: (subscription id, frame).
#[derive(Clone)]
pub struct Outbox {
    tx: mpsc::UnboundedSender<(u64, String)>,
    shared: Arc<Shared>,
}

/// The socket's receiving side.
pub struct Inbox {
    rx: mpsc::UnboundedReceiver<(u64, String)>,
    shared: Arc<Shared>,
}

/// Tells the socket its queue overflowed.
pub struct Overflow {
    shared: Arc<Shared>,
}

/// A queue of at most `limit` bytes: its senders, its receiver and its overflow signal.
pub fn channel(limit: usize) -> (Outbox, Inbox, Overflow) {
    let (tx, rx) = mpsc::unbounded_channel();
    let shared = Arc::new(Shared {
        queued: AtomicUsize::new(0),
        overflowed: AtomicBool::new(false),
        overflow: Notify::new(),
        limit,
    });
    (Outbox { tx, shared: shared.clone() }, Inbox { rx, shared: shared.clone() }, Overflow { shared })
}

impl Outbox {
    /// Queues a frame of subscription `sub`; a frame that would pass the bound is dropped and
    /// marks the socket overflowed (it is then closed).
    pub fn send(&self, sub: u64, frame: String) {
        let s = &self.shared;
        if s.overflowed.load(Ordering::Acquire) {
            return;
        }
        let len = frame.len();
        let before = s.queued.fetch_add(len, Ordering::AcqRel);
        if before + len > s.limit {
            s.queued.fetch_sub(len, Ordering::AcqRel);
            s.overflowed.store(true, Ordering::Release);
            s.overflow.notify_one();
            return;
        }
        if self.tx.send((sub, frame)).is_err() {
            s.queued.fetch_sub(len, Ordering::AcqRel);
        }
    }
}

impl Inbox {
    /// The next queued frame (None once every `Outbox` is gone).
    pub async fn recv(&mut self) -> Option<(u64, String)> {
        let item = self.rx.recv().await?;
        self.shared.queued.fetch_sub(item.1.len(), Ordering::AcqRel);
        Some(item)
    }

    /// Bytes of frames waiting.
    pub fn queued(&self) -> usize {
        self.shared.queued.load(Ordering::Acquire)
    }
}

impl Overflow {
    /// Completes once a frame could not be queued within the bound.
    pub async fn overflowed(&self) {
        if !self.shared.overflowed.load(Ordering::Acquire) {
            self.shared.overflow.notified().await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn frames_past_the_bound_overflow_the_socket() {
        let (out, mut inbox, overflow) = channel(10);
        out.send(1, "12345".into());
        out.send(1, "12345".into());
        assert_eq!(inbox.queued(), 10);
        out.send(1, "1".into());
        tokio::time::timeout(std::time::Duration::from_secs(1), overflow.overflowed())
            .await
            .expect("the 11th byte overflows");
        assert_eq!(inbox.recv().await, Some((1, "12345".to_string())));
        assert_eq!(inbox.queued(), 5);
        // Once overflowed, nothing more is queued.
        out.send(1, "1".into());
        assert_eq!(inbox.queued(), 5);
    }

    #[tokio::test]
    async fn taking_frames_frees_room() {
        let (out, mut inbox, _) = channel(10);
        out.send(1, "1234567890".into());
        assert_eq!(inbox.recv().await.map(|f| f.1.len()), Some(10));
        out.send(2, "1234567890".into());
        assert_eq!(inbox.recv().await, Some((2, "1234567890".to_string())));
        assert!(!inbox.shared.overflowed.load(Ordering::Acquire));
    }
}
