//! The litmus tests under loom: every outcome loom produces, over every
//! interleaving and every store each load may read, of those loom models.

use crate::litmus_tests::{Test, Variant};
use crate::on_loom::litmus::{Locations, outcome, run_thread};
use harness::sync::loom::{Arc, thread};
use std::collections::BTreeSet;
use std::sync::Mutex;

/// What loom produced for one test and variant.
pub struct Explored {
    /// Every outcome of every execution.
    pub outcomes: BTreeSet<Vec<u32>>,
    /// How many executions loom ran.
    pub executions: usize,
}

/// Runs `test` with `variant` under loom, to the test's bound
/// ([`Test::loom_bound`]): thread 0 on loom's main thread, the others spawned.
pub fn explore(test: Test, variant: Variant) -> Explored {
    explore_bounded(test, variant, test.loom_bound())
}

/// Runs `test` with `variant` under loom, with at most `bound` preemptions
/// per execution (`None`: every interleaving).
pub fn explore_bounded(test: Test, variant: Variant, bound: Option<usize>) -> Explored {
    let seen = std::sync::Arc::new(Mutex::new((BTreeSet::new(), 0)));
    let record = std::sync::Arc::clone(&seen);
    let mut builder = loom::model::Builder::new();
    builder.preemption_bound = bound;
    builder.check(move || {
        let at = Arc::new(Locations::new());
        let others: Vec<_> = (1..test.threads())
            .map(|thread| {
                let at = Arc::clone(&at);
                thread::spawn(move || run_thread(test, variant, thread, &at))
            })
            .collect();
        let mut registers = vec![run_thread(test, variant, 0, &at)];
        registers.extend(others.into_iter().map(|t| t.join().unwrap()));
        let outcome = outcome(test, &registers, &at);
        let mut seen = record.lock().unwrap();
        seen.0.insert(outcome[..test.registers().len()].to_vec());
        seen.1 += 1;
    });
    let (outcomes, executions) = std::mem::take(&mut *seen.lock().unwrap());
    Explored {
        outcomes,
        executions,
    }
}
