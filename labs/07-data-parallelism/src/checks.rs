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
