//! The cache on tokio: check-then-load across an `.await` (a stampede:
//! every task that misses loads), and single flight with
//! `tokio::sync::OnceCell` (the first task loads; the others wait for it).

use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex};
use tokio::sync::OnceCell;

// ANCHOR: racy
/// Check, await the load, fill: every task that misses before the first
/// load finishes loads again.
#[derive(Default)]
pub struct CheckThenLoad {
    values: Mutex<HashMap<u32, u64>>,
}

impl CheckThenLoad {
    /// The value for `key`, loaded with `load` on a miss.
    pub async fn get<F: Future<Output = u64>>(&self, key: u32, load: impl FnOnce(u32) -> F) -> u64 {
        if let Some(value) = self.values.lock().unwrap().get(&key) {
            return *value;
        }
        let value = load(key).await; // other tasks run here, and miss too
        self.values.lock().unwrap().insert(key, value);
        value
    }
}
// ANCHOR_END: racy

// ANCHOR: single_flight
/// One `OnceCell` per key: the first task to ask loads, the others await
/// the same cell and get its value.
#[derive(Default)]
pub struct SingleFlight {
    cells: Mutex<HashMap<u32, Arc<OnceCell<u64>>>>,
}

impl SingleFlight {
    /// The value for `key`, loaded once with `load`, however many ask.
    pub async fn get<F: Future<Output = u64>>(&self, key: u32, load: impl FnOnce(u32) -> F) -> u64 {
        // A std `Mutex`, held only to find the cell, never across `.await`.
        let cell = Arc::clone(self.cells.lock().unwrap().entry(key).or_default());
        *cell.get_or_init(|| load(key)).await
    }
}
// ANCHOR_END: single_flight

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU64, Ordering};
    use std::time::Duration;
    use tokio::task::JoinSet;

    /// A slow load (a database, another service), counted.
    async fn slow_load(key: u32, loads: Arc<AtomicU64>) -> u64 {
        loads.fetch_add(1, Ordering::Relaxed);
        tokio::time::sleep(Duration::from_millis(50)).await;
        u64::from(key) * 100
    }

    /// Either cache, asked for key 7 with a counted slow load.
    trait Cached: Default + Send + Sync + 'static {
        fn get_7(&self, loads: Arc<AtomicU64>) -> impl Future<Output = u64> + Send;
    }

    impl Cached for CheckThenLoad {
        fn get_7(&self, loads: Arc<AtomicU64>) -> impl Future<Output = u64> + Send {
            self.get(7, |key| slow_load(key, loads))
        }
    }

    impl Cached for SingleFlight {
        fn get_7(&self, loads: Arc<AtomicU64>) -> impl Future<Output = u64> + Send {
            self.get(7, |key| slow_load(key, loads))
        }
    }

    // ANCHOR: count_loads
    /// 100 tasks ask for key 7 at once, on one thread, in paused time (a
    /// test clock that jumps instead of waiting: the same run every time);
    /// how many times it was loaded.
    async fn loads_for_100_requests<C: Cached>() -> u64 {
        let (cache, loads) = (Arc::new(C::default()), Arc::new(AtomicU64::new(0)));
        let mut requests = JoinSet::new();
        for _ in 0..100 {
            let (cache, loads) = (Arc::clone(&cache), Arc::clone(&loads));
            requests.spawn(async move { cache.get_7(loads).await });
        }
        while let Some(value) = requests.join_next().await {
            assert_eq!(value.unwrap(), 700);
        }
        loads.load(Ordering::Relaxed)
    }

    #[tokio::test(start_paused = true)]
    async fn a_hundred_requests_that_miss_together_load_a_hundred_times() {
        assert_eq!(loads_for_100_requests::<CheckThenLoad>().await, 100);
    }

    #[tokio::test(start_paused = true)]
    async fn single_flight_loads_once_for_a_hundred_requests() {
        assert_eq!(loads_for_100_requests::<SingleFlight>().await, 1);
    }
    // ANCHOR_END: count_loads
}
