//! The exercise: book seats without overbooking, though paying awaits.
//! Check your answer with `cargo xtask exercise 11`.

use super::sync::Mutex;

// ANCHOR: starter
/// Seats for a show. `book` checks for a free seat, awaits the payment,
/// then takes the seat.
pub struct SeatBooking {
    seats: Mutex<i64>,
}

impl crate::Booking for SeatBooking {
    fn new(seats: i64) -> Self {
        Self {
            seats: Mutex::new(seats),
        }
    }

    fn book(&self, pay: &(dyn Fn() + Sync)) -> bool {
        if *self.seats.lock().unwrap() == 0 {
            return false; // sold out
        }
        pay(); // `pay().await`: other bookings run meanwhile
        // TODO: the seat checked above may be gone by now. Fix it.
        *self.seats.lock().unwrap() -= 1;
        true
    }

    fn seats_left(&self) -> i64 {
        *self.seats.lock().unwrap()
    }
}
// ANCHOR_END: starter
