//! A watchdog for demos that deadlock for real: when the program stops
//! making progress, it says what it saw and ends the program, instead of
//! leaving the learner's terminal hanging.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// Watches a program's progress; see [`Watchdog::start`].
pub struct Watchdog {
    beats: Arc<AtomicU64>,
    stopped: Arc<AtomicBool>,
}

/// The exit status of a program the watchdog ended.
pub const STALLED: i32 = 3;

impl Watchdog {
    /// Starts watching. If [`beat`](Self::beat) is not called for
    /// `patience`, prints `report()` (what the program can tell about why it
    /// is stuck) to stderr and exits with status [`STALLED`].
    pub fn start(patience: Duration, report: impl Fn() -> String + Send + 'static) -> Self {
        let beats = Arc::new(AtomicU64::new(0));
        let stopped = Arc::new(AtomicBool::new(false));
        let (seen, done) = (beats.clone(), stopped.clone());
        std::thread::spawn(move || {
            let mut last = (0, Instant::now());
            while !done.load(Ordering::Relaxed) {
                std::thread::sleep(patience / 20);
                let now = seen.load(Ordering::Relaxed);
                if now != last.0 {
                    last = (now, Instant::now());
                } else if last.1.elapsed() >= patience && !done.load(Ordering::Relaxed) {
                    eprintln!(
                        "\nwatchdog: no progress for {:.1} s; the program is stuck.\n{}",
                        patience.as_secs_f64(),
                        report()
                    );
                    std::process::exit(STALLED);
                }
            }
        });
        Self { beats, stopped }
    }

    /// Tells the watchdog the program made progress.
    pub fn beat(&self) {
        self.beats.fetch_add(1, Ordering::Relaxed);
    }
}

impl Drop for Watchdog {
    fn drop(&mut self) {
        self.stopped.store(true, Ordering::Relaxed);
    }
}

/// Runs `test` on a thread of its own and returns what it returns, or
/// fails the calling test if it has not finished within `limit`, with
/// `stuck`: what a test still running then has most likely hung on. A
/// panic in `test` fails the caller with that panic. The stuck thread is
/// left behind; a test binary still exits when its tests are done.
///
/// For tests on real threads, which can block for ever (a model under
/// loom cannot: [`crate::Check`] stops one that does).
pub fn within<T: Send + 'static>(
    limit: Duration,
    stuck: &str,
    test: impl FnOnce() -> T + Send + 'static,
) -> T {
    let (done, finished) = std::sync::mpsc::channel();
    let runner = std::thread::spawn(move || {
        let _ = done.send(test());
    });
    match finished.recv_timeout(limit) {
        Ok(value) => value,
        Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => match runner.join() {
            Err(panic) => std::panic::resume_unwind(panic),
            Ok(()) => unreachable!("the test thread ended without a result"),
        },
        Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
            panic!("the test did not finish within {limit:?}: {stuck}")
        }
    }
}

/// Runs `command` to its end and returns its output; if it is still
/// running after `limit`, kills it with every process it started (it runs
/// in a process group of its own) and fails the calling test, saying
/// `what` did not end and what it printed so far.
///
/// For tests that run another program: a build, a script, a server.
pub fn output_within(
    mut command: std::process::Command,
    limit: Duration,
    what: &str,
) -> std::process::Output {
    use std::io::Read;
    use std::process::Stdio;
    command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    #[cfg(unix)]
    std::os::unix::process::CommandExt::process_group(&mut command, 0);
    let mut child = command
        .spawn()
        .unwrap_or_else(|e| panic!("{what} could not start: {e}"));
    // Read both pipes as the program writes, so that a full pipe never
    // stalls it; what was read so far is in `so_far`.
    let so_far = Arc::new(std::sync::Mutex::new((Vec::new(), Vec::new())));
    let readers: Vec<_> = [
        child
            .stdout
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
        child
            .stderr
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    ]
    .into_iter()
    .enumerate()
    .filter_map(|(which, pipe)| Some((which, pipe?)))
    .map(|(which, mut pipe)| {
        let so_far = Arc::clone(&so_far);
        std::thread::spawn(move || {
            let mut buffer = [0; 8192];
            while let Ok(n @ 1..) = pipe.read(&mut buffer) {
                let mut both = so_far.lock().unwrap_or_else(|e| e.into_inner());
                let out = if which == 0 { &mut both.0 } else { &mut both.1 };
                out.extend_from_slice(&buffer[..n]);
            }
        })
    })
    .collect();
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("the child can be waited for") {
            break status;
        }
        if started.elapsed() > limit {
            #[cfg(unix)]
            let _ = std::process::Command::new("kill")
                .args(["-KILL", "--", &format!("-{}", child.id())])
                .status();
            let _ = child.kill();
            let _ = child.wait();
            let both = so_far.lock().unwrap_or_else(|e| e.into_inner());
            panic!(
                "{what} did not end within {} s, and was killed. It printed:\n{}{}",
                limit.as_secs(),
                String::from_utf8_lossy(&both.0),
                String::from_utf8_lossy(&both.1)
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    // The pipes close when the last process holding them ends: give a
    // process the program left behind a moment, not for ever.
    let deadline = Instant::now() + Duration::from_secs(5);
    for reader in readers {
        while !reader.is_finished() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(10));
        }
    }
    let (stdout, stderr) = std::mem::take(&mut *so_far.lock().unwrap_or_else(|e| e.into_inner()));
    std::process::Output {
        status,
        stdout,
        stderr,
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::output_within;
    use std::process::Command;
    use std::time::Duration;

    #[test]
    fn a_command_that_ends_gives_its_output() {
        let mut command = Command::new("sh");
        command.args(["-c", "echo out; echo err >&2; exit 3"]);
        let output = output_within(command, Duration::from_secs(30), "sh");
        assert_eq!(output.status.code(), Some(3));
        assert_eq!(String::from_utf8_lossy(&output.stdout), "out\n");
        assert_eq!(String::from_utf8_lossy(&output.stderr), "err\n");
    }

    #[test]
    fn a_command_past_its_limit_is_killed_and_says_what_it_printed() {
        let outcome = std::panic::catch_unwind(|| {
            let mut command = Command::new("sh");
            command.args(["-c", "echo started; sleep 60"]);
            output_within(command, Duration::from_secs(1), "the sleeper")
        });
        let message = outcome.expect_err("a hung command fails the test");
        let message = message
            .downcast_ref::<String>()
            .cloned()
            .unwrap_or_default();
        assert!(
            message.contains("the sleeper did not end within 1 s") && message.contains("started"),
            "{message}"
        );
    }
}
