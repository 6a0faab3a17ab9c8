//! The fix, as loom checks it: one lock per key, held across the load, so
//! the second task for a key waits for the first one's value. The real
//! cache (`cache::SingleFlight`) gets the same from `tokio::sync::OnceCell`.

use super::sync::{Arc, Mutex, thread};
use std::collections::HashMap;

// ANCHOR: per_key
/// One slot per key, each behind its own lock, held while loading: a
/// single flight per key.
pub struct PerKeyLock {
    slots: Mutex<HashMap<u32, Arc<Mutex<Option<u64>>>>>,
}

impl crate::Cache for PerKeyLock {
    fn new() -> Self {
        Self {
            slots: Mutex::new(HashMap::new()),
        }
    }

    fn get(&self, key: u32, load: &(dyn Fn(u32) -> u64 + Sync)) -> u64 {
        // Find or make the key's slot: a short critical section for all keys.
        let slot = Arc::clone(
            self.slots
                .lock()
                .unwrap()
                .entry(key)
                .or_insert_with(|| Arc::new(Mutex::new(None))),
        );
        // Then the key's own lock, held through the load: a second task
        // for this key waits here, and finds the value when it gets in.
        let mut value = slot.lock().unwrap();
        if let Some(value) = *value {
            return value;
        }
        thread::yield_now(); // the `.await`: other keys' tasks still run
        let loaded = load(key);
        *value = Some(loaded);
        loaded
    }
}
// ANCHOR_END: per_key
