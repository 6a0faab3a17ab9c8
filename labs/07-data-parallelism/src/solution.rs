//! The exercise's reference solution. Try `exercise.rs` first!

use super::sync::thread;

// ANCHOR: solution
/// The largest value of all the chunks: each thread finds the largest of
/// its own chunk (fold), and the threads' answers are compared at the end
/// (reduce). Nothing is shared while they work. (`fetch_max` on one shared
/// atomic is correct too, and makes every thread write the same cache line.)
pub fn parallel_max(chunks: Vec<Vec<u64>>) -> u64 {
    let threads: Vec<_> = chunks
        .into_iter()
        .map(|chunk| thread::spawn(move || chunk.into_iter().max().unwrap_or(0)))
        .collect();
    threads
        .into_iter()
        .map(|t| t.join().unwrap())
        .max()
        .unwrap_or(0)
}
// ANCHOR_END: solution
