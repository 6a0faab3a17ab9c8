//! The fix: stop changing shared data. Each configuration is built whole,
//! never changed once published, and replaced by publishing another.

use super::sync::{Arc, Mutex};
use crate::Config;

// ANCHOR: snapshot
/// The current configuration, as an immutable value behind an `Arc`.
/// Readers clone the `Arc` (a reference count, not the data) and keep a
/// snapshot no one can change; an update publishes a new `Arc`.
pub struct SnapshotStore {
    current: Mutex<Arc<Config>>,
}

impl crate::ConfigStore for SnapshotStore {
    type Snapshot = Arc<Config>;

    fn new(config: Config) -> Self {
        Self {
            current: Mutex::new(Arc::new(config)),
        }
    }

    fn update(&self, config: Config) {
        let next = Arc::new(config); // built whole, before anyone sees it
        let previous = std::mem::replace(&mut *self.current.lock().unwrap(), next);
        // Readers still holding `previous` keep it; the last one frees it.
        drop(previous);
    }

    fn read(&self) -> Arc<Config> {
        // The lock is held only to clone the pointer: one count increment.
        Arc::clone(&self.current.lock().unwrap())
    }
}
// ANCHOR_END: snapshot
