//! The loom models this lab's code is checked with.
//!
//! Each function here is a loom model: a test hands it to `harness::Check`,
//! which runs it under `loom::model::Builder`, once per class of equivalent
//! interleavings within the check's bound, recording what each thread did.

use super::sync::{Arc, thread};
use crate::{Bank, BankAccount, Booking, Transfer};

// ANCHOR: withdrawals
/// Two threads each withdraw 80 from an account holding 100. Exactly one
/// is paid, and 20 is left: never a negative balance. Then the 20 left
/// must come out, to the last unit: a check written `<=` refuses it.
pub fn two_withdrawals<A: BankAccount>() {
    let account = Arc::new(A::open(1, 100));
    let other = Arc::clone(&account);
    let spawned = thread::spawn(move || other.withdraw(80));
    let mine = account.withdraw(80);
    let theirs = spawned.join().unwrap();
    let balance = account.balance();
    assert!(
        balance >= 0,
        "two withdrawals of 80 from 100 left a balance of {balance}: overdrawn"
    );
    assert!(
        mine != theirs,
        "of two withdrawals of 80 from 100, paid: {mine} and {theirs}"
    );
    assert!(
        balance == 20,
        "one withdrawal of 80 from 100 was paid, but the balance is {balance}"
    );
    let emptied = account.withdraw(20);
    assert!(
        emptied,
        "the account holds 20, but a withdrawal of 20 was refused"
    );
}
// ANCHOR_END: withdrawals

// ANCHOR: three_withdrawals
/// Three threads each withdraw 60 from an account holding 100: one can be
/// paid. Asking how bad it gets, the model fails only if all three are.
pub fn three_withdrawals_all_paid<A: BankAccount>() {
    let account = Arc::new(A::open(1, 100));
    let spawned: Vec<_> = (0..2)
        .map(|_| {
            let account = Arc::clone(&account);
            thread::spawn(move || account.withdraw(60))
        })
        .collect();
    let mut paid = u32::from(account.withdraw(60));
    for thread in spawned {
        paid += u32::from(thread.join().unwrap());
    }
    let balance = account.balance();
    harness::outcome(format!("{paid} paid, balance {balance}"));
    harness::require!(
        paid < 3,
        "three withdrawals of 60 from 100 were all paid: the balance is {balance}"
    );
}
// ANCHOR_END: three_withdrawals

// ANCHOR: transfers
/// Two threads transfer between the same two accounts, in opposite
/// directions: 10 from account 1 to 2, and 20 from 2 to 1. Both must
/// finish, each paid in full, the right way round.
pub fn opposite_transfers<A: Transfer>() {
    let one = Arc::new(A::open(1, 100));
    let two = Arc::new(A::open(2, 100));
    let (one_again, two_again) = (Arc::clone(&one), Arc::clone(&two));
    let spawned = thread::spawn(move || A::transfer(&one_again, &two_again, 10));
    let paid = A::transfer(&two, &one, 20);
    let also_paid = spawned.join().unwrap();
    let balances = (one.balance(), two.balance());
    assert!(
        paid && also_paid,
        "both transfers are covered, but paid: {paid} and {also_paid}"
    );
    assert!(
        balances == (110, 90),
        "after 10 from 1 to 2 and 20 from 2 to 1: {balances:?}"
    );
}
// ANCHOR_END: transfers

