//! The loom models: a pool's supervisor and a worker as loom threads, with
//! the worker's death injected at any point of the run; and two processes
//! racing for a lock file on a modelled file system.
//!
//! Each function here is a loom model: a test hands it to `harness::Check`,
//! which runs it under `loom::model::Builder`, once per class of equivalent
//! interleavings within the check's bound, recording what each thread did.

use crate::fs::{Fs, ModelFs};
use crate::{Bookkeeping, JobId};
use harness::sync::loom::{Arc, Mutex, Named, thread};
use std::io;

// ANCHOR: kill_model
/// Jobs 1 and 2. The supervisor hands job 1 to worker 1, which runs it and
/// reports it, unless it is killed first. At any moment the supervisor
/// kills worker 1 and declares it dead, then runs whatever is left as
/// worker 2. Every job must be finished exactly once.
pub fn kill_a_worker<B: Bookkeeping>() {
    thread::name_current("supervisor");
    let book = Arc::new(B::new(&[1, 2]));
    let killed = Arc::new(Mutex::new(false).named("killed"));
    let job = book.take(1).expect("two jobs are queued");
    let worker = {
        let (book, killed) = (Arc::clone(&book), Arc::clone(&killed));
        thread::spawn(move || {
            thread::name_current("worker 1");
            // The job runs here. Killed before it writes its report, the
            // worker reports nothing; a report it wrote just before the
            // kill is already in the pipe, and reaches the supervisor late.
            let alive = !*killed.lock().unwrap();
            if alive {
                book.finish(1, job);
            }
        })
    };
    *killed.lock().unwrap() = true; // kill -9 worker 1
    book.worker_died(1);
    while let Some(job) = book.take(2) {
        book.finish(2, job); // worker 2, the replacement, runs what is left
    }
    worker.join().unwrap();
    let mut finished: Vec<JobId> = book.finished();
    finished.sort();
    assert!(
        finished == [1, 2],
        "jobs 1 and 2 were run; the jobs finished are {finished:?}"
    );
}
// ANCHOR_END: kill_model

/// How a process takes a lock file: the exercise's `try_lock`.
pub type TryLock = fn(&ModelFs, &str, &str) -> io::Result<bool>;

// ANCHOR: lock_model
/// Two processes race to take the lock file `app.lock`: exactly one must
/// get it, and the file must name that one.
pub fn race_for_the_lock(try_lock: TryLock) {
    thread::name_current("process A");
    let fs = Arc::new(ModelFs::new());
    let other = {
        let fs = Arc::clone(&fs);
        thread::spawn(move || {
            thread::name_current("process B");
            try_lock(&fs, "app.lock", "process B").unwrap()
        })
    };
    let a = try_lock(&fs, "app.lock", "process A").unwrap();
    let b = other.join().unwrap();
    assert!(a != b, "process A got the lock: {a}; process B got it: {b}");
    let holder = fs.read("app.lock").unwrap();
    let winner = if a { "process A" } else { "process B" };
    assert!(
        holder == winner,
        "{winner} got the lock, but the file says {holder:?}"
    );
}
// ANCHOR_END: lock_model
