//! The bug, as loom checks it: check the cache, await the load, then fill
//! it. Another task runs at the `.await`, misses the same key, and loads it
//! again: check-then-act across an `.await`.

use super::sync::{Mutex, Named};
use crate::Awaits;
use std::collections::HashMap;

// ANCHOR: check_then_load
/// `cache::CheckThenLoad`'s logic, for the model.
pub struct CheckThenLoad {
    values: Mutex<HashMap<u32, u64>>,
}

impl crate::Cache for CheckThenLoad {
    fn new() -> Self {
        Self {
            values: Mutex::new(HashMap::new()).named("cache"),
        }
    }

    fn get(&self, key: u32, io: &dyn Awaits) -> u64 {
        if let Some(value) = self.values.lock().unwrap().get(&key) {
            return *value; // a hit
        }
        // A miss: `load(key).await`. Another task runs here, misses too,
        // and loads the same key again.
        let value = io.load(key);
        self.values.lock().unwrap().insert(key, value);
        value
    }
}
// ANCHOR_END: check_then_load
