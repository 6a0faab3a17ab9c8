//! What loom checks instead of real processes. Loom runs threads, not
//! processes, and cannot see the kernel's pipes; but the deadlock is in
//! the protocol, not in the kernel. So a child is a loom thread, a pipe is
//! a bounded buffer of bytes with the kernel's rules, and `wait` is `join`:
//!
//! - a write waits while the pipe is full, and fails (`EPIPE`) once the
//!   reading end is gone;
//! - a read waits while the pipe is empty and its writing end is open, and
//!   returns 0 bytes (end of file) once the pipe is empty and closed;
//! - dropping an end closes it, as a process's exit closes all of its ends.
//!
//! A real pipe holds 65,536 bytes on Linux; the modelled one holds
//! [`CAPACITY`], so that a child writing three bytes fills it.

use crate::Child;
use harness::sync::loom::thread::{self, JoinHandle};
use harness::sync::loom::{Arc, Condvar, Mutex, Named};
use std::collections::VecDeque;
use std::fmt;
use std::io::{self, Read, Write};

/// Bytes a modelled pipe holds before its writer must wait.
pub const CAPACITY: usize = 2;

/// What the kernel keeps for one pipe.
struct PipeState {
    bytes: VecDeque<u8>,
    writer_open: bool,
    reader_open: bool,
}

/// Shown as the bytes in the pipe, then which end is closed, if any.
impl fmt::Debug for PipeState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self.bytes)?;
        match (self.writer_open, self.reader_open) {
            (true, true) => Ok(()),
            (false, _) => f.write_str(" closed"),
            (true, false) => f.write_str(" no reader"),
        }
    }
}

struct Pipe {
    state: Mutex<PipeState>,
    changed: Condvar,
}

/// The writing end of a modelled pipe.
pub struct PipeWriter(Arc<Pipe>);
/// The reading end of a modelled pipe.
pub struct PipeReader(Arc<Pipe>);

/// A new pipe, named in traces (`stdout: lock`).
pub fn pipe(name: &str) -> (PipeWriter, PipeReader) {
    let state = PipeState {
        bytes: VecDeque::new(),
        writer_open: true,
        reader_open: true,
    };
    let pipe = Arc::new(Pipe {
        state: Mutex::new(state).named(name),
        changed: Condvar::new().named(name),
    });
    (PipeWriter(Arc::clone(&pipe)), PipeReader(pipe))
}

impl PipeState {
    fn writer_must_wait(&self) -> bool {
        self.bytes.len() == CAPACITY && self.reader_open
    }

    fn reader_must_wait(&self) -> bool {
        self.bytes.is_empty() && self.writer_open
    }
}

impl Write for PipeWriter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let mut state = self.0.state.lock().unwrap();
        while state.writer_must_wait() {
            state = self.0.changed.wait(state).unwrap(); // full: wait for a read
        }
        let pipe = &mut *state;
        if !pipe.reader_open {
            return Err(io::ErrorKind::BrokenPipe.into());
        }
        let room = (CAPACITY - pipe.bytes.len()).min(buf.len());
        pipe.bytes.extend(&buf[..room]);
        self.0.changed.notify_all();
        Ok(room)
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Read for PipeReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let mut state = self.0.state.lock().unwrap();
        while state.reader_must_wait() {
            state = self.0.changed.wait(state).unwrap(); // empty: wait for a write
        }
        let pipe = &mut *state;
        let count = pipe.bytes.len().min(buf.len());
        for (slot, byte) in buf.iter_mut().zip(pipe.bytes.drain(..count)) {
            *slot = byte;
        }
        self.0.changed.notify_all();
        Ok(count) // 0 only when the pipe is empty and closed: end of file
    }
}

impl Drop for PipeWriter {
    fn drop(&mut self) {
        // While loom unwinds a failed execution, touching its types could
        // panic a second time; the pipe is gone with the execution anyway.
        if !std::thread::panicking() {
            self.0.state.lock().unwrap().writer_open = false;
            self.0.changed.notify_all();
        }
    }
}

impl Drop for PipeReader {
    fn drop(&mut self) {
        if !std::thread::panicking() {
            self.0.state.lock().unwrap().reader_open = false;
            self.0.changed.notify_all();
        }
    }
}

/// What a modelled child runs: its stdin, stdout and stderr.
pub type Program = fn(PipeReader, PipeWriter, PipeWriter);

/// A child process, modelled: a loom thread named `child`, and its pipes.
pub struct ModelChild {
    stdin: Option<PipeWriter>,
    stdout: Option<PipeReader>,
    stderr: Option<PipeReader>,
    process: Option<JoinHandle<()>>,
}

impl ModelChild {
    /// Starts `program` on a new loom thread, connected by three pipes;
    /// the calling thread is named `parent`.
    pub fn spawn(program: Program) -> Self {
        thread::name_current("parent");
        let (stdin, child_stdin) = pipe("stdin");
        let (child_stdout, stdout) = pipe("stdout");
        let (child_stderr, stderr) = pipe("stderr");
        let process = thread::spawn(move || {
            thread::name_current("child");
            program(child_stdin, child_stdout, child_stderr);
            // Returning drops the child's ends: its exit closes its pipes.
        });
        Self {
            stdin: Some(stdin),
            stdout: Some(stdout),
            stderr: Some(stderr),
            process: Some(process),
        }
    }
}

fn taken<T>(end: &mut Option<T>, what: &str) -> io::Result<T> {
    end.take()
        .ok_or_else(|| io::Error::other(format!("{what} was already taken")))
}

impl Child for ModelChild {
    fn stdin(&mut self) -> io::Result<Box<dyn Write + Send>> {
        Ok(Box::new(taken(&mut self.stdin, "stdin")?))
    }

    fn stdout(&mut self) -> io::Result<Box<dyn io::Read + Send>> {
        Ok(Box::new(taken(&mut self.stdout, "stdout")?))
    }

    fn stderr(&mut self) -> io::Result<Box<dyn io::Read + Send>> {
        Ok(Box::new(taken(&mut self.stderr, "stderr")?))
    }

    fn wait(&mut self) -> io::Result<()> {
        let process = taken(&mut self.process, "the child's exit status")?;
        process
            .join()
            .map_err(|_| io::Error::other("the child crashed"))
    }
}

// ANCHOR: programs
/// A child that writes 3 bytes to stderr, then 3 to stdout (each more
/// than a pipe holds), and exits. It never reads its stdin.
pub fn chatty(_stdin: PipeReader, mut stdout: PipeWriter, mut stderr: PipeWriter) {
    // A write error means the parent went away: the child just ends.
    let _ = stderr.write_all(&[1, 2, 3]);
    let _ = stdout.write_all(&[4, 5, 6]);
}

/// A filter: copies its stdin to its stdout, one byte at a time, until
/// its stdin ends.
pub fn echo(mut stdin: PipeReader, mut stdout: PipeWriter, _stderr: PipeWriter) {
    let mut byte = [0];
    while let Ok(1) = stdin.read(&mut byte) {
        if stdout.write_all(&byte).is_err() {
            return;
        }
    }
}

/// `head -c 2`: copies the first 2 bytes of its stdin to its stdout and
/// exits, closing its stdin early: the parent's next write is a broken pipe.
pub fn head(mut stdin: PipeReader, mut stdout: PipeWriter, _stderr: PipeWriter) {
    let mut first = [0; 2];
    if stdin.read_exact(&mut first).is_ok() {
        let _ = stdout.write_all(&first);
    }
}
// ANCHOR_END: programs
