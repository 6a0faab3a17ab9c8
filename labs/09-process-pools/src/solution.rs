//! The exercise's reference solution. Try `exercise.rs` first!

use crate::fs::Fs;
use std::io;

// ANCHOR: solution
/// Takes the lock file `name` for `owner`, with one call that checks and
/// creates at once: `create_new` fails with `AlreadyExists` if any process
/// created the file first, however close behind it this one was.
pub fn try_lock(fs: &impl Fs, name: &str, owner: &str) -> io::Result<bool> {
    match fs.create_new(name, owner) {
        Ok(()) => Ok(true),
        Err(error) if error.kind() == io::ErrorKind::AlreadyExists => Ok(false),
        Err(error) => Err(error), // not "someone holds it": say what it is
    }
}
// ANCHOR_END: solution
