//! The fix, as loom checks it: single flight. The first task to miss marks
//! the key as loading; the others await its value instead of loading their
//! own: what `tokio::sync::OnceCell::get_or_init` does in the real cache.

use super::sync::Mutex;
use crate::Awaits;
use std::collections::HashMap;

/// A key's state in the cache.
#[derive(Clone, Copy, Debug)]
pub enum Slot {
    /// A task is loading it: await its value.
    Loading,
    /// Loaded.
    Ready(u64),
}

// ANCHOR: single_flight
/// A cache whose keys are loaded by one task each.
pub struct SingleFlight {
    slots: Mutex<HashMap<u32, Slot>>,
}

impl crate::Cache for SingleFlight {
    fn new() -> Self {
        Self {
            slots: Mutex::new(HashMap::new()),
        }
    }

    fn get(&self, key: u32, io: &dyn Awaits) -> u64 {
        loop {
            // Check and claim in one critical section, with no `.await` in it.
            let mut slots = self.slots.lock().unwrap();
            match slots.get(&key).copied() {
                Some(Slot::Ready(value)) => return value,
                Some(Slot::Loading) => {
                    drop(slots);
                    io.yield_now(); // another task loads it: await that
                }
                None => {
                    slots.insert(key, Slot::Loading); // ours to load
                    break;
                }
            }
        }
        let value = io.load(key);
        self.slots.lock().unwrap().insert(key, Slot::Ready(value));
        value
    }
}
// ANCHOR_END: single_flight
