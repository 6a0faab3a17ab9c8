//! The exercise: send a child its input and collect its output, for a
//! child that writes while it reads (a filter: `sort`, `gzip`, `grep`...).
//! Check your answer with `cargo xtask exercise 08`.

#[allow(unused_imports, reason = "the fix may need a thread")]
use super::sync::thread;
use crate::{Child, read_all};
use std::io::{self, Write};

// ANCHOR: starter
/// Writes all of `input` to the child's stdin, closes it, then reads the
/// child's stdout to its end, and waits for the child.
pub fn communicate(mut child: impl Child, input: Vec<u8>) -> io::Result<Vec<u8>> {
    let mut stdin = child.stdin()?;
    let stdout = child.stdout()?;
    // TODO: while this writes, the child writes its stdout, which no one
    // reads yet. Once that pipe is full, the child stops reading stdin...
    stdin.write_all(&input)?;
    drop(stdin); // end of input: the child sees end of file
    let output = read_all(stdout)?;
    child.wait()?;
    Ok(output)
}
// ANCHOR_END: starter
