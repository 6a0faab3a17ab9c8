//! The recorder: what the lab's code did to shared memory in the execution
//! loom is running now.
//!
//! Every type in [`crate::sync::loom`] calls [`record`] after each operation,
//! with the caller's source location (`#[track_caller]`). Loom runs all the
//! threads of a model as coroutines on the one OS thread that called
//! `check`, so a plain `thread_local!` sees the whole execution, and tests
//! running in parallel each have their own recorder.

use serde::{Deserialize, Serialize};
use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::panic::Location;

/// One operation on shared memory, as the lab's code made it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    /// Which thread made it: 0 is the model's main thread, then in spawn order.
    pub thread: usize,
    /// What it did, with the values it saw or wrote.
    pub op: Op,
    /// Which object it touched (an index into [`Trace::objects`]), if any.
    pub object: Option<usize>,
    /// The source file of the lab's line that made the operation.
    pub file: String,
    /// The line in that file.
    pub line: u32,
}

/// What an [`Event`] did. Values are shown with `{:?}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Op {
    /// Started thread number `child`.
    Spawn {
        /// The new thread's number.
        child: usize,
    },
    /// Began waiting for thread number `child` to finish. Shown only when
    /// the thread is still waiting when the execution fails.
    WantJoin {
        /// The thread waited for.
        child: usize,
    },
    /// Waited for thread number `child` to finish.
    Join {
        /// The thread waited for.
        child: usize,
    },
    /// Asked for a lock. Shown only when the thread is still waiting for it
    /// when the execution fails (a deadlock); otherwise the `Lock` follows.
    WantLock,
    /// Took a mutex, or an `RwLock` for writing.
    Lock,
    /// `try_lock` found the lock held by another thread, and gave up.
    TryLockFailed,
    /// Took an `RwLock` for reading.
    ReadLock,
    /// Released a lock.
    Unlock,
    /// Read the value behind a lock guard.
    Read {
        /// The value read.
        value: String,
    },
    /// Wrote through a lock guard; `value` is what the guard held afterwards.
    Write {
        /// The value written.
        value: String,
    },
    /// An atomic load.
    Load {
        /// The value loaded.
        value: String,
        /// Its memory ordering (`Acquire`), if known.
        #[serde(default)]
        order: Option<String>,
    },
    /// An atomic store.
    Store {
        /// The value stored.
        value: String,
        /// Its memory ordering (`Release`), if known.
        #[serde(default)]
        order: Option<String>,
    },
    /// An atomic read-modify-write: `fetch_add`, `swap`, `compare_exchange`...
    Update {
        /// The method, e.g. `fetch_add`.
        method: String,
        /// Its arguments, e.g. `1`, or `0, 1` for `compare_exchange`.
        args: String,
        /// What it returned.
        returned: String,
        /// Its memory ordering(s): `AcqRel`, or `AcqRel, Acquire` for a
        /// compare-and-swap's success and failure orderings.
        #[serde(default)]
        order: Option<String>,
    },
    /// `Condvar::wait`: released the mutex and went to sleep.
    Wait {
        /// The mutex released (an index into [`Trace::objects`]).
        mutex: Option<usize>,
    },
    /// Woke from `Condvar::wait`, holding the mutex again.
    Woken {
        /// The mutex taken again.
        mutex: Option<usize>,
    },
    /// `Condvar::notify_one` (`all: false`) or `notify_all`.
    Notify {
        /// Whether every waiter was woken.
        all: bool,
    },
    /// `thread::yield_now` or a spin-loop hint.
    Yield,
    /// Read an `UnsafeCell` (loom checks no write can run at the same time).
    CellRead,
    /// Wrote an `UnsafeCell` (loom checks no other access can run at the same time).
    CellWrite,
}

/// A shared object the execution created: a mutex, an atomic, a cell...
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Object {
    /// `mutex`, `rwlock`, `condvar`, `atomic` or `cell`.
    pub kind: String,
    /// Its number among objects of the same kind, from 1, in creation order.
    pub number: usize,
    /// The name a model gave it (`stdout`), if any: shown instead of the number.
    #[serde(default)]
    pub name: Option<String>,
}

