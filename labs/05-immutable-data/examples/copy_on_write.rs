//! Copy on write with `Arc::make_mut`: it copies the configuration only
//! when someone else holds it, and a reader's snapshot never changes.
//!
//! `cargo run -p lab-05 --example copy_on_write`

use lab_05::Config;
use std::sync::Arc;

// ANCHOR: demo
fn main() {
    let mut current = Arc::new(Config::primary());

    // No one else holds the configuration: `make_mut` changes it in place.
    let before = Arc::as_ptr(&current);
    *Arc::make_mut(&mut current) = Config::replica();
    let in_place = std::ptr::eq(before, Arc::as_ptr(&current));
    println!("no reader:  changed in place: {in_place}; now {current:?}");

    // A reader holds a snapshot: `make_mut` copies, and changes the copy.
    let snapshot = Arc::clone(&current);
    *Arc::make_mut(&mut current) = Config::primary();
    let in_place = Arc::ptr_eq(&snapshot, &current);
    println!("one reader: changed in place: {in_place}; now {current:?}");
    println!("            the reader's snapshot is still {snapshot:?}");
}
// ANCHOR_END: demo
