//! The capstone's race on real threads: two threads submit jobs through a
//! gate while the main thread closes it and drains it, as `compare` does
//! between two rows. A job that starts after the drain returned is a job
//! of one row running in the next. Counted over many rounds, for the racy
//! gate and for both fixes.
//!
//! `cargo run -p lab-13 --example drain --release`

use lab_13::Gate;
use lab_13::on_std::fixed::{OneLock, OneWord};
use lab_13::on_std::racy::CheckThenCount;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::thread;
use std::time::{Duration, Instant};

/// Runs rounds for `budget`; returns (rounds, jobs that started after the
/// drain had returned).
fn late_jobs<G: Gate>(budget: Duration) -> (u64, u64) {
    let (mut rounds, mut late) = (0, 0);
    let start = Instant::now();
    while start.elapsed() < budget {
        rounds += 1;
        let gate = Arc::new(G::new());
        let drained = Arc::new(AtomicBool::new(false));
        let late_here = Arc::new(AtomicU64::new(0));
        let submitters: Vec<_> = (0..2)
            .map(|_| {
                let (gate, drained, late_here) = (
                    Arc::clone(&gate),
                    Arc::clone(&drained),
                    Arc::clone(&late_here),
                );
                thread::spawn(move || {
                    while gate.enter() {
                        if drained.load(Ordering::SeqCst) {
                            late_here.fetch_add(1, Ordering::SeqCst);
                        }
                        gate.leave();
                    }
                })
            })
            .collect();
        thread::yield_now(); // let the submitters get going
        gate.close_and_drain();
        drained.store(true, Ordering::SeqCst);
        for submitter in submitters {
            submitter.join().expect("a submitter panicked");
        }
        late += late_here.load(Ordering::SeqCst);
    }
    (rounds, late)
}

fn main() {
    println!("two submitters, one drain, for 3 s per gate:\n");
    let budget = Duration::from_secs(3);
    for (name, (rounds, late)) in [
        (
            "check, then count (racy)",
            late_jobs::<CheckThenCount>(budget),
        ),
        ("one word (fixed)", late_jobs::<OneWord>(budget)),
        ("one lock (fixed)", late_jobs::<OneLock>(budget)),
    ] {
        println!("{name:<26} {rounds:>7} rounds, {late:>4} jobs started after the drain");
    }
    println!(
        "\nA racy count of 0 would be luck, not proof: the race needs one interleaving.\n\
         `cargo test -p lab-13 --test loom` finds it every time."
    );
}
