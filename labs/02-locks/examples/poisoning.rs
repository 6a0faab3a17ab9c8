//! What happens to a `Mutex` when a thread panics while holding it.
//!
//! `cargo run -p lab-02 --example poisoning`

use std::sync::Mutex;
use std::thread;

// ANCHOR: demo
fn main() {
    // Keep the demo's output to one line per panic, without a backtrace.
    std::panic::set_hook(Box::new(|info| {
        eprintln!("(a thread panicked: {})", payload(info))
    }));

    let balance = Mutex::new(100);
    thread::scope(|scope| {
        let transfer = scope.spawn(|| {
            let mut balance = balance.lock().unwrap();
            *balance -= 80; // half of a transfer...
            panic!("the network went down mid-transfer"); // ...and never the other half
        });
        assert!(transfer.join().is_err(), "the transfer panicked");
    });

    // The guard was dropped while unwinding, so the lock is free, but std
    // marks it poisoned: the data may be half-updated.
    match balance.lock() {
        Ok(_) => unreachable!("a panic while locked poisons the mutex"),
        Err(poisoned) => {
            println!("lock() returned Err: the mutex is poisoned");
            let guard = poisoned.into_inner(); // the data is still there...
            println!("the balance the panic left behind: {}", *guard);
            // ...and whether it can be trusted is the program's call.
        }
    }
    balance.clear_poison();
    println!(
        "after clear_poison(), lock() is Ok again: {}",
        balance.lock().is_ok()
    );
}
// ANCHOR_END: demo

fn payload(info: &std::panic::PanicHookInfo) -> String {
    let payload = info.payload();
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_default()
}
