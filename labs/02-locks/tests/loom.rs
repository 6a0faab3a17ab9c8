//! lab-02 under loom: the overdraft and the deadlock are found, and the
//! fixes hold over every interleaving.

use harness::sync::loom::Mutex;
use harness::{Check, FailureKind, Verdict};
use lab_02::checks::{
    competing_transfers, opposite_transfers, opposite_transfers_in_one_bank,
    three_withdrawals_all_paid, transfer_while_auditing, two_withdrawals,
};
use lab_02::on_loom::fixed::{OneLockBank, SafeAccount};
use lab_02::on_loom::racy::RacyAccount;
use lab_02::{Bank, BankAccount, Transfer};
use std::collections::BTreeSet;

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

// ANCHOR: three_overdrafts
#[test]
fn three_withdrawals_can_all_be_paid() {
    // Bound 2: every check must come before the first withdrawal, so two
    // of the three threads are preempted between their check and their
    // withdrawal; within bound 1 no execution pays all three
    // (`paying_three_withdrawals_takes_loom_two_preemptions`). Going on
    // past failures, the book's stepper offers every execution within the
    // bound.
    let failure = Check::new("racy withdrawals, three threads")
        .preemption_bound(2)
        .explore_past_failures()
        .in_book()
        .must_fail(three_withdrawals_all_paid::<RacyAccount>);
    // Every check saw 100: all three before the first withdrawal.
    let reads = failure.trace.reads_before_first_write();
    let saw_100: BTreeSet<usize> = reads
        .iter()
        .filter(|(_, value)| value == "100")
        .map(|(thread, _)| *thread)
        .collect();
    assert_eq!(saw_100.len(), 3, "{reads:?}");
}
// ANCHOR_END: three_overdrafts

#[test]
fn paying_three_withdrawals_takes_loom_two_preemptions() {
    // The chapter says bound 2 is needed: within bound 1, every execution
    // passes (`must_pass` fails, showing the execution, if one does not).
    Check::new("racy withdrawals, three threads, bound 1")
        .preemption_bound(1)
        .quiet()
        .must_pass(three_withdrawals_all_paid::<RacyAccount>);
}

#[test]
fn one_critical_section_never_pays_three_withdrawals() {
    Check::new("safe withdrawals, three threads")
        .every_interleaving()
        .quiet()
        .must_pass(three_withdrawals_all_paid::<SafeAccount>);
}

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
    fn total(one: &Self, two: &Self) -> i64 {
        ordered_total(&one.balance, one.id, &two.balance, two.id)
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
        .must_pass(opposite_transfers_in_one_bank::<OneLockBank>);
}

// Every interleaving (5 executions): two threads, two locks each, nothing
// left to bound.
#[test]
fn a_global_lock_order_never_pays_an_uncovered_transfer() {
    Check::new("ordered transfers, one covered")
        .every_interleaving()
        .quiet()
        .must_pass(competing_transfers::<SafeAccount>);
}

/// A wrong fix: takes both locks in the global order (so no deadlock), but
/// checks the balance first, under the paying account's lock alone, and
/// acts on that check after letting the lock go.
struct CheckThenLockBoth {
    id: u32,
    balance: Mutex<i64>,
}

impl BankAccount for CheckThenLockBoth {
    fn open(id: u32, balance: i64) -> Self {
        Self {
            id,
            balance: Mutex::new(balance),
        }
    }
    fn withdraw(&self, _amount: i64) -> bool {
        unreachable!("the transfer models make no withdrawals")
    }
    fn balance(&self) -> i64 {
        *self.balance.lock().unwrap()
    }
}

impl Transfer for CheckThenLockBoth {
    fn transfer(from: &Self, to: &Self, amount: i64) -> bool {
        if *from.balance.lock().unwrap() < amount {
            return false; // checked, and the lock let go: stale from here on
        }
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
        *paying -= amount; // on the strength of a check made before the locks
        *receiving += amount;
        true
    }
    fn is_locked(&self) -> bool {
        self.balance.try_lock().is_err()
    }
    fn total(one: &Self, two: &Self) -> i64 {
        ordered_total(&one.balance, one.id, &two.balance, two.id)
    }
}

#[test]
fn the_covered_transfer_check_cannot_tell_a_check_before_the_locks() {
    // Why `competing_transfers` exists: every transfer here is covered.
    Check::new("check, then lock both; both covered")
        .every_interleaving()
        .quiet()
        .must_pass(opposite_transfers::<CheckThenLockBoth>);
}

#[test]
fn checking_the_balance_before_taking_both_locks_is_found_by_loom() {
    let failure = Check::new("check, then lock both")
        .every_interleaving()
        .quiet()
        .must_fail(competing_transfers::<CheckThenLockBoth>);
    assert_eq!(failure.kind, FailureKind::Panic, "{}", failure.message);
    assert!(
        failure.message.contains("paid: true and true"),
        "{}",
        failure.message
    );
}

