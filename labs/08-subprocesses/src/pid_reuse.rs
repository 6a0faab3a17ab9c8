//! Killing by pid, and why the watchdog in `real.rs` kills through a pidfd.
//!
//! What loom checks instead of the kernel's process table: a pid names
//! whichever process holds it *now*. Once a parent has reaped its child
//! (`wait` returned), the child's pid is free, and the next process started
//! may get it: a signal sent to that pid then reaches a stranger. A pidfd
//! names one process for good: after that process is reaped, a signal sent
//! through it fails (`ESRCH`) instead.
//!
//! The modelled kernel hands out the lowest free pid, so a reaped pid is
//! reused at once. Linux hands pids out in rising order and wraps around at
//! `/proc/sys/kernel/pid_max`: there reuse takes longer, and still comes.

use harness::sync::loom::thread;
use harness::sync::loom::{Arc, Mutex, Named};
use std::fmt;

/// A process id: a number the kernel hands out again once it is free.
pub type Pid = usize;

/// What became of a process.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    Running,
    /// Exited, and not reaped yet: a zombie, which keeps its pid.
    Exited,
    Killed,
}

#[derive(Clone, Copy)]
struct Process {
    name: &'static str,
    state: State,
}

/// The process table: slot `n` holds the process with pid `n + 1`, if any.
struct Table(Vec<Option<Process>>);

/// Shown as the pids in use: `[1: A exited, 2: B running]`.
impl fmt::Debug for Table {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let held = self.0.iter().enumerate().filter_map(|(slot, process)| {
            process.map(|p| {
                let state = format!("{:?}", p.state).to_lowercase();
                format!("{}: {} {state}", slot + 1, p.name)
            })
        });
        write!(f, "[{}]", held.collect::<Vec<_>>().join(", "))
    }
}

/// A handle on one process, not on its pid: `pidfd_open(2)`.
pub struct Pidfd {
    pid: Pid,
    name: &'static str,
}

/// The modelled kernel: one process table, named `processes` in traces.
#[derive(Clone)]
pub struct Kernel(Arc<Mutex<Table>>);

impl Default for Kernel {
    fn default() -> Self {
        Self(Arc::new(Mutex::new(Table(Vec::new())).named("processes")))
    }
}

impl Kernel {
    /// Starts a process (names are unique in a model), at the lowest free
    /// pid; it runs until it exits or is killed.
    #[track_caller] // traces show the caller's line, not this one
    pub fn start(&self, name: &'static str) -> Pid {
        let mut table = self.0.lock().unwrap();
        let slots = &mut table.0; // one access to the table, one step in traces
        let process = Some(Process {
            name,
            state: State::Running,
        });
        let slot = match slots.iter().position(Option::is_none) {
            Some(free) => {
                slots[free] = process;
                free
            }
            None => {
                slots.push(process);
                slots.len() - 1
            }
        };
        slot + 1
    }

