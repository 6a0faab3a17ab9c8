//! The bugs: a parent that stops reading a pipe its child is writing into.
//! A pipe holds a fixed amount (64 KiB on Linux); a child that writes more
//! waits for the parent to read, and here the parent waits for the child.

use crate::{Child, Output, read_all};
use std::io;

// ANCHOR: wait_then_read
/// Waits for the child to exit, then reads everything it wrote.
pub fn wait_then_read(mut child: impl Child) -> io::Result<Output> {
    let (stdout, stderr) = (child.stdout()?, child.stderr()?);
    // Blocks until the child exits. If it writes more than the pipe holds,
    // it blocks too, until someone reads: and no one will.
    child.wait()?;
    Ok(Output {
        stdout: read_all(stdout)?,
        stderr: read_all(stderr)?,
    })
}
// ANCHOR_END: wait_then_read

// ANCHOR: one_then_the_other
/// Reads stdout to its end, then stderr to its end, then waits. Fine until
/// the child fills stderr while the parent still waits for stdout's end.
pub fn read_one_then_the_other(mut child: impl Child) -> io::Result<Output> {
    let (stdout, stderr) = (child.stdout()?, child.stderr()?);
    let stdout = read_all(stdout)?; // ends only when the child exits...
    let stderr = read_all(stderr)?; // ...which waits for this read
    child.wait()?;
    Ok(Output { stdout, stderr })
}
// ANCHOR_END: one_then_the_other
