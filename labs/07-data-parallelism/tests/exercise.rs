//! The exercise: make `src/exercise.rs` correct, then check it with
//! `cargo xtask exercise 07` (it runs the ignored test below).

use harness::exercise::Exercise;
use harness::sync::loom::atomic::{AtomicU64, Ordering};
use harness::sync::loom::{Arc, thread};
use lab_07::checks::{two_maxima, two_maxima_largest_last};
use lab_07::on_loom::{exercise, solution};

/// The exercise's check: the largest of `[7]` and `[5]`, then of `[5]` and
/// `[7]`, every interleaving.
fn exercise() -> Exercise {
    Exercise::new("src/exercise.rs", 0x76c742cf3b1ce0bf)
}

#[test]
#[ignore = "the exercise: run `cargo xtask exercise 07` to check your fix"]
fn your_maximum_is_always_the_largest_value() {
    exercise().check_answer(|| two_maxima(exercise::parallel_max));
    exercise().check_answer(|| two_maxima_largest_last(exercise::parallel_max));
}

#[test]
fn the_starter_fails_the_exercise_check() {
    exercise().prove_starter_fails(|| two_maxima(exercise::parallel_max));
}

#[test]
fn the_reference_solution_passes_the_exercise_check() {
    exercise().prove_solution_passes(two_maxima_of_the_solution);
    exercise().prove_solution_passes(two_maxima_largest_last_of_the_solution);
}

/// A plausible wrong answer: `compare_exchange` once, without a retry.
fn max_without_retry(chunks: Vec<Vec<u64>>) -> u64 {
    let max = Arc::new(AtomicU64::new(0));
    let threads: Vec<_> = chunks
        .into_iter()
        .map(|chunk| {
            let max = Arc::clone(&max);
            thread::spawn(move || {
                for value in chunk {
                    let seen = max.load(Ordering::Relaxed);
                    if value > seen {
                        let _ =
                            max.compare_exchange(seen, value, Ordering::Relaxed, Ordering::Relaxed);
                    }
                }
            })
        })
        .collect();
    for thread in threads {
        thread.join().unwrap();
    }
    max.load(Ordering::Relaxed)
}

#[test]
fn the_exercise_check_fails_a_compare_exchange_without_retry() {
    exercise().prove_wrong_answer_fails("compare_exchange once", || two_maxima(max_without_retry));
}

/// A plausible wrong answer: fold and reduce, but the reduce forgets the
/// last thread's result.
fn max_forgetting_the_last(chunks: Vec<Vec<u64>>) -> u64 {
    let threads: Vec<_> = chunks
        .into_iter()
        .map(|chunk| thread::spawn(move || chunk.into_iter().max().unwrap_or(0)))
        .collect();
    let last = threads.len() - 1;
    threads
        .into_iter()
        .take(last)
        .map(|t| t.join().unwrap())
        .max()
        .unwrap_or(0)
}

#[test]
fn the_exercise_check_fails_a_reduce_that_forgets_a_thread() {
    exercise().prove_wrong_answer_fails("forgets the last thread", || {
        two_maxima_largest_last(max_forgetting_the_last)
    });
}

// Named functions, not closures: each proof of the solution is then
// recorded under its own title (`the reference solution, <function>`).
fn two_maxima_of_the_solution() {
    two_maxima(solution::parallel_max);
}

fn two_maxima_largest_last_of_the_solution() {
    two_maxima_largest_last(solution::parallel_max);
}
