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

/// What both file systems must do, one call at a time: the exercise's
/// checks trust the model to behave as the real one does, and the demo
/// trusts the real one.
fn behaves_like_a_file_system(fs: &impl Fs) {
    assert!(!fs.exists("a.lock"), "a file never created exists");
    assert_eq!(
        fs.read("a.lock").map_err(|e| e.kind()),
        Err(io::ErrorKind::NotFound)
    );
    fs.create("a.lock", "process A").expect("create");
    assert!(fs.exists("a.lock"), "a file just created does not exist");
    assert_eq!(fs.read("a.lock").expect("read"), "process A");
    fs.create("a.lock", "process B").expect("create again");
    assert_eq!(
        fs.read("a.lock").expect("read"),
        "process B",
        "create replaces"
    );
    let again = fs.create_new("a.lock", "process C").map_err(|e| e.kind());
    assert_eq!(again, Err(io::ErrorKind::AlreadyExists));
    assert_eq!(
        fs.read("a.lock").expect("read"),
        "process B",
        "a refused create_new changes nothing"
    );
    fs.create_new("b.lock", "process C")
        .expect("create_new of a new file");
    assert_eq!(fs.read("b.lock").expect("read"), "process C");
}

#[test]
fn the_model_file_system_behaves_like_one() {
    // One thread: one execution, the semantics, not a race.
    harness::Check::new("model file system")
        .quiet()
        .must_pass(|| behaves_like_a_file_system(&ModelFs::new()));
}

#[test]
fn the_real_file_system_behaves_like_one() {
    let dir = std::env::temp_dir().join(format!("lab-09-fs-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary folder");
    let fs = lab_09::fs::RealFs { dir: dir.clone() };
    behaves_like_a_file_system(&fs);
    let _ = std::fs::remove_dir_all(&dir);
}
