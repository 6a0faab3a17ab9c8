//! Structured concurrency with `JoinSet`: the tasks a function spawns end
//! before it returns, and a task that panics surfaces as an error. Beside
//! it, the way it goes wrong: handles awaited and their errors ignored, and
//! tasks that outlive the function that started them.
//!
//! The job: sum some parts, each in a task of its own (each part awaits a
//! "database" for `delay` first). A part holding [`POISON`] panics.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;
use tokio::task::JoinSet;

/// The value that makes a part's task panic.
pub const POISON: u64 = 13;

/// Sums one part, after `delay`; panics on [`POISON`]. `finished` counts
/// the parts summed, so a test can see a task that outlived its owner.
async fn sum_part(part: Vec<u64>, delay: Duration, finished: Arc<AtomicU64>) -> u64 {
    tokio::time::sleep(delay).await;
    assert!(
        !part.contains(&POISON),
        "part {part:?} holds the poison value"
    );
    finished.fetch_add(1, Ordering::Relaxed);
    part.iter().sum()
}

// ANCHOR: ignoring
/// Wrong: spawned, awaited, and a failed task's error ignored. A part that
/// panicked is missing from a sum that looks fine; and returning early
/// (here, at the first failure) leaves the other tasks running.
pub async fn sum_ignoring_failures(
    parts: Vec<(Vec<u64>, Duration)>,
    finished: Arc<AtomicU64>,
) -> Result<u64, String> {
    let handles: Vec<_> = parts
        .into_iter()
        .map(|(part, delay)| tokio::spawn(sum_part(part, delay, Arc::clone(&finished))))
        .collect();
    let mut total = 0;
    for handle in handles {
        match handle.await {
            Ok(sum) => total += sum,
            Err(_) => break, // "it failed; move on": the rest run on, unowned
        }
    }
    Ok(total)
}
// ANCHOR_END: ignoring

// ANCHOR: join_set
/// Right: the tasks live in a `JoinSet`. A panic comes back from
/// `join_next` as a `JoinError`, and is returned as an error; returning
/// drops the set, which aborts every task still running: none outlives
/// this function.
pub async fn sum_in_join_set(
    parts: Vec<(Vec<u64>, Duration)>,
    finished: Arc<AtomicU64>,
) -> Result<u64, String> {
    let mut tasks = JoinSet::new();
    for (part, delay) in parts {
        tasks.spawn(sum_part(part, delay, Arc::clone(&finished)));
    }
    let mut total = 0;
    while let Some(joined) = tasks.join_next().await {
        match joined {
            Ok(sum) => total += sum,
            Err(error) if error.is_panic() => {
                let payload = error.into_panic();
                let why = payload
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
                    .unwrap_or_default();
                return Err(format!("a part failed: {why}")); // the rest are aborted
            }
            Err(error) => return Err(format!("a part was cancelled: {error}")),
        }
    }
    Ok(total)
}
// ANCHOR_END: join_set
