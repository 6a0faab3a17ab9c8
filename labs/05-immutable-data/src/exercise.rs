//! The exercise: a change made from the current configuration must not
//! undo a change another thread made at the same time.
//! Check your answer with `cargo xtask exercise 05`.

use super::sync::{Arc, Mutex};
use crate::{Config, ConfigStore};

// ANCHOR: starter
/// [`SnapshotStore`](super::fixed::SnapshotStore), with `modify`: copy the
/// current configuration, change the copy, publish it.
pub struct CopyOnWriteStore {
    current: Mutex<Arc<Config>>,
}

impl crate::CopyOnWrite for CopyOnWriteStore {
    fn modify(&self, change: impl FnOnce(&mut Config)) {
        let mut next = Config::clone(&self.read()); // copy...
        change(&mut next); // ...change the copy...
        // TODO: another thread's `modify` may have published its change
        // since we read; publishing ours now throws theirs away. Fix it.
        self.update(next); // ...publish
    }
}
// ANCHOR_END: starter

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
