//! The loom models this lab's queues are checked with.
//!
//! Each function here is a loom model: a test hands it to `harness::Check`,
//! which runs it under `loom::model::Builder`, once per class of equivalent
//! interleavings within the check's bound, recording what each thread did.

use super::sync::{Arc, thread};
use crate::Queue;

// ANCHOR: two_consumers
/// Two consumers each pop one item from a queue of one slot, into which
/// main pushes two. Each item must reach exactly one consumer.
pub fn two_consumers<Q: Queue>() {
    let queue = Arc::new(Q::with_capacity(1));
    let consumers: Vec<_> = (0..2)
        .map(|_| {
            let queue = Arc::clone(&queue);
            thread::spawn(move || queue.pop())
        })
        .collect();
    queue.push(1);
    queue.push(2);
    let mut popped: Vec<u32> = consumers.into_iter().map(|c| c.join().unwrap()).collect();
    popped.sort();
    assert!(
        popped == [1, 2],
        "pushed 1 and 2, but the consumers popped {popped:?}"
    );
}
// ANCHOR_END: two_consumers

// ANCHOR: two_producers
/// Two producers push into a queue of one slot (main pushes 1 and 2, a
/// spawned thread 3) while a consumer pops all three. The queue must never
/// hold more than its one slot, and every item must arrive.
pub fn two_producers<Q: Queue>() {
    let queue = Arc::new(Q::with_capacity(1));
    let consumer = {
        let queue = Arc::clone(&queue);
        thread::spawn(move || [queue.pop(), queue.pop(), queue.pop()])
    };
    let producer = {
        let queue = Arc::clone(&queue);
        thread::spawn(move || {
            queue.push(3);
            let held = queue.len();
            assert!(held <= 1, "a queue of one slot holds {held} items");
        })
    };
    for item in [1, 2] {
        queue.push(item);
        let held = queue.len();
        assert!(held <= 1, "a queue of one slot holds {held} items");
    }
    producer.join().unwrap();
    let mut popped = consumer.join().unwrap();
    popped.sort();
    assert!(
        popped == [1, 2, 3],
        "pushed 1, 2 and 3, but the consumer popped {popped:?}"
    );
}
// ANCHOR_END: two_producers

// ANCHOR: one_item
/// One consumer pops the one item main pushes. It must get it, and not
/// sleep forever.
pub fn one_item<Q: Queue>() {
    let queue = Arc::new(Q::with_capacity(1));
    let other = Arc::clone(&queue);
    let consumer = thread::spawn(move || other.pop());
    queue.push(7);
    let popped = consumer.join().unwrap();
    assert!(popped == 7, "pushed 7, but the consumer popped {popped}");
}
// ANCHOR_END: one_item

// ANCHOR: two_slots
/// Two consumers each pop one item from a queue of two slots, into which
/// main pushes two. With two slots, main's second push finds the queue
/// not empty: a `push` that notifies only on the empty-to-non-empty
/// transition wakes one of two sleeping consumers, and the other sleeps
/// for ever beside an item. (With one slot every push is that transition,
/// so the models above cannot tell.)
pub fn two_consumers_two_slots<Q: Queue>() {
    let queue = Arc::new(Q::with_capacity(2));
    let consumers: Vec<_> = (0..2)
        .map(|_| {
            let queue = Arc::clone(&queue);
            thread::spawn(move || queue.pop())
        })
        .collect();
    queue.push(1);
    queue.push(2);
    let mut popped: Vec<u32> = consumers.into_iter().map(|c| c.join().unwrap()).collect();
    popped.sort();
    assert!(
        popped == [1, 2],
        "pushed 1 and 2, but the consumers popped {popped:?}"
    );
    assert!(
        queue.is_empty(),
        "both items were popped, yet the queue holds some"
    );
}

/// Main fills a queue of two slots, two producers each push one more item
/// (so both wait for room), and main pops all four. Main's second pop
/// finds the queue not full: a `pop` that notifies only on the
/// full-to-not-full transition wakes one of two sleeping producers, and
/// the other sleeps for ever while main waits for its item.
pub fn two_producers_two_slots<Q: Queue>() {
    let queue = Arc::new(Q::with_capacity(2));
    queue.push(1);
    queue.push(2);
    let producers: Vec<_> = [3, 4]
        .into_iter()
        .map(|item| {
            let queue = Arc::clone(&queue);
            thread::spawn(move || queue.push(item))
        })
        .collect();
    let mut popped: Vec<u32> = (0..4).map(|_| queue.pop()).collect();
    for producer in producers {
        producer.join().unwrap();
    }
    popped.sort();
    assert!(
        popped == [1, 2, 3, 4],
        "pushed 1, 2, 3 and 4, but main popped {popped:?}"
    );
    assert!(
        queue.is_empty(),
        "all four items were popped, yet the queue holds some"
    );
}
// ANCHOR_END: two_slots

/// One thread pushes an item into a queue of one slot and pops it,
/// asking its length after each: 1, then 0. The models above only bound
/// the length (`<= 1`), which a `len` that always says 0 passes. One
/// thread, so one execution: this checks the count, not a race.
pub fn len_counts_what_it_holds<Q: Queue>() {
    let queue = Q::with_capacity(1);
    queue.push(1);
    let full = queue.len();
    let popped = queue.pop();
    let empty = queue.len();
    assert!(
        (full, empty) == (1, 0) && popped == 1,
        "pushed 1 and popped {popped}; the length was {full}, then {empty}"
    );
}