/// The same two transfers in a bank with one lock for every account,
/// audited while the other transfer may be under way: the audit must
/// count all 200 (a transfer split over two critical sections would show
/// the money in neither account). Then account 1 (holding 90) is asked
/// for 91, which it must refuse, and for 90, which it must pay: the check
/// covers exactly what is there.
pub fn opposite_transfers_in_one_bank<B: Bank>() {
    let bank = Arc::new(B::new(vec![100, 100]));
    let other = Arc::clone(&bank);
    let spawned = thread::spawn(move || other.transfer(0, 1, 10));
    let paid = bank.transfer(1, 0, 20);
    let total: i64 = bank.balances().iter().sum();
    assert!(
        total == 200,
        "an auditor counted {total} in a bank holding 200"
    );
    let also_paid = spawned.join().unwrap();
    let balances = bank.balances();
    assert!(
        paid && also_paid,
        "both transfers are covered, but paid: {paid} and {also_paid}"
    );
    assert!(
        balances == [110, 90],
        "after 10 from 0 to 1 and 20 from 1 to 0: {balances:?}"
    );
    let overdraft = bank.transfer(1, 0, 91);
    let everything = bank.transfer(1, 0, 90);
    assert!(
        !overdraft && everything && bank.balances() == [200, 0],
        "account 1 held 90: 91 paid: {overdraft}, then 90 paid: {everything}, \
         leaving {:?}",
        bank.balances()
    );
}

// ANCHOR: booking
/// Two people book seat 7 at once. Exactly one is told it is theirs, and
/// the seat's holder is that person.
pub fn two_bookings<S: Booking>() {
    let seats = Arc::new(S::new());
    let other = Arc::clone(&seats);
    let spawned = thread::spawn(move || other.book(7, "Ben"));
    let ana = seats.book(7, "Ana");
    let ben = spawned.join().unwrap();
    let holder = seats.holder(7);
    assert!(
        ana != ben,
        "Ana was told {ana} and Ben {ben}: exactly one must have seat 7"
    );
    let winner = if ana { "Ana" } else { "Ben" };
    assert!(
        holder == Some(winner),
        "{winner} was told seat 7 is theirs, but it is {holder:?}'s"
    );
}
// ANCHOR_END: booking

// ANCHOR: competing_transfers
/// Two threads each transfer 80 from account 1, which holds 100, to
/// account 2. Only one is covered: exactly one is paid, and the balances
/// are 20 and 80. (In [`opposite_transfers`] every transfer is covered, so
/// a transfer that checks the balance outside its critical section, or not
/// at all, passes it.) Then the 20 left must move, to the last unit.
pub fn competing_transfers<A: Transfer>() {
    let one = Arc::new(A::open(1, 100));
    let two = Arc::new(A::open(2, 0));
    let (one_again, two_again) = (Arc::clone(&one), Arc::clone(&two));
    let spawned = thread::spawn(move || A::transfer(&one_again, &two_again, 80));
    let mine = A::transfer(&one, &two, 80);
    let theirs = spawned.join().unwrap();
    let balances = (one.balance(), two.balance());
    assert!(
        mine != theirs,
        "of two transfers of 80 from 100, paid: {mine} and {theirs}"
    );
    assert!(
        balances == (20, 80),
        "after one transfer of 80 from 1 (holding 100) to 2 (holding 0): {balances:?}"
    );
    let emptied = A::transfer(&one, &two, 20);
    assert!(
        emptied,
        "account 1 holds 20, but a transfer of 20 was refused"
    );
}
// ANCHOR_END: competing_transfers

// ANCHOR: audit
/// A thread transfers 10 from account 1 to account 2 while main audits
/// the two: the audit must count all 200, and the transfer must land. The
/// other models check only final balances, so money missing between two
/// critical sections, and back by the end, passes them.
pub fn transfer_while_auditing<A: Transfer>() {
    let one = Arc::new(A::open(1, 100));
    let two = Arc::new(A::open(2, 100));
    let (one_again, two_again) = (Arc::clone(&one), Arc::clone(&two));
    let spawned = thread::spawn(move || A::transfer(&one_again, &two_again, 10));
    let total = A::total(&one, &two);
    let paid = spawned.join().unwrap();
    assert!(
        total == 200,
        "an auditor counted {total} in two accounts holding 200 between them"
    );
    let balances = (one.balance(), two.balance());
    assert!(
        paid && balances == (90, 110),
        "after 10 from 1 to 2 (paid: {paid}): {balances:?}"
    );
}
// ANCHOR_END: audit
