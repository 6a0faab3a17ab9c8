//! The exercise's reference solution. Try `exercise.rs` first!

use super::sync::{Arc, Mutex};
use crate::Config;

/// A snapshot store whose `modify` copies only when it must.
pub struct CopyOnWriteStore {
    current: Mutex<Arc<Config>>,
}

impl crate::CopyOnWrite for CopyOnWriteStore {
    // ANCHOR: solution
    fn modify(&self, change: impl FnOnce(&mut Config)) {
        // Hold the lock from the read to the publish: no other `modify`
        // can come between them.
        let mut current = self.current.lock().unwrap();
        // Copy on write: if readers hold snapshots of this configuration,
        // `make_mut` clones it into a new `Arc` (their snapshots stay as
        // they were); if no one does, it changes it in place.
        change(Arc::make_mut(&mut current));
    }
    // ANCHOR_END: solution
}

impl crate::ConfigStore for CopyOnWriteStore {
    type Snapshot = Arc<Config>;

    fn new(config: Config) -> Self {
        Self {
            current: Mutex::new(Arc::new(config)),
        }
    }

    fn update(&self, config: Config) {
        *self.current.lock().unwrap() = Arc::new(config);
    }

    fn read(&self) -> Arc<Config> {
        Arc::clone(&self.current.lock().unwrap())
    }
}
