//! The loom models this lab's configuration stores are checked with.
//!
//! Each function here is a loom model: a test hands it to `harness::Check`,
//! which runs it under `loom::model::Builder`, once per class of equivalent
//! interleavings within the check's bound, recording what each thread did.

use super::sync::{Arc, thread};
use crate::{Config, ConfigStore, CopyOnWrite};

// ANCHOR: update_model
/// One thread moves the service from `db-a:5432` to `db-b:6432` while the
/// main thread reads the configuration: it must read one or the other,
/// never a mix; and once the update is joined, it must read the new one.
pub fn update_while_reading<S: ConfigStore>() {
    let store = Arc::new(S::new(Config::primary()));
    let updater = {
        let store = Arc::clone(&store);
        thread::spawn(move || store.update(Config::replica()))
    };
    let read = Config::clone(&store.read());
    assert!(
        read == Config::primary() || read == Config::replica(),
        "read {read:?}: half of one configuration and half of the other"
    );
    updater.join().unwrap();
    let after = Config::clone(&store.read());
    assert!(
        after == Config::replica(),
        "the update was joined, but the configuration is {after:?}: it never landed"
    );
}
// ANCHOR_END: update_model

// ANCHOR: two_updates_model
/// One thread updates twice, to `db-b:6432` and then to `db-c:7432`, while
/// the main thread reads once. Asking how far apart the two halves of a
/// torn read can be, the model fails only if the reader gets the first
/// configuration's address with the last one's port: `db-a:7432`.
pub fn read_across_two_updates<S: ConfigStore>() {
    let store = Arc::new(S::new(Config::primary()));
    let updater = {
        let store = Arc::clone(&store);
        thread::spawn(move || {
            store.update(Config::replica());
            store.update(Config::standby());
        })
    };
    let read = Config::clone(&store.read());
    updater.join().unwrap();
    harness::outcome(format!("read {read:?}"));
    let (first, last) = (Config::primary(), Config::standby());
    harness::require!(
        !(read.address == first.address && read.port == last.port),
        "the reader got {read:?}: the address from before both updates, the port from after both"
    );
}
// ANCHOR_END: two_updates_model

// ANCHOR: changes_model
/// Two threads change one field each, from `db-a:5432`, while a reader
/// holds a snapshot: both changes must land (`db-b:6432`), and the
/// reader's snapshot must not change under it.
pub fn two_changes<S: CopyOnWrite>() {
    let store = Arc::new(S::new(Config::primary()));
    let snapshot = store.read();
    let other = {
        let store = Arc::clone(&store);
        thread::spawn(move || store.modify(|config| config.address = String::from("db-b")))
    };
    store.modify(|config| config.port = 6432);
    other.join().unwrap();
    assert!(
        *snapshot == Config::primary(),
        "a reader's snapshot changed under it: {:?}",
        *snapshot
    );
    let last = Config::clone(&store.read());
    assert!(
        last == Config::replica(),
        "both changes were made, but the configuration is {last:?}: one was lost"
    );
}
// ANCHOR_END: changes_model
