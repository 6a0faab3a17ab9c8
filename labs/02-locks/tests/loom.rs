//! lab-02 under loom: the overdraft and the deadlock are found, and the
//! fixes hold over every interleaving.

use harness::sync::loom::Mutex;
use harness::{Check, FailureKind, Verdict};
use lab_02::checks::{opposite_transfers, opposite_transfers_in_one_bank, two_withdrawals};
use lab_02::on_loom::fixed::SafeAccount;
use lab_02::on_loom::racy::RacyAccount;
use lab_02::{BankAccount, Transfer};

// ANCHOR: overdraft_is_found
#[test]
fn overdraft_is_found_by_loom() {
    let failure = Check::new("racy withdrawals")
        .preemption_bound(1)
        .in_book()
        .must_fail(two_withdrawals::<RacyAccount>);

    // In the execution loom ran, both checks saw 100 before either
    // withdrawal subtracted anything.
    let reads = failure.trace.reads_before_first_write();
    assert!(
        reads.contains(&(0, "100".into())) && reads.contains(&(1, "100".into())),
        "{reads:?}"
    );
}
// ANCHOR_END: overdraft_is_found

#[test]
fn one_critical_section_never_overdraws() {
    Check::new("safe withdrawals")
        .every_interleaving()
        .in_book()
        .must_pass(two_withdrawals::<SafeAccount>);
}

// ANCHOR: wrong_fix
/// A wrong fix: it checks again after subtracting, and refuses the
/// withdrawal if the balance went negative, but never puts the money back.
struct RecheckWithoutRollback(Mutex<i64>);

impl BankAccount for RecheckWithoutRollback {
    fn open(_id: u32, balance: i64) -> Self {
        Self(Mutex::new(balance))
    }
    fn withdraw(&self, amount: i64) -> bool {
        if *self.0.lock().unwrap() < amount {
            return false;
        }
        let mut balance = self.0.lock().unwrap();
        *balance -= amount;
        *balance >= 0 // "refused", and the balance is still overdrawn
    }
    fn balance(&self) -> i64 {
        *self.0.lock().unwrap()
    }
}
// ANCHOR_END: wrong_fix

#[test]
fn the_fix_check_fails_on_rechecking_without_rolling_back() {
    let verdict = Check::new("recheck without rollback")
        .every_interleaving()
        .quiet()
        .run(two_withdrawals::<RecheckWithoutRollback>);
    let Verdict::Failed(failure) = verdict else {
        panic!("the fix check passed a wrong fix")
    };
    assert!(failure.message.contains("overdrawn"), "{}", failure.message);
}

// ANCHOR: deadlock_is_found
#[test]
fn opposite_lock_order_deadlock_is_found_by_loom() {
    let failure = Check::new("racy transfers")
        .preemption_bound(1)
        .in_book()
        .must_fail(opposite_transfers::<RacyAccount>);
    assert_eq!(failure.kind, FailureKind::Deadlock);

    // Each thread holds one account's lock and waits for the other's.
    let locks = failure.trace.lock_state();
    assert_eq!(locks.len(), 2, "{locks:?}");
    let (main, spawned) = (&locks[0], &locks[1]);
    assert_eq!((main.1.len(), spawned.1.len()), (1, 1), "{locks:?}");
    assert_eq!(
        main.2,
        Some(spawned.1[0]),
        "main waits for the lock thread 1 holds"
    );
    assert_eq!(
        spawned.2,
        Some(main.1[0]),
        "thread 1 waits for the lock main holds"
    );
}
// ANCHOR_END: deadlock_is_found

#[test]
fn a_global_lock_order_never_deadlocks() {
    Check::new("ordered transfers")
        .every_interleaving()
        .in_book()
        .must_pass(opposite_transfers::<SafeAccount>);
}

/// A wrong fix: locks in a global order, and then moves the money from the
/// first-locked account to the second, whichever way it was asked to.
struct OrderedButBackwards {
    id: u32,
    balance: Mutex<i64>,
}

impl BankAccount for OrderedButBackwards {
    fn open(id: u32, balance: i64) -> Self {
        Self {
            id,
            balance: Mutex::new(balance),
        }
    }
    fn withdraw(&self, _amount: i64) -> bool {
        unreachable!("the transfer model makes no withdrawals")
    }
    fn balance(&self) -> i64 {
        *self.balance.lock().unwrap()
    }
}

impl Transfer for OrderedButBackwards {
    fn transfer(from: &Self, to: &Self, amount: i64) -> bool {
        let (first, second) = if from.id < to.id {
            (from, to)
        } else {
            (to, from)
        };
        let mut paying = first.balance.lock().unwrap();
        let mut receiving = second.balance.lock().unwrap();
        *paying -= amount;
        *receiving += amount;
        true
    }
    fn is_locked(&self) -> bool {
        self.balance.try_lock().is_err()
    }
}

#[test]
fn the_transfer_check_fails_on_moving_money_the_wrong_way() {
    let verdict = Check::new("ordered but backwards")
        .every_interleaving()
        .quiet()
        .run(opposite_transfers::<OrderedButBackwards>);
    let Verdict::Failed(failure) = verdict else {
        panic!("the fix check passed a wrong fix")
    };
    assert_eq!(failure.kind, FailureKind::Panic, "{}", failure.message);
}

/// A wrong fix: never overdrawn, because it never pays.
struct RefusesEverything(Mutex<i64>);

impl BankAccount for RefusesEverything {
    fn open(_id: u32, balance: i64) -> Self {
        Self(Mutex::new(balance))
    }
    fn withdraw(&self, _amount: i64) -> bool {
        false
    }
    fn balance(&self) -> i64 {
        *self.0.lock().unwrap()
    }
}

#[test]
fn the_withdrawal_check_fails_on_refusing_every_withdrawal() {
    let verdict = Check::new("refuses everything")
        .every_interleaving()
        .quiet()
        .run(two_withdrawals::<RefusesEverything>);
    assert!(
        verdict.failed(),
        "the fix check passed an account that never pays"
    );
}

#[test]
fn one_lock_for_the_whole_bank_never_deadlocks() {
    Check::new("one-lock bank")
        .every_interleaving()
        .in_book()
        .must_pass(opposite_transfers_in_one_bank);
}
