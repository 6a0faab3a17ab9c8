//! Lab 02: locks, check-then-act and deadlock. The chapter is
//! `book/src/02-locks.md`; it reads these files in this order:
//!
//! - `racy.rs`: a withdrawal that checks under one lock and subtracts under
//!   another (an overdraft), and a transfer that takes two locks in the
//!   order it was called with (a deadlock);
//! - `checks.rs`: the loom models;
//! - `fixed.rs`: one critical section; a global lock order; one lock for
//!   the whole bank;
//! - `on_std.rs` and `on_loom.rs`: the same files compiled on std and on loom;
//! - `maps.rs`: one lock, a reader-writer lock, or many: what contention costs;
//! - `exercise.rs`: your turn, booking seats (`solution.rs` has the
//!   reference answer: try first).

// `on_std` and `on_loom` each compile racy.rs, fixed.rs... once: the same
// code on std's types and on loom's. That is the point, not a slip.
#![allow(
    clippy::duplicate_mod,
    reason = "each lab file is compiled on std and on loom"
)]

/// A bank account that threads withdraw from.
pub trait BankAccount: Send + Sync + 'static {
    /// An account numbered `id` holding `balance`.
    fn open(id: u32, balance: i64) -> Self;
    /// Takes `amount` out if the balance covers it; says whether it did.
    fn withdraw(&self, amount: i64) -> bool;
    /// The balance now.
    fn balance(&self) -> i64;
}

/// Accounts that money moves between.
pub trait Transfer: BankAccount {
    /// Moves `amount` from `from` to `to` if `from` covers it; says whether it did.
    fn transfer(from: &Self, to: &Self, amount: i64) -> bool;
    /// Whether some thread holds this account's lock now (for the demo's
    /// watchdog, which cannot ask std's `Mutex` who holds it).
    fn is_locked(&self) -> bool;
    /// The two accounts' balances added up at one instant, both locks
    /// held at once: what an auditor sees. Money taken from one account in
    /// one critical section and given to the other in a later one is
    /// missing here in between.
    fn total(one: &Self, two: &Self) -> i64;
}

/// A whole bank, every account behind the bank's own locking: the second
/// fix's shape.
pub trait Bank: Send + Sync + 'static {
    /// A bank holding these balances; accounts are numbered by position.
    fn new(balances: Vec<i64>) -> Self;
    /// Moves `amount` from account `from` to account `to` if `from` covers
    /// it; says whether it did.
    fn transfer(&self, from: usize, to: usize, amount: i64) -> bool;
    /// Every account's balance, read at one instant: what an auditor sees.
    /// Money taken from one account in one critical section and given to
    /// the other in a later one is missing here in between.
    fn balances(&self) -> Vec<i64>;
}

/// Seats that people book; the exercise.
pub trait Booking: Send + Sync + 'static {
    /// No seat booked yet.
    fn new() -> Self;
    /// Books `seat` for `name` if it is free; says whether it did.
    fn book(&self, seat: u32, name: &'static str) -> bool;
    /// Who holds `seat`, if anyone.
    fn holder(&self, seat: u32) -> Option<&'static str>;
}

pub use on_loom::checks;
pub mod maps;
pub mod observed;
pub mod on_loom;
pub mod on_std;

#[cfg(test)]
mod tests {
    use crate::on_std::fixed::SafeAccount;
    use crate::{BankAccount, Transfer};

    /// The deadlock demo's watchdog reports each account's lock as held or
    /// free through `is_locked`: it must tell the two apart.
    #[test]
    fn is_locked_says_whether_the_accounts_lock_is_held() {
        let account = SafeAccount::open(1, 0);
        assert!(!account.is_locked(), "a lock no one holds is reported held");
        let held = account.hold();
        assert!(account.is_locked(), "a held lock is reported free");
        drop(held);
        assert!(!account.is_locked(), "a released lock is reported held");
    }
}
