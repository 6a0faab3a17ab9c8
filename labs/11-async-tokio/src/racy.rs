//! The bug, as loom checks it: check the cache, await the load, then fill
//! it. Another task can run at the `.await` (here, `yield_now`), miss the
//! same key, and load it again: check-then-act across an `.await`.

use super::sync::{Mutex, thread};
use std::collections::HashMap;

// ANCHOR: check_then_load
/// `cache::CheckThenLoad`'s logic, with the `.await` as a yield.
pub struct CheckThenLoad {
    values: Mutex<HashMap<u32, u64>>,
}

impl crate::Cache for CheckThenLoad {
    fn new() -> Self {
        Self {
            values: Mutex::new(HashMap::new()),
        }
    }

    fn get(&self, key: u32, load: &(dyn Fn(u32) -> u64 + Sync)) -> u64 {
        if let Some(value) = self.values.lock().unwrap().get(&key) {
            return *value; // a hit
        }
        // A miss: load it. `load(key).await` in the real cache: another
        // task runs here, misses too, and loads the same key again.
        thread::yield_now();
        let value = load(key);
        self.values.lock().unwrap().insert(key, value);
        value
    }
}
// ANCHOR_END: check_then_load
