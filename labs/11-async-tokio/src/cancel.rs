//! Cancellation: in tokio, a future that is dropped simply stops at the
//! `.await` it was suspended at. A transfer that awaits between taking
//! money from one account and giving it to the other, dropped in between
//! (here by `tokio::time::timeout`), loses the money.

use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Two accounts, and a ledger service that is slow to answer.
#[derive(Debug)]
pub struct Bank {
    /// The balances of accounts 0 and 1.
    pub balances: Mutex<[i64; 2]>,
}

/// A round trip to the ledger service (a database, an audit log).
async fn record(_what: &str) {
    tokio::time::sleep(Duration::from_millis(10)).await;
}

// ANCHOR: racy
/// Withdraws, records, deposits: if this future is dropped while it waits
/// for the ledger, the money has left one account and reached neither.
pub async fn transfer(bank: &Bank, amount: i64) {
    bank.balances.lock().unwrap()[0] -= amount;
    record("withdrawal").await; // dropped here: the deposit never happens
    bank.balances.lock().unwrap()[1] += amount;
}
// ANCHOR_END: racy

// ANCHOR: fixed
/// Records first (awaiting, with nothing changed yet), then moves the
/// money in one critical section with no `.await` inside: dropped at
/// any `.await`, it leaves the accounts as they were, or fully moved.
/// (The ledger may then list a transfer that was dropped before it moved
/// anything: its entries must say "intended", or be written again safely.)
pub async fn transfer_cancel_safe(bank: &Bank, amount: i64) {
    record("transfer").await; // dropped here: nothing has changed
    let mut balances = bank.balances.lock().unwrap();
    balances[0] -= amount;
    balances[1] += amount;
}

/// Or: make the transfer a task of its own. Dropping the `JoinHandle`
/// does not cancel a task, so it runs to the end whoever stops waiting.
pub async fn transfer_in_a_task(bank: Arc<Bank>, amount: i64) {
    let task = tokio::spawn(async move { transfer(&bank, amount).await });
    let _ = task.await;
}
// ANCHOR_END: fixed

#[cfg(test)]
mod tests {
    use super::*;
    use std::future::Future;
    use tokio::time::timeout;

    fn bank() -> Arc<Bank> {
        Arc::new(Bank {
            balances: Mutex::new([100, 0]),
        })
    }

    // ANCHOR: cancelled
    /// Runs `transfer` of 30, dropped after `after` (the clock is tokio's
    /// paused test clock: each run is the same), lets anything left run,
    /// and says whether the accounts are as before or fully moved.
    async fn all_or_nothing<F>(after: Duration, transfer: impl FnOnce(Arc<Bank>) -> F) -> bool
    where
        F: Future<Output = ()>,
    {
        let bank = bank();
        let _ = timeout(after, transfer(Arc::clone(&bank))).await;
        tokio::time::sleep(Duration::from_millis(100)).await; // anything left runs
        let balances = *bank.balances.lock().unwrap();
        balances == [100, 0] || balances == [70, 30]
    }

    /// Drops the transfer at every point of its life: before it starts,
    /// at each 5 ms up to 50 ms (each ledger call takes 10 ms, so every
    /// `.await` of a transfer with up to four of them), and never. A
    /// transfer that is safe to drop at its first `.await` only is not
    /// cancel-safe: `TWO_AWAITS` below is one.
    async fn all_or_nothing_whenever_dropped<F>(transfer: impl Fn(Arc<Bank>) -> F) -> bool
    where
        F: Future<Output = ()>,
    {
        for millis in (0..=50).step_by(5) {
            let after = Duration::from_millis(millis);
            if !all_or_nothing(after, &transfer).await {
                return false;
            }
        }
        true
    }

    #[tokio::test(start_paused = true)]
    async fn a_transfer_cancelled_between_its_updates_loses_the_money() {
        assert!(!all_or_nothing_whenever_dropped(async |bank| transfer(&bank, 30).await).await);
    }

    #[tokio::test(start_paused = true)]
    async fn a_cancel_safe_transfer_moves_all_or_nothing() {
        assert!(
            all_or_nothing_whenever_dropped(async |bank| transfer_cancel_safe(&bank, 30).await)
                .await
        );
    }

    #[tokio::test(start_paused = true)]
    async fn a_transfer_in_its_own_task_finishes_though_its_caller_gave_up() {
        assert!(
            all_or_nothing_whenever_dropped(async |bank| transfer_in_a_task(bank, 30).await).await
        );
    }
    // ANCHOR_END: cancelled

    /// A wrong fix: record first (safe to drop there), but then record the
    /// withdrawal too, between the two updates.
    async fn records_twice(bank: &Bank, amount: i64) {
        record("transfer").await;
        bank.balances.lock().unwrap()[0] -= amount;
        record("withdrawal").await; // dropped here: half a transfer
        bank.balances.lock().unwrap()[1] += amount;
    }

    #[tokio::test(start_paused = true)]
    async fn a_transfer_safe_only_at_its_first_await_is_caught() {
        // Dropped at 5 ms, inside the first ledger call, it looks safe...
        assert!(
            all_or_nothing(Duration::from_millis(5), async |bank| records_twice(
                &bank, 30
            )
            .await)
            .await
        );
        // ...dropped at 15 ms, inside the second, it is not.
        assert!(
            !all_or_nothing_whenever_dropped(async |bank| records_twice(&bank, 30).await).await
        );
    }

    #[tokio::test(start_paused = true)]
    async fn a_transfer_never_dropped_moves_the_money() {
        // The checks above accept "as before": this one sees the money move.
        let safe = bank();
        transfer_cancel_safe(&safe, 30).await;
        assert_eq!(*safe.balances.lock().unwrap(), [70, 30]);
        let in_a_task = bank();
        transfer_in_a_task(Arc::clone(&in_a_task), 30).await;
        assert_eq!(*in_a_task.balances.lock().unwrap(), [70, 30]);
    }
}
