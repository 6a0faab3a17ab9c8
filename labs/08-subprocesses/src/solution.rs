//! The exercise's reference solution. Try `exercise.rs` first!

use super::sync::thread;
use crate::{Child, read_all};
use std::io::{self, Write};

// ANCHOR: solution
/// Writes `input` on a thread of its own while this thread reads stdout,
/// so the child can always both read and write.
pub fn communicate(mut child: impl Child, input: Vec<u8>) -> io::Result<Vec<u8>> {
    let mut stdin = child.stdin()?;
    let stdout = child.stdout()?;
    let writer = thread::spawn(move || {
        stdin.write_all(&input)
        // `stdin` is dropped here: end of input.
    });
    let output = read_all(stdout)?;
    let written = writer.join().expect("the writer thread panicked");
    child.wait()?; // reap the child whatever happened to its input
    written?; // a child that stopped reading early: say so
    Ok(output)
}
// ANCHOR_END: solution
