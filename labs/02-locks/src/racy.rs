//! The bugs: a check and the act it justifies under two lock acquisitions,
//! and two locks taken in whatever order the caller named them.

use super::sync::{Mutex, Named};

/// An account whose every access is locked, and which is still wrong twice.
pub struct RacyAccount {
    balance: Mutex<i64>,
}

impl crate::BankAccount for RacyAccount {
    fn open(id: u32, balance: i64) -> Self {
        // This account uses its number only for its name in traces: see
        // `transfer`, which locks in the order it is called with.
        Self {
            balance: Mutex::new(balance).named(&format!("account {id}")),
        }
    }

    // ANCHOR: withdraw
    fn withdraw(&self, amount: i64) -> bool {
        let enough = *self.balance.lock().unwrap() >= amount; // check...
        if enough {
            // ...another thread can withdraw here, and then...
            *self.balance.lock().unwrap() -= amount; // ...act on a stale check.
        }
        enough
    }
    // ANCHOR_END: withdraw

    fn balance(&self) -> i64 {
        *self.balance.lock().unwrap()
    }
}

impl crate::Transfer for RacyAccount {
    // ANCHOR: transfer
    fn transfer(from: &Self, to: &Self, amount: i64) -> bool {
        // The payer's lock first, then the payee's: a transfer the other
        // way round takes the same two locks in the opposite order.
        let mut paying = from.balance.lock().unwrap();
        let mut receiving = to.balance.lock().unwrap();
        if *paying < amount {
            return false;
        }
        *paying -= amount;
        *receiving += amount;
        true
    }
    // ANCHOR_END: transfer

    fn is_locked(&self) -> bool {
        self.balance.try_lock().is_err()
    }

    fn total(one: &Self, two: &Self) -> i64 {
        let first = one.balance.lock().unwrap(); // in the order named, again
        let second = two.balance.lock().unwrap();
        *first + *second
    }
}
