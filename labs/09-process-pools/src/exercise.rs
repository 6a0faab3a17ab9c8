//! The exercise: a lock file that exactly one process gets, however many
//! race for it. Check your answer with `cargo xtask exercise 09`.

use crate::fs::Fs;
use std::io;

// ANCHOR: starter
/// Takes the lock file `name` for `owner` (its contents say who holds it):
/// `Ok(true)` if this call got it, `Ok(false)` if someone else holds it.
pub fn try_lock(fs: &impl Fs, name: &str, owner: &str) -> io::Result<bool> {
    if fs.exists(name) {
        return Ok(false); // someone holds it
    }
    // TODO: another process can create the file right here, after our
    // check; then both of us "get" the lock. Make it one step.
    fs.create(name, owner)?;
    Ok(true)
}
// ANCHOR_END: starter
