//! Dining philosophers: `n` philosophers round a table, one fork between
//! each two. Each takes two forks to eat. Taken left first by all, every
//! philosopher can hold a left fork and wait for ever for the right one.

use super::model::sync::{Arc, Mutex};
use super::model::thread;
use crate::Order;

// ANCHOR: dinner
/// `n` philosophers eat once each: the model's main thread is philosopher
/// 0, and each other philosopher is a spawned thread.
pub fn dinner(n: usize, order: Order) {
    let forks: Arc<Vec<Mutex<()>>> = Arc::new((0..n).map(|_| Mutex::new(())).collect());
    let guests: Vec<_> = (1..n)
        .map(|seat| {
            let forks = Arc::clone(&forks);
            thread::spawn(move || eat(&forks, seat, order))
        })
        .collect();
    eat(&forks, 0, order);
    for guest in guests {
        guest.join().unwrap();
    }
}

fn eat(forks: &[Mutex<()>], seat: usize, order: Order) {
    let (left, right) = (seat, (seat + 1) % forks.len());
    let (first, second) = match order {
        Order::LeftFirst => (left, right),
        Order::LowerFirst => (left.min(right), left.max(right)),
    };
    let _first = forks[first].lock().unwrap();
    let _second = forks[second].lock().unwrap();
}
// ANCHOR_END: dinner
