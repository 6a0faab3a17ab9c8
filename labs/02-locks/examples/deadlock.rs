//! Transfers on real threads: with a global lock order they finish; with
//! the racy order they deadlock, and a watchdog ends the program.
//!
//! `cargo run -p lab-02 --example deadlock --release`

use harness::watchdog::Watchdog;
use lab_02::Transfer;
use lab_02::on_std::fixed::SafeAccount;
use lab_02::on_std::racy::RacyAccount;
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

const TRANSFERS: u32 = 1_000_000;

// ANCHOR: demo
/// Two threads move money back and forth between accounts 1 and 2, in
/// opposite directions, `TRANSFERS` times each.
fn back_and_forth<A: Transfer>(name: &str) {
    let accounts = Arc::new((A::open(1, 1_000), A::open(2, 1_000)));
    // What each thread is doing, for the watchdog to report.
    let doing = Arc::new(Mutex::new([""; 2]));
    let report = {
        let (accounts, doing) = (accounts.clone(), doing.clone());
        move || {
            let doing = doing.lock().unwrap();
            let held = |a: &A| if a.is_locked() { "held" } else { "free" };
            format!(
                "thread A is in {}, thread B is in {}.\n\
                 account 1's lock is {}, account 2's lock is {}.\n\
                 transfer locks the payer's account first, so (by that order, not seen\n\
                 directly) A holds 1 and waits for 2, B holds 2 and waits for 1:\n\
                 neither can go on, a deadlock.",
                doing[0],
                doing[1],
                held(&accounts.0),
                held(&accounts.1)
            )
        }
    };
    let watchdog = Watchdog::start(Duration::from_secs(1), report);
    thread::scope(|scope| {
        for (me, what) in [(0, "transfer(1 → 2)"), (1, "transfer(2 → 1)")] {
            let (accounts, doing, watchdog) = (&accounts, &doing, &watchdog);
            scope.spawn(move || {
                doing.lock().unwrap()[me] = what;
                let (from, to) = if me == 0 {
                    (&accounts.0, &accounts.1)
                } else {
                    (&accounts.1, &accounts.0)
                };
                for _ in 0..TRANSFERS {
                    A::transfer(from, to, 1);
                    watchdog.beat();
                }
            });
        }
    });
    let total = accounts.0.balance() + accounts.1.balance();
    println!(
        "{name:<28} {} transfers done; the bank holds {total}",
        2 * TRANSFERS
    );
}

fn main() {
    if std::env::args().len() > 1 {
        eprintln!(
            "usage: cargo run -p lab-02 --example deadlock --release (it takes no arguments)"
        );
        std::process::exit(2);
    }
    back_and_forth::<SafeAccount>("ordered locks (SafeAccount)");
    println!("racy order (RacyAccount)     running...");
    back_and_forth::<RacyAccount>("racy order (RacyAccount)");
    println!("(the racy order got lucky this time: run it again)");
}
// ANCHOR_END: demo
