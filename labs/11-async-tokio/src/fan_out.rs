//! One sender, many receivers: `broadcast` gives every receiver every
//! message (as long as it keeps up), and `watch` gives every receiver the
//! latest value (configuration, chapter 5's swap, async).
//!
//! A `broadcast` channel keeps its last `capacity` messages. A receiver
//! that falls further behind is told how many it missed (`Lagged(n)`), and
//! then reads on from the oldest message still kept.

use tokio::sync::broadcast::{self, error::RecvError};
use tokio::sync::watch;

/// What a receiver saw.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Seen {
    /// Messages received, in order.
    pub received: Vec<u64>,
    /// Messages it was told it missed.
    pub skipped: u64,
}

// ANCHOR: stops_at_lag
/// Wrong: `while let Ok(..)` ends at the first error, and `Lagged` is an
/// error: a receiver that fell behind once stops for good, silently.
pub async fn receive_until_an_error(mut receiver: broadcast::Receiver<u64>) -> Seen {
    let mut seen = Seen::default();
    while let Ok(message) = receiver.recv().await {
        seen.received.push(message);
    }
    seen
}
// ANCHOR_END: stops_at_lag

// ANCHOR: survives_lag
/// Right: a lag is counted (and could be logged), and the receiver goes
/// on; only `Closed` (every sender gone) ends it.
pub async fn receive_through_lags(mut receiver: broadcast::Receiver<u64>) -> Seen {
    let mut seen = Seen::default();
    loop {
        match receiver.recv().await {
            Ok(message) => seen.received.push(message),
            Err(RecvError::Lagged(missed)) => seen.skipped += missed,
            Err(RecvError::Closed) => return seen,
        }
    }
}
// ANCHOR_END: survives_lag

// ANCHOR: watch
/// Applies each configuration it sees until the sender is gone: the
/// current one at once, then the latest after each change. Values set
/// while it was busy are skipped: only the latest counts.
pub async fn apply_configurations(mut receiver: watch::Receiver<u64>) -> Vec<u64> {
    let mut applied = Vec::new();
    loop {
        // Marks the value seen, so `changed` waits for a newer one. The
        // borrow ends here: a `watch` borrow holds a lock, never across
        // an `.await`.
        let current = *receiver.borrow_and_update();
        applied.push(current);
        tokio::task::yield_now().await; // applying takes a while
        if receiver.changed().await.is_err() {
            return applied; // the sender is gone
        }
    }
}
// ANCHOR_END: watch
