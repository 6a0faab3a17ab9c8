//! Bridging sync and async code, both ways, and where each goes wrong.
//!
//! - Blocking code called from async: `spawn_blocking` moves it to tokio's
//!   blocking pool, which grows a thread per call that finds every thread
//!   busy (up to 512 by default): a burst of slow calls becomes a burst of
//!   threads. A `Semaphore` bounds how many run at once.
//! - Async code called from sync code: `Handle::block_on` runs a future to
//!   completion on the calling thread; called from inside the runtime's own
//!   tasks it panics, because it would block a worker the future needs.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use tokio::sync::Semaphore;

/// Counts blocking calls running at once, and the most there were.
#[derive(Default)]
pub struct Running {
    now: AtomicUsize,
    peak: AtomicUsize,
}

impl Running {
    /// Runs `call`, counted.
    fn count<T>(&self, call: impl FnOnce() -> T) -> T {
        let now = self.now.fetch_add(1, Ordering::SeqCst) + 1;
        self.peak.fetch_max(now, Ordering::SeqCst);
        let output = call();
        self.now.fetch_sub(1, Ordering::SeqCst);
        output
    }

    /// The most calls that ran at once.
    pub fn peak(&self) -> usize {
        self.peak.load(Ordering::SeqCst)
    }
}

// ANCHOR: unbounded_blocking
/// Every call on the blocking pool at once: as many threads as calls.
pub async fn all_at_once<T: Send + 'static>(
    calls: Vec<Box<dyn FnOnce() -> T + Send>>,
    running: Arc<Running>,
) -> Vec<T> {
    let handles: Vec<_> = calls
        .into_iter()
        .map(|call| {
            let running = Arc::clone(&running);
            tokio::task::spawn_blocking(move || running.count(call))
        })
        .collect();
    let mut outputs = Vec::new();
    for handle in handles {
        outputs.push(handle.await.expect("a blocking call panicked"));
    }
    outputs
}
// ANCHOR_END: unbounded_blocking

// ANCHOR: bounded_blocking
/// At most `limit` calls on the blocking pool at a time: each waits for a
/// permit (an `.await`, not a thread) before it gets a thread.
pub async fn at_most<T: Send + 'static>(
    limit: usize,
    calls: Vec<Box<dyn FnOnce() -> T + Send>>,
    running: Arc<Running>,
) -> Vec<T> {
    let permits = Arc::new(Semaphore::new(limit));
    let handles: Vec<_> = calls
        .into_iter()
        .map(|call| {
            let (permits, running) = (Arc::clone(&permits), Arc::clone(&running));
            tokio::spawn(async move {
                let permit = permits.acquire_owned().await.expect("never closed");
                // The permit goes with the call: if this task is aborted,
                // the call still holds it until it ends.
                tokio::task::spawn_blocking(move || {
                    let _permit = permit;
                    running.count(call)
                })
                .await
            })
        })
        .collect();
    let mut outputs = Vec::new();
    for handle in handles {
        let joined = handle.await.expect("a task panicked");
        outputs.push(joined.expect("a blocking call panicked"));
    }
    outputs
}
// ANCHOR_END: bounded_blocking

// ANCHOR: block_on
/// Sync code that needs an async result, given a handle to the runtime.
/// Right from a thread of its own (or inside `spawn_blocking`); from a
/// task of the runtime it panics: "Cannot start a runtime from within a
/// runtime".
pub fn answer_from_sync_code(runtime: &tokio::runtime::Handle) -> u64 {
    runtime.block_on(async {
        tokio::task::yield_now().await; // an async call
        42
    })
}
// ANCHOR_END: block_on