impl Object {
    /// A short name for the trace: `mutex 1`, `atomic 2`, or its own name.
    pub fn label(&self) -> String {
        match &self.name {
            Some(name) => name.clone(),
            None => format!("{} {}", self.kind, self.number),
        }
    }
}

/// Everything one execution did, in the order loom ran it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Trace {
    /// The number of threads, main included.
    pub threads: usize,
    /// The objects the execution created, indexed by [`Event::object`].
    pub objects: Vec<Object>,
    /// The operations, in execution order.
    pub events: Vec<Event>,
    /// Names models gave their threads (`child`), by thread number.
    #[serde(default)]
    pub thread_names: BTreeMap<usize, String>,
}

impl Trace {
    /// How the trace calls a thread: its name, `main`, or `thread 2`.
    pub fn thread_label(&self, thread: usize) -> String {
        match self.thread_names.get(&thread) {
            Some(name) => name.clone(),
            None if thread == 0 => String::from("main"),
            None => format!("thread {thread}"),
        }
    }

    /// The reads (lock-guard reads and atomic loads) made before the first
    /// write or store of the execution, as `(thread, value)` pairs.
    ///
    /// A lost update shows here as two threads that read the same value
    /// before either of them wrote.
    pub fn reads_before_first_write(&self) -> Vec<(usize, String)> {
        self.events
            .iter()
            .take_while(|event| !matches!(event.op, Op::Write { .. } | Op::Store { .. }))
            .filter_map(|event| match &event.op {
                Op::Read { value } | Op::Load { value, .. } => Some((event.thread, value.clone())),
                _ => None,
            })
            .collect()
    }

    /// The locks each thread held and the lock it was waiting for when the
    /// execution stopped: `(thread, held, waiting_for)`, with objects as
    /// indices into [`Trace::objects`]. Threads that hold nothing and wait
    /// for nothing are left out.
    pub fn lock_state(&self) -> Vec<(usize, Vec<usize>, Option<usize>)> {
        let mut held: Vec<Vec<usize>> = vec![Vec::new(); self.threads];
        let mut waiting: Vec<Option<usize>> = vec![None; self.threads];
        for event in &self.events {
            let Some(held) = held.get_mut(event.thread) else {
                continue;
            };
            // A condition variable's wait releases and retakes its mutex.
            let (op, object) = match event.op {
                Op::Wait { mutex } => (Op::Unlock, mutex),
                Op::Woken { mutex } => (Op::Lock, mutex),
                ref op => (op.clone(), event.object),
            };
            let Some(object) = object else { continue };
            match op {
                Op::WantLock => waiting[event.thread] = Some(object),
                Op::Lock | Op::ReadLock => {
                    waiting[event.thread] = None;
                    held.push(object);
                }
                Op::Unlock => {
                    if let Some(at) = held.iter().rposition(|&h| h == object) {
                        held.remove(at);
                    }
                }
                _ => {}
            }
        }
        held.into_iter()
            .zip(waiting)
            .enumerate()
            .filter(|(_, (held, waiting))| !held.is_empty() || waiting.is_some())
            .map(|(thread, (held, waiting))| (thread, held, waiting))
            .collect()
    }
}

/// The recorder of the execution loom is running on this OS thread.
#[derive(Default)]
struct Recorder {
    trace: Trace,
    thread_numbers: HashMap<loom::thread::ThreadId, usize>,
    /// By object: where it was created.
    created: Vec<&'static Location<'static>>,
}

thread_local! {
    static RECORDER: RefCell<Option<Recorder>> = const { RefCell::new(None) };
}

/// Starts recording a new execution; called first thing in every execution
/// of a harness check, on the model's main thread.
pub(crate) fn begin_execution() {
    let mut recorder = Recorder::default();
    recorder
        .thread_numbers
        .insert(loom::thread::current().id(), 0);
    recorder.trace.threads = 1;
    RECORDER.with(|cell| *cell.borrow_mut() = Some(recorder));
}

