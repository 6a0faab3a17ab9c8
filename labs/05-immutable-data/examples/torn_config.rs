//! Half-updated configurations on real threads: an updater switches the
//! service between two databases while a reader reads, with the two-lock
//! store and with snapshots.
//!
//! `cargo run -p lab-05 --example torn_config --release`

use lab_05::on_std::fixed::SnapshotStore;
use lab_05::on_std::racy::TwoLocksStore;
use lab_05::{Config, ConfigStore};
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;

const READS: u32 = 1_000_000;

// ANCHOR: demo
/// Reads the configuration `READS` times while another thread switches it
/// back and forth; counts the reads that were neither configuration.
fn torn_reads<S: ConfigStore>() -> u32 {
    let store = S::new(Config::primary());
    let done = AtomicBool::new(false);
    thread::scope(|scope| {
        scope.spawn(|| {
            for round in 0.. {
                if done.load(Ordering::Relaxed) {
                    break;
                }
                let next = if round % 2 == 0 {
                    Config::replica()
                } else {
                    Config::primary()
                };
                store.update(next);
            }
        });
        let torn = (0..READS)
            .filter(|_| {
                let read = store.read();
                *read != Config::primary() && *read != Config::replica()
            })
            .count();
        done.store(true, Ordering::Relaxed);
        torn as u32
    })
}

fn main() {
    println!("{READS} reads while another thread switches db-a:5432 and db-b:6432:");
    println!(
        "  two locks: {:>7} half-updated",
        torn_reads::<TwoLocksStore>()
    );
    println!(
        "  snapshots: {:>7} half-updated",
        torn_reads::<SnapshotStore>()
    );
}
// ANCHOR_END: demo
