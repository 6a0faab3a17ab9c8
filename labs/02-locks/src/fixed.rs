//! The fixes: the check and the act in one critical section; locks always
//! taken in one global order; or one lock for the whole bank.

use super::sync::{Mutex, Named};

/// An account whose withdrawals and transfers are both correct.
pub struct SafeAccount {
    id: u32,
    balance: Mutex<i64>,
}

impl crate::BankAccount for SafeAccount {
    fn open(id: u32, balance: i64) -> Self {
        Self {
            id,
            balance: Mutex::new(balance).named(&format!("account {id}")),
        }
    }

    // ANCHOR: withdraw
    fn withdraw(&self, amount: i64) -> bool {
        let mut balance = self.balance.lock().unwrap(); // one lock for...
        if *balance < amount {
            return false; // ...the check...
        }
        *balance -= amount; // ...and the act it justifies.
        true
    }
    // ANCHOR_END: withdraw

    fn balance(&self) -> i64 {
        *self.balance.lock().unwrap()
    }
}

impl crate::Transfer for SafeAccount {
    // ANCHOR: transfer
    fn transfer(from: &Self, to: &Self, amount: i64) -> bool {
        // Every thread takes the lower-numbered account's lock first, so no
        // two threads can each hold the lock the other waits for.
        let (first, second) = if from.id < to.id {
            (from, to)
        } else {
            (to, from)
        };
        let mut first_balance = first.balance.lock().unwrap();
        let mut second_balance = second.balance.lock().unwrap();
        let (paying, receiving) = if from.id < to.id {
            (&mut *first_balance, &mut *second_balance)
        } else {
            (&mut *second_balance, &mut *first_balance)
        };
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
        let (first, second) = if one.id < two.id {
            (one, two)
        } else {
            (two, one)
        };
        let first = first.balance.lock().unwrap(); // the same global order
        let second = second.balance.lock().unwrap();
        *first + *second
    }
}

#[cfg(test)]
impl SafeAccount {
    /// Holds this account's lock: for the test of `is_locked`.
    #[allow(
        dead_code,
        reason = "the std copy's test uses it; the loom copy's does not"
    )]
    pub(crate) fn hold(&self) -> super::sync::MutexGuard<'_, i64> {
        self.balance.lock().unwrap()
    }
}

// ANCHOR: one_lock
/// The other fix: every balance behind one lock. Nothing can deadlock, and
/// nothing runs in parallel either: two transfers between four different
/// accounts still wait for each other.
pub struct OneLockBank {
    balances: Mutex<Vec<i64>>,
}

impl crate::Bank for OneLockBank {
    fn new(balances: Vec<i64>) -> Self {
        Self {
            balances: Mutex::new(balances),
        }
    }

    /// The check, the debit and the credit in one critical section: no
    /// one can see the money in neither account.
    fn transfer(&self, from: usize, to: usize, amount: i64) -> bool {
        let mut balances = self.balances.lock().unwrap();
        if balances[from] < amount {
            return false;
        }
        balances[from] -= amount;
        balances[to] += amount;
        true
    }

    fn balances(&self) -> Vec<i64> {
        self.balances.lock().unwrap().clone()
    }
}
// ANCHOR_END: one_lock