/// Stops recording and returns what the last execution did.
pub(crate) fn finish() -> Trace {
    RECORDER
        .with(|cell| cell.borrow_mut().take())
        .map(|recorder| recorder.trace)
        .unwrap_or_default()
}

/// A copy of what the current execution has done so far (for the panic hook,
/// which must save the trace before loom unwinds).
pub(crate) fn snapshot() -> Trace {
    RECORDER
        .with(|cell| {
            cell.borrow()
                .as_ref()
                .map(|recorder| recorder.trace.clone())
        })
        .unwrap_or_default()
}

fn with_recorder<R>(f: impl FnOnce(&mut Recorder) -> R) -> Option<R> {
    RECORDER.with(|cell| cell.borrow_mut().as_mut().map(f))
}

/// Whether a harness check is recording on this OS thread. Outside one (a
/// plain `loom::model`, or no model at all) the loom types work unrecorded.
pub(crate) fn is_recording() -> bool {
    RECORDER.with(|cell| cell.borrow().is_some())
}

/// Numbers a newly spawned loom thread; the next number in spawn order.
pub(crate) fn register_thread(id: loom::thread::ThreadId) -> Option<usize> {
    with_recorder(|recorder| {
        let number = recorder.trace.threads;
        recorder.trace.threads += 1;
        recorder.thread_numbers.insert(id, number);
        number
    })
}

/// Names the calling loom thread in the trace.
pub(crate) fn name_thread(name: &str) {
    if !is_recording() {
        return;
    }
    let id = loom::thread::current().id();
    with_recorder(|recorder| {
        let thread = recorder.thread_numbers.get(&id).copied().unwrap_or(0);
        recorder.trace.thread_names.insert(thread, name.to_string());
    });
}

/// Names thread number `thread` in the trace (for a thread named when it
/// is spawned, before it runs).
pub(crate) fn name_thread_number(thread: usize, name: &str) {
    with_recorder(|recorder| {
        recorder.trace.thread_names.insert(thread, name.to_string());
    });
}

/// Registers a new shared object of `kind`, created where its caller was
/// called from (`#[track_caller]`); returns its index.
#[track_caller]
pub(crate) fn register_object(kind: &str) -> Option<usize> {
    let created = Location::caller();
    with_recorder(|recorder| {
        let objects = &mut recorder.trace.objects;
        let number = 1 + objects.iter().filter(|o| o.kind == kind).count();
        objects.push(Object {
            kind: kind.to_string(),
            number,
            name: None,
        });
        recorder.created.push(created);
        objects.len() - 1
    })
}

/// How many objects the execution has created so far.
pub(crate) fn objects_created() -> usize {
    with_recorder(|recorder| recorder.trace.objects.len()).unwrap_or(0)
}

/// Names each object created since the first `from` that has no name yet
/// after the field or variable its creation line stores it in, if that
/// line says (see [`stored_in`]).
pub(crate) fn name_by_field(from: usize) {
    let unnamed: Vec<(usize, &'static Location<'static>)> = with_recorder(|recorder| {
        (from..recorder.trace.objects.len())
            .filter(|&o| recorder.trace.objects[o].name.is_none())
            .filter_map(|o| Some((o, *recorder.created.get(o)?)))
            .collect()
    })
    .unwrap_or_default();
    for (object, created) in unnamed {
        let name = FIELD_NAMES.with(|names| {
            names
                .borrow_mut()
                .entry((created.file(), created.line()))
                .or_insert_with(|| {
                    crate::source::source_line(created.file(), created.line())
                        .and_then(|line| stored_in(&line))
                })
                .clone()
        });
        if let Some(name) = name {
            name_object(Some(object), &name);
        }
    }
}

