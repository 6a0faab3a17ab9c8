//! The same parents on real child processes: the lab's own binary run as a
//! child (`lab-08 child`, `lab-08 echo`), `std::process::Command`
//! throughout, and a watchdog for the parents that hang.

use crate::Child;
use clap::Parser;
use std::io::{self, Read, Write};
use std::path::Path;
use std::process::{Command, ExitCode, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

/// What the lab's binary does when run as a child.
#[derive(Parser, Debug)]
#[command(name = "lab-08", about = "The child processes lab-08's parents run.")]
pub enum ChildCommand {
    /// Writes `stderr` bytes to stderr, then `stdout` bytes to stdout.
    Child {
        /// Bytes to write to stdout.
        #[arg(long, default_value_t = 0)]
        stdout: usize,
        /// Bytes to write to stderr (first).
        #[arg(long, default_value_t = 0)]
        stderr: usize,
    },
    /// Copies stdin to stdout until stdin ends: a filter.
    Echo,
    /// Exits at once: what starting a process costs.
    Exit,
}

/// The byte at `index` of everything a child writes: `a` to `z`, repeated,
/// so a test can check every byte arrived in order.
pub fn pattern(index: usize) -> u8 {
    b'a' + (index % 26) as u8
}

/// Runs `command` in this process: the body of `lab-08 <command>`.
pub fn run_child(command: ChildCommand) -> io::Result<()> {
    match command {
        ChildCommand::Child { stdout, stderr } => {
            // In chunks: a child asked for terabytes writes until stopped,
            // rather than trying to build them in memory first.
            let write = |out: &mut dyn Write, count: usize| -> io::Result<()> {
                let mut chunk = Vec::with_capacity(64 * 1024);
                for index in 0..count {
                    chunk.push(pattern(index));
                    if chunk.len() == chunk.capacity() {
                        out.write_all(&chunk)?;
                        chunk.clear();
                    }
                }
                out.write_all(&chunk)?;
                out.flush()
            };
            write(&mut io::stderr().lock(), stderr)?;
            write(&mut io::stdout().lock(), stdout)
        }
        ChildCommand::Echo => echo(io::stdin().lock(), io::stdout().lock()),
        ChildCommand::Exit => Ok(()),
    }
}

/// Copies `input` to `output` until `input` ends, passing on each chunk as
/// soon as it arrives (stdout would hold it until a newline otherwise).
pub fn echo(mut input: impl Read, mut output: impl Write) -> io::Result<()> {
    let mut buffer = [0; 64 * 1024];
    loop {
        let count = input.read(&mut buffer)?;
        if count == 0 {
            return output.flush();
        }
        output.write_all(&buffer[..count])?;
        output.flush()?;
    }
}

/// `main` for a binary that is run as a child: parses `args` (program name
/// first), runs the command, and reports a failure on stderr.
pub fn child_main(args: impl IntoIterator<Item = String>) -> ExitCode {
    let command = match ChildCommand::try_parse_from(args) {
        Ok(command) => command,
        Err(error) => {
            let _ = error.print();
            return ExitCode::from(2);
        }
    };
    match run_child(command) {
        Ok(()) => ExitCode::SUCCESS,
        // The parent closed the pipe: nobody is left to tell. Not a crash.
        Err(error) if error.kind() == io::ErrorKind::BrokenPipe => ExitCode::from(3),
        Err(error) => {
            eprintln!("lab-08 child: {error}");
            ExitCode::FAILURE
        }
    }
}

// ANCHOR: spawn
/// Starts `program` with `args`, with all three of its standard streams
/// connected to this process by pipes.
pub fn spawn(program: &Path, args: &[&str]) -> io::Result<std::process::Child> {
    Command::new(program)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
}
// ANCHOR_END: spawn

fn piped<T>(end: Option<T>, what: &str) -> io::Result<T> {
    end.ok_or_else(|| io::Error::other(format!("{what} is not a pipe, or was already taken")))
}

impl Child for std::process::Child {
    fn stdin(&mut self) -> io::Result<Box<dyn Write + Send>> {
        Ok(Box::new(piped(self.stdin.take(), "stdin")?))
    }

    fn stdout(&mut self) -> io::Result<Box<dyn Read + Send>> {
        Ok(Box::new(piped(self.stdout.take(), "stdout")?))
    }

    fn stderr(&mut self) -> io::Result<Box<dyn Read + Send>> {
        Ok(Box::new(piped(self.stderr.take(), "stderr")?))
    }

    fn wait(&mut self) -> io::Result<()> {
        let status = std::process::Child::wait(self)?;
        if status.success() {
            Ok(())
        } else {
            Err(io::Error::other(format!("the child exited with {status}")))
        }
    }
}

/// What a parent run under [`with_watchdog`] came to.
#[derive(Debug)]
pub enum Watched<T> {
    /// The parent returned by itself, with this.
    Finished(T),
    /// The parent was still running after the watchdog's patience ran out:
    /// the watchdog killed the child, and then the parent returned this.
    Hung(T),
}

// ANCHOR: watchdog
/// Runs `parent` on `child`; if it has not returned after `patience`, kills
/// the child (`SIGKILL`), which ends every wait on it, and reports `Hung`.
pub fn with_watchdog<T: Send>(
    child: std::process::Child,
    patience: Duration,
    parent: impl FnOnce(std::process::Child) -> T + Send,
) -> Watched<T> {
    // A pidfd names this very process: once it is reaped, a signal sent
    // through it fails instead of reaching whoever reuses its pid.
    let pid = rustix::process::Pid::from_child(&child);
    let pidfd = rustix::process::pidfd_open(pid, rustix::process::PidfdFlags::empty());
    thread::scope(|scope| {
        let (done, finished) = mpsc::channel();
        scope.spawn(move || done.send(parent(child)));
        match finished.recv_timeout(patience) {
            Ok(result) => Watched::Finished(result),
            Err(mpsc::RecvTimeoutError::Timeout) => {
                let kill = rustix::process::Signal::KILL;
                let _ = match &pidfd {
                    Ok(pidfd) => rustix::process::pidfd_send_signal(pidfd, kill),
                    // No pidfd (Linux before 5.3, or a sandbox that forbids
                    // it): by pid, with the race `pid_reuse.rs` shows,
                    // rather than wait for a hung parent for ever.
                    Err(_) => rustix::process::kill_process(pid, kill),
                };
                Watched::Hung(
                    finished
                        .recv()
                        .expect("the parent returns once the child dies"),
                )
            }
            // The parent panicked: the scope passes its panic on.
            Err(mpsc::RecvTimeoutError::Disconnected) => panic!("the parent panicked"),
        }
    })
}
// ANCHOR_END: watchdog

/// How many bytes a new pipe holds on this system before a writer waits
/// (`F_GETPIPE_SZ`), on Linux; `None` where the system does not say.
pub fn pipe_capacity() -> Option<usize> {
    #[cfg(target_os = "linux")]
    {
        let (reader, _writer) = io::pipe().ok()?;
        rustix::pipe::fcntl_getpipe_size(&reader).ok()
    }
    #[cfg(not(target_os = "linux"))]
    None
}
