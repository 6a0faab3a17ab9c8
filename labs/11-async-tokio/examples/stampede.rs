//! The cache stampede on a real tokio runtime (several threads, real
//! time): 1,000 requests for one key arrive together while the first
//! load takes 100 ms.
//!
//! `cargo run -p lab-11 --example stampede`

use lab_11::cache::{CheckThenLoad, SingleFlight};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

const REQUESTS: usize = 1_000;

async fn slow_load(key: u32, loads: Arc<AtomicU64>) -> u64 {
    loads.fetch_add(1, Ordering::Relaxed);
    tokio::time::sleep(Duration::from_millis(100)).await; // a database
    u64::from(key) * 100
}

// ANCHOR: demo
#[tokio::main]
async fn main() {
    let loads = Arc::new(AtomicU64::new(0));
    let racy = Arc::new(CheckThenLoad::default());
    let mut requests = tokio::task::JoinSet::new();
    for _ in 0..REQUESTS {
        let (cache, loads) = (Arc::clone(&racy), Arc::clone(&loads));
        requests.spawn(async move { cache.get(7, |key| slow_load(key, loads)).await });
    }
    requests.join_all().await;
    println!(
        "check, then load: {REQUESTS} requests, {} loads",
        loads.swap(0, Ordering::Relaxed)
    );

    let single = Arc::new(SingleFlight::default());
    let mut requests = tokio::task::JoinSet::new();
    for _ in 0..REQUESTS {
        let (cache, loads) = (Arc::clone(&single), Arc::clone(&loads));
        requests.spawn(async move { cache.get(7, |key| slow_load(key, loads)).await });
    }
    requests.join_all().await;
    println!(
        "single flight:    {REQUESTS} requests, {} loads",
        loads.load(Ordering::Relaxed)
    );
}
// ANCHOR_END: demo
