//! The exercise: two people book the same seat at once, and both are told
//! they have it. Make `book` correct. Check your answer with
//! `cargo xtask exercise 02`.

use super::sync::Mutex;
use std::collections::BTreeMap;

// ANCHOR: starter
/// The seats of one show: who booked which.
pub struct Seats {
    booked: Mutex<BTreeMap<u32, &'static str>>,
}

impl crate::Booking for Seats {
    fn new() -> Self {
        Self {
            booked: Mutex::new(BTreeMap::new()),
        }
    }

    fn book(&self, seat: u32, name: &'static str) -> bool {
        // TODO: another person can book the seat between this check...
        let free = !self.booked.lock().unwrap().contains_key(&seat);
        if free {
            // ...and this insert. Then both are told the seat is theirs.
            self.booked.lock().unwrap().insert(seat, name);
        }
        free
    }

    fn holder(&self, seat: u32) -> Option<&'static str> {
        self.booked.lock().unwrap().get(&seat).copied()
    }
}
// ANCHOR_END: starter