    /// The name of the process that holds `pid` now, as `/proc/<pid>`
    /// would tell it; `None` if the pid is free.
    #[track_caller]
    pub fn name_of(&self, pid: Pid) -> Option<&'static str> {
        let table = self.0.lock().unwrap();
        table.0.get(pid - 1).copied().flatten().map(|p| p.name)
    }

    /// The process with pid `pid` exits by itself (if it still runs).
    #[track_caller]
    pub fn exit(&self, pid: Pid) {
        let mut table = self.0.lock().unwrap();
        let process = table.0[pid - 1].as_mut();
        if let Some(process) = process.filter(|p| p.state == State::Running) {
            process.state = State::Exited;
        }
    }

    /// Reaps the process with pid `pid`, which has exited or been killed
    /// (`waitpid(2)`): its pid is free from now on.
    #[track_caller]
    pub fn reap(&self, pid: Pid) {
        let mut table = self.0.lock().unwrap();
        let running = table.0[pid - 1].is_some_and(|p| p.state == State::Running);
        assert!(!running, "this model reaps only processes that have ended");
        table.0[pid - 1] = None;
    }

    /// `kill(pid, SIGKILL)`: kills whichever process holds `pid` now, and
    /// says which one it was; `None` if the pid is free or its process has
    /// already ended.
    #[track_caller]
    pub fn kill(&self, pid: Pid) -> Option<&'static str> {
        let mut table = self.0.lock().unwrap();
        let process = table.0.get_mut(pid - 1)?.as_mut()?;
        (process.state == State::Running).then(|| {
            process.state = State::Killed;
            process.name
        })
    }

    /// `pidfd_open(pid)`: a handle on the process that holds `pid` now;
    /// `None` if the pid is free (`ESRCH`).
    #[track_caller]
    pub fn pidfd_open(&self, pid: Pid) -> Option<Pidfd> {
        let table = self.0.lock().unwrap();
        let process = table.0.get(pid - 1).copied().flatten()?;
        Some(Pidfd {
            pid,
            name: process.name,
        })
    }

    /// `pidfd_send_signal(pidfd, SIGKILL)`: kills the process the pidfd was
    /// opened on, if it still runs; `None` if it has ended, reaped or not,
    /// whoever holds its pid now (`ESRCH` once it is reaped).
    #[track_caller]
    pub fn pidfd_kill(&self, pidfd: &Pidfd) -> Option<&'static str> {
        let mut table = self.0.lock().unwrap();
        let process = table.0[pidfd.pid - 1].as_mut()?;
        (process.name == pidfd.name && process.state == State::Running).then(|| {
            process.state = State::Killed;
            process.name
        })
    }
}

/// How the watchdog ends a child that ran out of time.
pub type Watchdog = fn(&Kernel, Pid) -> Box<dyn Fn() -> Option<&'static str>>;

// ANCHOR: by_pid
/// Kills by pid: what `kill(child.id(), SIGKILL)` does.
pub fn kill_by_pid(kernel: &Kernel, pid: Pid) -> Box<dyn Fn() -> Option<&'static str>> {
    let kernel = kernel.clone();
    Box::new(move || kernel.kill(pid))
}
// ANCHOR_END: by_pid

// ANCHOR: by_pidfd
/// Kills through a pidfd opened while the child surely held its pid (it
/// has not been reaped: only this program's `wait` reaps it).
pub fn kill_by_pidfd(kernel: &Kernel, pid: Pid) -> Box<dyn Fn() -> Option<&'static str>> {
    let kernel = kernel.clone();
    let pidfd = kernel.pidfd_open(pid);
    Box::new(move || kernel.pidfd_kill(pidfd.as_ref()?))
}
// ANCHOR_END: by_pidfd

// ANCHOR: deadline_model
/// A watchdog and its child's parent at the deadline. Child `A` exits just
/// then; its parent, on a thread of its own, reaps it and says it has
/// finished. Another thread of the program starts process `B`. The
/// watchdog looks once: if the parent has not said it finished, time is
/// up, and it kills the child. It must never kill `B`.
pub fn watchdog_at_the_deadline(watchdog: Watchdog) {
    let kernel = Kernel::default();
    let child = kernel.start("A");
    let kill_child = watchdog(&kernel, child);
    let finished = Arc::new(Mutex::new(false).named("finished"));
    let parent = {
        let (kernel, finished) = (kernel.clone(), Arc::clone(&finished));
        thread::spawn(move || {
            thread::name_current("parent");
            kernel.exit(child); // A's last moment, then its parent's wait:
            kernel.reap(child);
            *finished.lock().unwrap() = true;
        })
    };
    let other = {
        let kernel = kernel.clone();
        thread::spawn(move || {
            thread::name_current("other");
            kernel.start("B")
        })
    };
    thread::name_current("watchdog");
    let in_time = *finished.lock().unwrap();
    let killed = if in_time { None } else { kill_child() };
    parent.join().unwrap();
    other.join().unwrap();
    harness::outcome(match killed {
        Some(name) => format!("the watchdog killed {name}"),
        None => String::from("the watchdog killed no one"),
    });
    harness::require!(
        killed != Some("B"),
        "the watchdog killed B, a process it never started, which had been given A's pid"
    );
}
// ANCHOR_END: deadline_model
