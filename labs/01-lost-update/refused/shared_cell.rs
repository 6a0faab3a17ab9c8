// Refused by the compiler: two threads share a `Cell`, which is not `Sync`.
// A `compile_fail` doctest in `src/lib.rs`; chapter 1 shows it.

// ANCHOR: refused
use std::cell::Cell;
use std::thread;

fn main() {
    let count = Cell::new(0);
    thread::scope(|scope| {
        scope.spawn(|| count.set(count.get() + 1)); // `&Cell` to another thread: refused
        scope.spawn(|| count.set(count.get() + 1));
    });
    println!("{}", count.get());
}
// ANCHOR_END: refused