thread_local! {
    /// By source line: the field or variable it stores an object in (read
    /// once, not in each of loom's executions).
    static FIELD_NAMES: RefCell<HashMap<(&'static str, u32), Option<String>>> =
        RefCell::new(HashMap::new());
}

/// The field or variable a line of code stores what it creates in:
/// `open: Mutex::new(0),` → `open`; `let mut count = ...` → `count`;
/// `None` for a line that starts otherwise (`Mutex::new(0),` alone).
pub(crate) fn stored_in(line: &str) -> Option<String> {
    let line = line.trim();
    let ident = |text: &str| -> Option<(String, usize)> {
        let end = text
            .find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .unwrap_or(text.len());
        let name = &text[..end];
        (!name.is_empty() && !name.starts_with(|c: char| c.is_ascii_digit()))
            .then(|| (name.to_string(), end))
    };
    if let Some(rest) = line.strip_prefix("let ") {
        let rest = rest.trim_start();
        let rest = rest.strip_prefix("mut ").unwrap_or(rest).trim_start();
        return ident(rest).map(|(name, _)| name);
    }
    let (name, end) = ident(line)?;
    let after = line[end..].trim_start();
    (after.starts_with(':') && !after.starts_with("::")).then_some(name)
}

/// Gives a registered object a name for the trace.
pub(crate) fn name_object(object: Option<usize>, name: &str) {
    if let Some(object) = object {
        with_recorder(|recorder| recorder.trace.objects[object].name = Some(name.to_string()));
    }
}

/// Puts `prefix` and a space before the name of every object created
/// since `from` objects existed (an unnamed one becomes `prefix` alone).
pub(crate) fn prefix_names(from: usize, prefix: &str) {
    with_recorder(|recorder| {
        for object in &mut recorder.trace.objects[from..] {
            object.name = Some(match object.name.take() {
                Some(name) => format!("{prefix} {name}"),
                None => prefix.to_string(),
            });
        }
    });
}

/// Records that the current loom thread did `op` to `object` at
/// `location`; returns the event's index in the trace.
pub(crate) fn record(
    op: Op,
    object: Option<usize>,
    location: &'static Location<'static>,
) -> Option<usize> {
    // While a failed execution unwinds, destructors still run (a guard's
    // unlock, a lock's release): they are not part of what loom found.
    if !is_recording() || std::thread::panicking() {
        return None;
    }
    // Asked of loom outside the borrow: `current()` does not call back here.
    let id = loom::thread::current().id();
    with_recorder(|recorder| {
        let thread = recorder.thread_numbers.get(&id).copied().unwrap_or(0);
        recorder.trace.events.push(Event {
            thread,
            op,
            object,
            file: location.file().to_string(),
            line: location.line(),
        });
        recorder.trace.events.len() - 1
    })
}

/// Fills in the value of a write recorded before its value was known: a
/// write through a lock guard is recorded where it happens, and its value
/// once the guard is next used.
pub(crate) fn set_written_value(event: usize, value: String) {
    with_recorder(|recorder| {
        if let Some(Event {
            op: Op::Write { value: written },
            ..
        }) = recorder.trace.events.get_mut(event)
        {
            *written = value;
        }
    });
}

/// `{:?}` of a value, cut short so a trace cell stays readable.
pub(crate) fn show<T: std::fmt::Debug + ?Sized>(value: &T) -> String {
    const MOST: usize = 24;
    let text = format!("{value:?}");
    if text.chars().count() <= MOST {
        text
    } else {
        let cut: String = text.chars().take(MOST - 1).collect();
        format!("{cut}…")
    }
}

#[cfg(test)]
mod tests {
    use super::stored_in;

    #[test]
    fn an_object_is_named_after_the_field_or_variable_its_line_stores_it_in() {
        assert_eq!(stored_in("open: Mutex::new(0),").as_deref(), Some("open"));
        assert_eq!(
            stored_in("    none_open: Condvar::new(),").as_deref(),
            Some("none_open")
        );
        assert_eq!(
            stored_in("let mut count = Mutex::new(0);").as_deref(),
            Some("count")
        );
        assert_eq!(
            stored_in("let seen = Arc::new(AtomicBool::new(false));").as_deref(),
            Some("seen")
        );
        // A line that does not say where the object goes names nothing.
        assert_eq!(stored_in("Mutex::new(0),"), None);
        assert_eq!(stored_in("Self(Mutex::new(0))"), None);
        assert_eq!(stored_in("std::sync::Mutex::new(0)"), None);
        assert_eq!(stored_in("(Mutex::new(0), Condvar::new())"), None);
    }
}
