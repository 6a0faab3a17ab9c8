//! Three ways for a reader to get at a shared configuration, on std's
//! types: what the benchmark times and the tests check agree.

use crate::Config;
use std::sync::{Arc, Mutex, RwLock};

// ANCHOR: readers
/// Clone the `Arc` (under a lock held for one increment), then read the
/// snapshot with no lock held.
pub fn through_a_snapshot(current: &Mutex<Arc<Config>>) -> usize {
    let snapshot = Arc::clone(&current.lock().unwrap());
    snapshot.address.len() + usize::from(snapshot.port)
}

/// Read the configuration in place, holding a read lock while reading.
pub fn under_a_read_lock(config: &RwLock<Config>) -> usize {
    let config = config.read().unwrap();
    config.address.len() + usize::from(config.port)
}

/// Copy the whole configuration out (allocating its `String`), then read
/// the copy with no lock held.
pub fn from_a_deep_copy(config: &RwLock<Config>) -> usize {
    let copy = config.read().unwrap().clone();
    copy.address.len() + usize::from(copy.port)
}
// ANCHOR_END: readers

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_three_readers_read_the_same_configuration() {
        let config = Config::replica();
        let expected = "db-b".len() + 6432;
        assert_eq!(
            through_a_snapshot(&Mutex::new(Arc::new(config.clone()))),
            expected
        );
        assert_eq!(under_a_read_lock(&RwLock::new(config.clone())), expected);
        assert_eq!(from_a_deep_copy(&RwLock::new(config)), expected);
    }
}
