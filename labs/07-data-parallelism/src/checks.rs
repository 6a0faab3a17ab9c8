//! The loom models this lab's code is checked with.
//!
//! Each function here is a loom model: a test hands it to `harness::Check`,
//! which runs it under `loom::model::Builder`, once per class of equivalent
//! interleavings within the check's bound, recording what each thread did.

use crate::Histogram;

// ANCHOR: two_chunks
/// Two threads count the chunks `[0, 1]` and `[0]`: bucket 0 must end with
/// 2, bucket 1 with 1, and every other bucket empty.
pub fn two_chunks(histogram: Histogram) {
    let counts = histogram(vec![vec![0, 1], vec![0]]);
    let (zeros, ones, rest) = (counts[0], counts[1], counts[2..].iter().sum::<u64>());
    assert!(
        (zeros, ones, rest) == (2, 1, 0),
        "counted [0, 1] and [0]: bucket 0 holds {zeros}, bucket 1 holds {ones}: a count was lost"
    );
}
// ANCHOR_END: two_chunks

// ANCHOR: three_chunks_model
/// Three tasks count the chunks `[0]`, `[1]` and `[2]`, and the model asks
/// how bad it gets: it fails only if the total misses two of the three.
pub fn three_chunks_two_missed(histogram: Histogram) {
    let (counted, counts) = chunks_counted_of_three(histogram);
    harness::require!(
        counted > 1,
        "three chunks, and the total {counts:?} holds {counted} of them"
    );
}
// ANCHOR_END: three_chunks_model

/// The same three tasks: the total must hold all three chunks.
pub fn three_chunks(histogram: Histogram) {
    let (counted, counts) = chunks_counted_of_three(histogram);
    assert!(
        counted == 3,
        "three chunks, and the total {counts:?} holds {counted} of them"
    );
}

/// How many of the chunks `[0]`, `[1]` and `[2]` the total holds, recorded
/// as the execution's outcome, and the total.
fn chunks_counted_of_three(histogram: Histogram) -> (usize, Vec<u64>) {
    let counts = histogram(vec![vec![0], vec![1], vec![2]]);
    let counted = counts[..3].iter().filter(|&&count| count == 1).count();
    harness::outcome(format!("{counted} of 3 chunks counted"));
    (counted, counts)
}

/// A parallel maximum: the largest value of all the chunks.
pub type Maximum = fn(chunks: Vec<Vec<u64>>) -> u64;

// ANCHOR: two_maxima
/// Two threads look for the largest of `[7]` and `[5]`: it must be 7.
pub fn two_maxima(maximum: Maximum) {
    let max = maximum(vec![vec![7], vec![5]]);
    assert!(max == 7, "the largest of 7 and 5 came out as {max}");
}

/// The same, with the largest value in the last chunk.
pub fn two_maxima_largest_last(maximum: Maximum) {
    let max = maximum(vec![vec![5], vec![7]]);
    assert!(max == 7, "the largest of 5 and 7 came out as {max}");
}
// ANCHOR_END: two_maxima
