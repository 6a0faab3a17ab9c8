// Refused by the compiler: two threads change one variable through `&mut`.
// A `compile_fail` doctest in `src/lib.rs`; chapter 1 shows it.

// ANCHOR: refused
use std::thread;

fn main() {
    let mut count = 0;
    thread::scope(|scope| {
        scope.spawn(|| count += 1);
        scope.spawn(|| count += 1); // a second `&mut count`: refused
    });
    println!("{count}");
}
// ANCHOR_END: refused
