//! Shuttle finds the planted deadlock within a stated budget, from a fixed
//! seed, and the fix passes the same budget; loom proves the fix where it
//! can finish, and stops without a word where it cannot.
//!
//! Deterministic: a seeded scheduler (`PctScheduler::new_from_seed`,
//! `RandomScheduler::new_from_seed`) draws the same schedules on every run,
//! so the first failing schedule is the same one each time; loom explores
//! in a fixed order, so its counts are the same each time. Unless
//! `SHUTTLE_RANDOM_SEED` is set, which replaces any seed: the tests refuse
//! to run then.

use shuttle_vs_loom::{Found, Order, Scheduler, loom_run, shuttle_run};
use std::time::Duration;

/// Schedules each shuttle check may try. With the seeds below, the first
/// deadlock is found well inside it (schedule 1,019 for PCT and 522 for
/// the random scheduler, with shuttle 0.9.10), and the fix passes all of
/// it. Each check runs in about a second.
const BUDGET: usize = 2_000;

const SEED: u64 = 1;

fn no_seed_from_the_environment() {
    assert!(
        std::env::var_os("SHUTTLE_RANDOM_SEED").is_none(),
        "SHUTTLE_RANDOM_SEED replaces every seed: unset it to run these checks"
    );
}

// ANCHOR: shuttle
#[test]
fn pct_finds_five_philosophers_deadlock_within_the_budget_and_passes_the_fix() {
    no_seed_from_the_environment();
    let pct = Scheduler::Pct { depth: 5 };
    let found = shuttle_run(5, Order::LeftFirst, pct, SEED, BUDGET, || {});
    assert!(
        matches!(found, Found::FailedAt(n) if n <= BUDGET),
        "PCT did not find the deadlock in {BUDGET} schedules: {found:?}"
    );
    let fixed = shuttle_run(5, Order::LowerFirst, pct, SEED, BUDGET, || {});
    assert_eq!(fixed, Found::Passed(BUDGET));
}

#[test]
fn random_schedules_find_eight_philosophers_deadlock_and_pass_the_fix() {
    no_seed_from_the_environment();
    let random = Scheduler::Random;
    let found = shuttle_run(8, Order::LeftFirst, random, SEED, BUDGET, || {});
    assert!(
        matches!(found, Found::FailedAt(n) if n <= BUDGET),
        "random schedules did not find the deadlock in {BUDGET}: {found:?}"
    );
    let fixed = shuttle_run(8, Order::LowerFirst, random, SEED, BUDGET, || {});
    assert_eq!(fixed, Found::Passed(BUDGET));
}
// ANCHOR_END: shuttle

/// Every execution of three philosophers, with any number of preemptions:
/// 230 of them, none deadlocks. (The budget only ends a hang.)
#[test]
fn loom_proves_three_philosophers_fix_in_230_executions() {
    let explored = loom_run(3, Order::LowerFirst, None, Duration::from_secs(600), || {});
    assert!(explored.finished, "{explored:?}");
    assert_eq!(explored.executions, 230);
}

/// Past its time budget loom returns as if every execution had passed.
/// It looks at the clock before each 100th execution (the interval
/// `loom_run` sets): with no time at all, it runs 99 of four
/// philosophers' 35,931 executions, and `loom_run` says it did not finish.
#[test]
fn loom_out_of_time_returns_quietly_and_is_reported_unfinished() {
    let explored = loom_run(4, Order::LowerFirst, None, Duration::ZERO, || {});
    assert_eq!(explored.executions, 99);
    assert!(!explored.finished);
}

/// A bound too small misses the bug: with at most 1 preemption, loom runs
/// all 12 executions of three philosophers taking the left fork first,
/// and none deadlocks (a deadlock would abort this test). The deadlock
/// needs more preemptions than that; the tool finds it at a bound of 2.
#[test]
fn one_preemption_is_too_few_for_loom_to_find_three_philosophers_deadlock() {
    let explored = loom_run(
        3,
        Order::LeftFirst,
        Some(1),
        Duration::from_secs(600),
        || {},
    );
    assert!(explored.finished, "{explored:?}");
    assert_eq!(explored.executions, 12);
}
