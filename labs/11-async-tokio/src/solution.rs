//! The exercise's reference solution. Try `exercise.rs` first!

use super::sync::Mutex;

/// Seats for a show, reserved before paying.
pub struct SeatBooking {
    seats: Mutex<i64>,
}

impl crate::Booking for SeatBooking {
    fn new(seats: i64) -> Self {
        Self {
            seats: Mutex::new(seats),
        }
    }

    // ANCHOR: solution
    fn book(&self, pay: &(dyn Fn() + Sync)) -> bool {
        // Check and take the seat in one critical section, before the
        // `.await`: the state is right whenever another booking runs.
        {
            let mut seats = self.seats.lock().unwrap();
            if *seats == 0 {
                return false;
            }
            *seats -= 1; // reserved
        }
        pay(); // a payment that could fail would give the seat back here
        true
    }
    // ANCHOR_END: solution

    fn seats_left(&self) -> i64 {
        *self.seats.lock().unwrap()
    }
}
