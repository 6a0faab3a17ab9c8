//! The real parallel code the chapter shows and the benchmark times
//! computes what the sequential code does, on any number of threads.

use lab_07::work::{
    cpu_bound_on, heavy, join_sum, mutex_bound_on, rayon_histogram, sequential_histogram,
    spin_bound_on,
};

const VALUES: u64 = 20_000;

#[test]
fn rayon_counts_what_the_sequential_loop_counts() {
    let values: Vec<u64> = (0..VALUES).collect();
    assert_eq!(rayon_histogram(&values), sequential_histogram(&values));
}

#[test]
fn join_sums_what_the_sequential_loop_sums() {
    // Empty, one value, just under, at and over the size join_sum stops
    // splitting at (1,024), and many: each path through it.
    for len in [0, 1, 1_023, 1_024, 1_025, VALUES] {
        let values: Vec<u64> = (0..len).collect();
        let expected = values.iter().map(|&v| heavy(v)).fold(0, u64::wrapping_add);
        assert_eq!(join_sum(&values), expected, "{len} values");
    }
}

#[test]
fn every_workload_gives_the_same_answer_on_any_number_of_threads() {
    let expected = (0..VALUES).map(heavy).fold(0, u64::wrapping_add);
    for threads in [1, 2, 7, 64] {
        assert_eq!(
            cpu_bound_on(threads, VALUES).0,
            expected,
            "cpu-bound on {threads}"
        );
        assert_eq!(
            mutex_bound_on(threads, VALUES).0,
            expected,
            "Mutex-bound on {threads}"
        );
        assert_eq!(
            spin_bound_on(threads, VALUES).0,
            expected,
            "spin-lock-bound on {threads}"
        );
    }
}
