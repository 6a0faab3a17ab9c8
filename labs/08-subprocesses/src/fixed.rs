//! The fix: keep reading every pipe while waiting for the child.

use super::sync::thread;
use crate::{Child, Output, read_all};
use std::io;

// ANCHOR: read_while_waiting
/// Reads stdout and stderr on a thread each while this thread waits for
/// the child: the child can always write, so it can always finish.
pub fn read_while_waiting(mut child: impl Child) -> io::Result<Output> {
    let stdout = thread::spawn({
        let pipe = child.stdout()?;
        move || read_all(pipe)
    });
    let stderr = thread::spawn({
        let pipe = child.stderr()?;
        move || read_all(pipe)
    });
    child.wait()?;
    Ok(Output {
        stdout: stdout.join().expect("a reader thread panicked")?,
        stderr: stderr.join().expect("a reader thread panicked")?,
    })
}
// ANCHOR_END: read_while_waiting