#[test]
fn the_competing_transfer_check_fails_on_moving_money_the_wrong_way() {
    // It never checks the balance either: the covered model cannot tell.
    let failure = Check::new("ordered but backwards, one covered")
        .every_interleaving()
        .quiet()
        .must_fail(competing_transfers::<OrderedButBackwards>);
    assert_eq!(failure.kind, FailureKind::Panic, "{}", failure.message);
}

/// Both balances, locked in the global order (the wrong fixes here get
/// their audit right, so that only their transfers are on trial).
fn ordered_total(one: &Mutex<i64>, one_id: u32, two: &Mutex<i64>, two_id: u32) -> i64 {
    let (first, second) = if one_id < two_id {
        (one, two)
    } else {
        (two, one)
    };
    let first = first.lock().unwrap();
    let second = second.lock().unwrap();
    *first + *second
}

// Every interleaving: two threads, two locks each; few executions.
#[test]
fn a_global_lock_order_never_shows_an_auditor_money_in_flight() {
    Check::new("ordered transfers, audited")
        .every_interleaving()
        .quiet()
        .must_pass(transfer_while_auditing::<SafeAccount>);
}

/// A wrong fix for the deadlock: never hold two locks at once. Take the
/// money out under the payer's lock, then put it in under the payee's:
/// no deadlock, right final balances, and in between the money is nowhere.
struct OneLockAtATime {
    id: u32,
    balance: Mutex<i64>,
}

impl BankAccount for OneLockAtATime {
    fn open(id: u32, balance: i64) -> Self {
        Self {
            id,
            balance: Mutex::new(balance),
        }
    }
    fn withdraw(&self, _amount: i64) -> bool {
        unreachable!("the transfer models make no withdrawals")
    }
    fn balance(&self) -> i64 {
        *self.balance.lock().unwrap()
    }
}

impl Transfer for OneLockAtATime {
    fn transfer(from: &Self, to: &Self, amount: i64) -> bool {
        {
            let mut paying = from.balance.lock().unwrap();
            if *paying < amount {
                return false;
            }
            *paying -= amount;
        } // the payer's lock let go: the money is in neither account
        *to.balance.lock().unwrap() += amount;
        true
    }
    fn is_locked(&self) -> bool {
        self.balance.try_lock().is_err()
    }
    fn total(one: &Self, two: &Self) -> i64 {
        ordered_total(&one.balance, one.id, &two.balance, two.id)
    }
}

#[test]
fn the_final_balance_checks_cannot_tell_one_lock_at_a_time() {
    // Why `transfer_while_auditing` exists: final balances are right.
    Check::new("one lock at a time, final balances")
        .every_interleaving()
        .quiet()
        .must_pass(opposite_transfers::<OneLockAtATime>);
    Check::new("one lock at a time, one covered")
        .every_interleaving()
        .quiet()
        .must_pass(competing_transfers::<OneLockAtATime>);
}

#[test]
fn money_in_flight_between_two_critical_sections_is_found_by_loom() {
    let failure = Check::new("one lock at a time")
        .every_interleaving()
        .quiet()
        .must_fail(transfer_while_auditing::<OneLockAtATime>);
    assert!(
        failure.message.contains("counted 190"),
        "{}",
        failure.message
    );
}

/// A wrong one-lock bank: the check and the debit in one critical section,
/// the credit in a second. Its final balances are right; an audit between
/// the two finds the money in neither account.
struct TwoCriticalSections {
    balances: Mutex<Vec<i64>>,
}

impl Bank for TwoCriticalSections {
    fn new(balances: Vec<i64>) -> Self {
        Self {
            balances: Mutex::new(balances),
        }
    }
    fn transfer(&self, from: usize, to: usize, amount: i64) -> bool {
        {
            let mut balances = self.balances.lock().unwrap();
            if balances[from] < amount {
                return false;
            }
            balances[from] -= amount;
        } // the lock let go: the money is in neither account
        self.balances.lock().unwrap()[to] += amount;
        true
    }
    fn balances(&self) -> Vec<i64> {
        self.balances.lock().unwrap().clone()
    }
}

// Every interleaving: two threads, at most three lock acquisitions each.
#[test]
fn a_one_lock_bank_whose_transfer_takes_the_lock_twice_is_found_by_its_audit() {
    let failure = Check::new("one-lock bank, two critical sections")
        .every_interleaving()
        .quiet()
        .must_fail(opposite_transfers_in_one_bank::<TwoCriticalSections>);
    assert!(
        failure.message.contains("counted 190") || failure.message.contains("counted 180"),
        "{}",
        failure.message
    );
}

#[test]
fn real_threads_agree_with_loom() {
    // A short run of each model on real threads (at most 2,000 runs or half
    // a second): a fix that failed there, or an outcome loom never
    // produced, fails this test; the chapter's quotes of the reference run
    // are checked current.
    harness::observe::check_lab("lab-02", lab_02::observed::MODELS);
}
