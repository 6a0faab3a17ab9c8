//! The queues on real threads: the fixed one delivers every item; the `if`
//! one can hand a consumer an empty queue; the notify-first one can lose a
//! wakeup and hang. A watchdog ends a run that stops making progress.
//!
//! `cargo run -p lab-03 --example queues --release -- [fixed|if|notify-first]`

use clap::{Parser, ValueEnum};
use harness::watchdog::Watchdog;
use lab_03::Queue;
use lab_03::on_std::fixed::BoundedQueue;
use lab_03::on_std::racy::{IfQueue, NotifyFirstQueue};
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::thread;
use std::time::Duration;

const ROUNDS: u32 = 2_000;
const ITEMS: u32 = 50;

#[derive(Clone, Copy, ValueEnum)]
enum Which {
    /// `BoundedQueue`: `while`, and notify after the change.
    Fixed,
    /// `IfQueue`: `if` instead of `while`.
    If,
    /// `NotifyFirstQueue`: notify before the change.
    NotifyFirst,
}

#[derive(Parser)]
#[command(about = "Two consumers and one producer share a queue of one slot, round after round.")]
struct Args {
    /// Which queue to run.
    #[arg(value_enum, default_value = "fixed")]
    queue: Which,
}

/// How far the current round got, for the watchdog's report.
#[derive(Default)]
struct Progress {
    round: AtomicU32,
    pushed: AtomicU32,
    popped: [AtomicU32; 2],
}

// ANCHOR: demo
/// Round after round, two consumers each pop `ITEMS` items from a queue of
/// one slot, into which this thread pushes `2 * ITEMS`.
fn run<Q: Queue>(progress: &Arc<Progress>, watchdog: &Watchdog) {
    for round in 0..ROUNDS {
        progress.round.store(round, Ordering::Relaxed);
        let queue = Arc::new(Q::with_capacity(1));
        let consumers: Vec<_> = (0..2)
            .map(|me| {
                let (queue, progress) = (queue.clone(), progress.clone());
                thread::spawn(move || {
                    for popped in 1..=ITEMS {
                        queue.pop();
                        progress.popped[me].store(popped, Ordering::Relaxed);
                    }
                })
            })
            .collect();
        for item in 0..2 * ITEMS {
            queue.push(item);
            progress.pushed.store(item + 1, Ordering::Relaxed);
            watchdog.beat();
        }
        for consumer in consumers {
            if consumer.join().is_err() {
                eprintln!("round {round}: a consumer died (see above); stopping.");
                std::process::exit(1);
            }
        }
    }
}
// ANCHOR_END: demo

fn main() {
    let Args { queue } = Args::parse();
    // A consumer's panic is part of the demo: one line, no backtrace.
    std::panic::set_hook(Box::new(|info| {
        let payload = info.payload();
        let message = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        let who = thread::current().name().unwrap_or("a consumer").to_string();
        eprintln!("{who} panicked: {message}");
    }));
    let progress = Arc::new(Progress::default());
    let report = {
        let progress = progress.clone();
        move || {
            let load = |n: &AtomicU32| n.load(Ordering::Relaxed);
            format!(
                "round {}: main has pushed {} of {} items; the consumers have popped {} and {} of {} each.\n\
                 Someone is asleep who should not be: a wakeup was lost, or a consumer died\n\
                 and main waits for room that no one will make.",
                load(&progress.round),
                load(&progress.pushed),
                2 * ITEMS,
                load(&progress.popped[0]),
                load(&progress.popped[1]),
                ITEMS
            )
        }
    };
    let watchdog = Watchdog::start(Duration::from_secs(1), report);
    let ran = std::panic::catch_unwind(|| match queue {
        Which::Fixed => run::<BoundedQueue>(&progress, &watchdog),
        Which::If => run::<IfQueue>(&progress, &watchdog),
        Which::NotifyFirst => run::<NotifyFirstQueue>(&progress, &watchdog),
    });
    if ran.is_err() {
        eprintln!(
            "round {}: a thread panicked while holding the queue's lock, which poisons it\n\
             (chapter 2), so the next thread to lock it panicked too. Stopping.",
            progress.round.load(Ordering::Relaxed)
        );
        std::process::exit(1);
    }
    println!(
        "{ROUNDS} rounds, {} items, every one delivered. (For a racy queue: no failure this time; \
         the window is narrow. Loom shows it is there.)",
        ROUNDS * 2 * ITEMS
    );
}
