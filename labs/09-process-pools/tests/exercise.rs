//! The exercise: make `src/exercise.rs` correct, then check it with
//! `cargo xtask exercise 09` (it runs the ignored test below).

use harness::exercise::Exercise;
use lab_09::checks::race_for_the_lock;
use lab_09::fs::{Fs, ModelFs};
use lab_09::on_loom::{exercise, solution};
use std::io;

/// The exercise's check: two processes race for the lock file, over every
/// interleaving.
fn exercise() -> Exercise {
    Exercise::new("src/exercise.rs", 0xe944d0afee27513e)
}

#[test]
#[ignore = "the exercise: run `cargo xtask exercise 09` to check your fix"]
fn your_lock_file_goes_to_exactly_one_process() {
    exercise().check_answer(|| race_for_the_lock(exercise::try_lock));
}

#[test]
fn the_starter_fails_the_exercise_check() {
    exercise().prove_starter_fails(|| race_for_the_lock(exercise::try_lock));
}

#[test]
fn the_reference_solution_passes_the_exercise_check() {
    exercise().prove_solution_passes(|| race_for_the_lock(solution::try_lock));
}

/// A wrong answer: create the file, then read it back to see whose it is.
fn create_then_read_back(fs: &ModelFs, name: &str, owner: &str) -> io::Result<bool> {
    fs.create(name, owner)?;
    Ok(fs.read(name)? == owner)
}

/// A wrong answer: check, create, and check again that the file is ours.
fn check_create_check(fs: &ModelFs, name: &str, owner: &str) -> io::Result<bool> {
    if fs.exists(name) {
        return Ok(false);
    }
    fs.create(name, owner)?;
    Ok(fs.read(name)? == owner)
}

#[test]
fn the_exercise_check_fails_create_then_read_back() {
    exercise().prove_wrong_answer_fails("create, then read back", || {
        race_for_the_lock(create_then_read_back)
    });
}

#[test]
fn the_exercise_check_fails_check_create_check() {
    exercise().prove_wrong_answer_fails("check, create, check again", || {
        race_for_the_lock(check_create_check)
    });
}

/// A file system whose every call fails as a full or read-only disk does.
struct BrokenDisk;

impl lab_09::fs::Fs for BrokenDisk {
    fn exists(&self, _name: &str) -> bool {
        false
    }
    fn create(&self, _name: &str, _contents: &str) -> io::Result<()> {
        Err(io::ErrorKind::PermissionDenied.into())
    }
    fn create_new(&self, _name: &str, _contents: &str) -> io::Result<()> {
        Err(io::ErrorKind::PermissionDenied.into())
    }
    fn read(&self, _name: &str) -> io::Result<String> {
        Err(io::ErrorKind::PermissionDenied.into())
    }
}

/// "Someone else holds the lock" is `AlreadyExists` only: any other error
/// (a read-only disk, a missing folder) must reach the caller as an error,
/// not pass for a lock someone holds, or a job waits for ever for a lock
/// no one can take. (No race: one call, on std.)
#[test]
fn the_reference_solution_reports_an_error_that_is_not_someone_elses_lock() {
    let outcome = lab_09::on_std::solution::try_lock(&BrokenDisk, "job.lock", "a");
    assert!(
        matches!(&outcome, Err(error) if error.kind() == io::ErrorKind::PermissionDenied),
        "create_new failed with PermissionDenied, and try_lock returned {outcome:?}"
    );
}
