//! The bug: one configuration held as two fields, each under its own lock.
//! Every access is locked, and a reader still sees half of an update.

use super::sync::{Mutex, Named};
use crate::Config;

// ANCHOR: two_locks
/// A configuration whose address and port are locked separately, so that
/// a reader of one never waits for a writer of the other.
pub struct TwoLocksStore {
    address: Mutex<String>,
    port: Mutex<u16>,
}

impl crate::ConfigStore for TwoLocksStore {
    type Snapshot = Box<Config>;

    fn new(config: Config) -> Self {
        Self {
            address: Mutex::new(config.address).named("address"),
            port: Mutex::new(config.port).named("port"),
        }
    }

    fn update(&self, config: Config) {
        *self.address.lock().unwrap() = config.address;
        // A reader can run here, and see the new address with the old port.
        *self.port.lock().unwrap() = config.port;
    }

    fn read(&self) -> Box<Config> {
        let address = self.address.lock().unwrap().clone();
        // ...or an update can run here, between the reader's two reads.
        let port = *self.port.lock().unwrap();
        Box::new(Config { address, port })
    }
}
// ANCHOR_END: two_locks
