//! A number for each thread, taken once from a global counter: a global
//! made by `lazy_static!` (loom's atomics cannot be made in a `const`) and
//! a per-thread cache made by `thread_local!`.

use crate::sync::atomic::{AtomicUsize, Ordering::Relaxed};
use crate::sync::{lazy_static, thread_local};

// ANCHOR: ids
lazy_static! {
    /// The next number to hand out. Under loom, made again in each execution.
    static ref NEXT: AtomicUsize = AtomicUsize::new(0);
}

thread_local! {
    /// This thread's number, taken on first use.
    static RACY_ID: usize = take_racy();
    static ID: usize = NEXT.fetch_add(1, Relaxed);
}

/// The bug: a load, then a store. Two threads can take the same number.
fn take_racy() -> usize {
    let id = NEXT.load(Relaxed);
    NEXT.store(id + 1, Relaxed);
    id
}

/// This thread's number, taken by the racy load-then-store.
pub fn racy_id() -> usize {
    RACY_ID.with(|id| *id)
}

/// This thread's number, taken by one `fetch_add`: no two threads share it.
pub fn id() -> usize {
    ID.with(|id| *id)
}
// ANCHOR_END: ids
