//! A single-threaded executor and its reactor, small enough to read in one
//! sitting: a queue of tasks ready to run, wakers that put a task back in
//! it, timers, and `poll(2)` on a pipe to sleep in until the next timer is
//! due or another thread wakes a task. asyncio's event loop and tokio's
//! current-thread runtime have the same shape, with sockets added.

use crate::Event;
use crate::on_std::fixed::RegisterThenCheck;
use crate::on_std::handshake::{AnnounceThenCheck, Doorbell, Handshake};
use rustix::event::{PollFd, PollFlags, poll};
use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};
use std::future::Future;
use std::io::{self, PipeReader, PipeWriter, Read, Write};
use std::panic::{self, AssertUnwindSafe};
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Wake, Waker};
use std::thread;
use std::time::{Duration, Instant};

type BoxedFuture = Pin<Box<dyn Future<Output = ()> + Send>>;

// ANCHOR: task
/// A spawned future. Its waker is the task itself: waking it puts it back
/// in the ready queue, from any thread.
struct Task {
    future: Mutex<Option<BoxedFuture>>,
    loop_: Arc<Shared>,
}

impl Wake for Task {
    fn wake(self: Arc<Self>) {
        let shared = &self.loop_;
        // Into the ready queue first, then the loop woken if it sleeps:
        // `handshake.rs` says why in this order, and loom checks it.
        shared.handshake.wake(&shared.doorbell, || {
            shared.ready.lock().unwrap().push_back(Arc::clone(&self));
        });
    }
}
// ANCHOR_END: task

/// A timer: wake `waker` at `at`. Ordered by time (then by creation).
struct Timer {
    at: Instant,
    number: u64,
    waker: Waker,
}

impl PartialEq for Timer {
    fn eq(&self, other: &Self) -> bool {
        (self.at, self.number) == (other.at, other.number)
    }
}
impl Eq for Timer {}
impl PartialOrd for Timer {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Timer {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        (self.at, self.number).cmp(&(other.at, other.number))
    }
}

/// What the loop and every waker share.
struct Shared {
    ready: Mutex<VecDeque<Arc<Task>>>,
    timers: Mutex<(BinaryHeap<Reverse<Timer>>, u64)>,
    live_tasks: AtomicUsize,
    /// Whether the loop is (about to be) asleep, checked by loom in
    /// `handshake.rs`, and the pipe a waker rings it with.
    handshake: AnnounceThenCheck,
    doorbell: SelfPipe,
}

/// The "self-pipe": a waker writes a byte, and the loop sleeps in `poll(2)`
/// until there is one to read (or the next timer is due).
struct SelfPipe {
    reader: Mutex<PipeReader>,
    writer: Mutex<PipeWriter>,
}

/// A handle to the loop, for tasks to spawn, sleep and hand off blocking
/// work. Cheap to clone.
#[derive(Clone)]
pub struct Handle(Arc<Shared>);

/// The event loop. Runs on the thread that calls [`EventLoop::run`].
pub struct EventLoop {
    handle: Handle,
}

impl EventLoop {
    /// A loop with nothing to do yet.
    pub fn new() -> io::Result<Self> {
        let (reader, writer) = io::pipe()?;
        // Neither end may block: a waker must never wait on a full pipe (one
        // pending byte is enough to wake the loop), and draining stops at empty.
        rustix::io::ioctl_fionbio(&reader, true)?;
        rustix::io::ioctl_fionbio(&writer, true)?;
        let shared = Shared {
            ready: Mutex::new(VecDeque::new()),
            timers: Mutex::new((BinaryHeap::new(), 0)),
            live_tasks: AtomicUsize::new(0),
            handshake: AnnounceThenCheck::new(),
            doorbell: SelfPipe {
                reader: Mutex::new(reader),
                writer: Mutex::new(writer),
            },
        };
        Ok(Self {
            handle: Handle(Arc::new(shared)),
        })
    }

    /// A handle for spawning and sleeping.
    pub fn handle(&self) -> Handle {
        self.handle.clone()
    }

    // ANCHOR: run
    /// Runs `main` and every task spawned, until all of them are done;
    /// returns what `main` returned.
    pub fn run<T: Send + 'static>(&self, main: impl Future<Output = T> + Send + 'static) -> T {
        let result = Arc::new(Mutex::new(None));
        let slot = Arc::clone(&result);
        self.handle.spawn(async move {
            *slot.lock().unwrap() = Some(main.await);
        });
        let shared = &self.handle.0;
        while shared.live_tasks.load(Ordering::SeqCst) > 0 {
            fire_due_timers(shared);
            // Run the tasks that are ready now, once each (a task woken
            // meanwhile waits for the next pass, after the timers, as in
            // asyncio). A task runs until it returns `Pending`: nothing
            // here can stop one that does not.
            let ready_now = shared.ready.lock().unwrap().len();
            for _ in 0..ready_now {
                let task = shared.ready.lock().unwrap().pop_front();
                let Some(task) = task else { break };
                poll_task(task);
            }
            if shared.live_tasks.load(Ordering::SeqCst) == 0 {
                break;
            }
            // Sleep until a waker rings or the next timer is due, unless a
            // task became ready meanwhile (`AnnounceThenCheck` in
            // `handshake.rs`: the order loom checks). The tasks just run
            // may have set new timers: look now.
            let has_work = || !shared.ready.lock().unwrap().is_empty();
            shared
                .handshake
                .sleep_unless(&shared.doorbell, has_work, next_timer(shared));
        }
        let output = result.lock().unwrap().take();
        output.expect("main ran to completion")
    }
    // ANCHOR_END: run
}

/// Polls a task once, if it is not finished.
fn poll_task(task: Arc<Task>) {
    let mut slot = task.future.lock().unwrap();
    let Some(future) = slot.as_mut() else {
        return; // woken after it finished: nothing to do
    };
    let waker = Waker::from(Arc::clone(&task));
    let mut cx = Context::from_waker(&waker);
    // A task that panics ends; the loop and the other tasks go on (tokio
    // turns it into a `JoinError`, asyncio logs it).
    let polled = panic::catch_unwind(AssertUnwindSafe(|| future.as_mut().poll(&mut cx)));
    if !matches!(polled, Ok(Poll::Pending)) {
        if polled.is_err() {
            eprintln!("event loop: a task panicked; it is dropped, the others go on");
        }
        *slot = None;
        task.loop_.live_tasks.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Wakes the tasks whose timers are due.
fn fire_due_timers(shared: &Shared) {
    let now = Instant::now();
    let mut timers = shared.timers.lock().unwrap();
    while timers
        .0
        .peek()
        .is_some_and(|Reverse(timer)| timer.at <= now)
    {
        let Reverse(timer) = timers.0.pop().expect("just peeked");
        timer.waker.wake();
    }
}

/// When the next timer is due, if any is set.
fn next_timer(shared: &Shared) -> Option<Instant> {
    let timers = shared.timers.lock().unwrap();
    timers.0.peek().map(|Reverse(timer)| timer.at)
}

// ANCHOR: sleep_in_poll
impl Doorbell for SelfPipe {
    /// One byte in the pipe; full (`WouldBlock`) means a ring is pending.
    fn ring(&self) {
        let _ = self.writer.lock().unwrap().write(&[1]);
    }

    /// Sleeps in `poll(2)` on the pipe until a waker writes to it or
    /// `until` comes.
    fn sleep(&self, until: Option<Instant>) {
        let timeout = until.map(|at| at.saturating_duration_since(Instant::now()));
        let timeout = timeout.and_then(|t| rustix::event::Timespec::try_from(t).ok());
        let mut reader = self.reader.lock().unwrap();
        let mut fds = [PollFd::new(&*reader, PollFlags::IN)];
        let _ = poll(&mut fds, timeout.as_ref()); // EINTR: just loop again
        if fds[0].revents().contains(PollFlags::IN) {
            while let Ok(1..) = reader.read(&mut [0; 64]) {} // drain the rings
        }
    }
}
// ANCHOR_END: sleep_in_poll

impl Handle {
    /// Starts `future` as a new task on the loop.
    pub fn spawn(&self, future: impl Future<Output = ()> + Send + 'static) {
        self.0.live_tasks.fetch_add(1, Ordering::SeqCst);
        let task = Arc::new(Task {
            future: Mutex::new(Some(Box::pin(future))),
            loop_: Arc::clone(&self.0),
        });
        Waker::from(task).wake();
    }

    /// A future that is ready `duration` from now, on the loop's own timer:
    /// no thread waits for it.
    pub fn sleep(&self, duration: Duration) -> Sleep {
        Sleep {
            at: Instant::now() + duration,
            loop_: Arc::clone(&self.0),
            registered: false,
        }
    }

    // ANCHOR: spawn_blocking
    /// Runs `work` on a thread of its own, so it cannot block the loop;
    /// the returned future is ready with its result when it is done, or
    /// with the panic's payload if it panicked (as `thread::join` gives).
    pub fn spawn_blocking<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> impl Future<Output = thread::Result<T>> + Send + 'static {
        let done = Arc::new((RegisterThenCheck::new(), Mutex::new(None)));
        let finished = Arc::clone(&done);
        let started = thread::Builder::new().spawn(move || {
            let result = panic::catch_unwind(AssertUnwindSafe(work));
            *finished.1.lock().unwrap() = Some(result);
            finished.0.set(); // wakes the task awaiting it, on the loop
        });
        if let Err(error) = started {
            // No thread to run it on: the future says so at once.
            let payload: Box<dyn std::any::Any + Send> = Box::new(error);
            *done.1.lock().unwrap() = Some(Err(payload));
            done.0.set();
        }
        std::future::poll_fn(move |cx| {
            if done.0.poll_wait(cx).is_pending() {
                return Poll::Pending;
            }
            Poll::Ready(done.1.lock().unwrap().take().expect("set after the result"))
        })
    }
    // ANCHOR_END: spawn_blocking
}

/// The future [`Handle::sleep`] returns.
pub struct Sleep {
    at: Instant,
    loop_: Arc<Shared>,
    registered: bool,
}

impl Future for Sleep {
    type Output = ();
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if Instant::now() >= self.at {
            return Poll::Ready(());
        }
        if !self.registered {
            let mut timers = self.loop_.timers.lock().unwrap();
            timers.1 += 1;
            let timer = Timer {
                at: self.at,
                number: timers.1,
                waker: cx.waker().clone(),
            };
            timers.0.push(Reverse(timer));
            drop(timers);
            self.registered = true;
        }
        Poll::Pending
    }
}

/// A future that returns `Pending` once, after waking its own task: it
/// lets the other ready tasks run first. The `.await` is the yield.
pub async fn yield_now() {
    let mut yielded = false;
    std::future::poll_fn(|cx| {
        if yielded {
            return Poll::Ready(());
        }
        yielded = true;
        cx.waker().wake_by_ref(); // Pending is a promise: keep it
        Poll::Pending
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicBool;

    /// How long any of these tests may take: each takes milliseconds (the
    /// ten thousand timers, well under a second, even unoptimised), so a
    /// test still running after 10 s has hung, most likely on a lost
    /// wakeup: the loop asleep in `poll(2)` with nothing left to wake it.
    const LIMIT: Duration = Duration::from_secs(10);

    /// Runs `test`, failing if it is still running after `limit`.
    fn within<T: Send + 'static>(limit: Duration, test: impl FnOnce() -> T + Send + 'static) -> T {
        harness::watchdog::within(
            limit,
            "the event loop is stuck, most likely asleep on a wakeup that never comes",
            test,
        )
    }

    #[test]
    fn tasks_run_and_timers_fire_in_order() {
        within(LIMIT, || {
            let event_loop = EventLoop::new().unwrap();
            let handle = event_loop.handle();
            let order = Arc::new(Mutex::new(Vec::new()));
            let seen = Arc::clone(&order);
            event_loop.run(async move {
                for (name, ms) in [("late", 30), ("early", 10), ("middle", 20)] {
                    let (handle2, seen) = (handle.clone(), Arc::clone(&seen));
                    handle.spawn(async move {
                        handle2.sleep(Duration::from_millis(ms)).await;
                        seen.lock().unwrap().push(name);
                    });
                }
            });
            assert_eq!(*order.lock().unwrap(), ["early", "middle", "late"]);
        });
    }

    #[test]
    fn blocking_work_on_a_thread_wakes_its_task_with_the_result() {
        within(LIMIT, || {
            let event_loop = EventLoop::new().unwrap();
            let handle = event_loop.handle();
            let value = event_loop.run(async move {
                handle
                    .spawn_blocking(|| {
                        thread::sleep(Duration::from_millis(20));
                        42
                    })
                    .await
            });
            assert_eq!(value.unwrap(), 42);
        });
    }

    #[test]
    fn yielding_lets_the_other_tasks_run_in_turn() {
        within(LIMIT, || {
            let event_loop = EventLoop::new().unwrap();
            let handle = event_loop.handle();
            let order = Arc::new(Mutex::new(String::new()));
            let seen = Arc::clone(&order);
            event_loop.run(async move {
                for name in ['a', 'b'] {
                    let seen = Arc::clone(&seen);
                    handle.spawn(async move {
                        for _ in 0..3 {
                            seen.lock().unwrap().push(name);
                            yield_now().await;
                        }
                    });
                }
            });
            assert_eq!(*order.lock().unwrap(), "ababab");
        });
    }

    #[test]
    fn ten_thousand_tasks_all_finish() {
        within(LIMIT, || {
            let event_loop = EventLoop::new().unwrap();
            let handle = event_loop.handle();
            let done = Arc::new(AtomicUsize::new(0));
            let count = Arc::clone(&done);
            event_loop.run(async move {
                for _ in 0..10_000 {
                    let (count, handle2) = (Arc::clone(&count), handle.clone());
                    handle.spawn(async move {
                        handle2.sleep(Duration::from_millis(1)).await;
                        count.fetch_add(1, Ordering::Relaxed);
                    });
                }
            });
            assert_eq!(done.load(Ordering::Relaxed), 10_000);
        });
    }

    #[test]
    fn a_panic_in_blocking_work_reaches_its_task_and_the_loop_goes_on() {
        within(LIMIT, || {
            let event_loop = EventLoop::new().unwrap();
            let handle = event_loop.handle();
            let outcome = event_loop.run(async move {
                let panicked = handle
                    .spawn_blocking(|| panic!("blocking work failed"))
                    .await;
                let after = handle.spawn_blocking(|| 7).await.unwrap();
                (panicked.is_err(), after)
            });
            assert_eq!(outcome, (true, 7));
        });
    }

    #[test]
    fn a_task_that_panics_ends_alone() {
        within(LIMIT, || {
            let event_loop = EventLoop::new().unwrap();
            let handle = event_loop.handle();
            let done = Arc::new(AtomicUsize::new(0));
            let count = Arc::clone(&done);
            event_loop.run(async move {
                handle.spawn(async { panic!("this task fails") });
                let handle2 = handle.clone();
                handle.spawn(async move {
                    handle2.sleep(Duration::from_millis(5)).await;
                    count.fetch_add(1, Ordering::Relaxed);
                });
            });
            assert_eq!(done.load(Ordering::Relaxed), 1);
        });
    }

    /// A wrong future: `Pending` without arranging for a wake-up. The flag
    /// is set, but nothing tells the loop, which sleeps for ever: this test
    /// proves such a hang ends as a failure, within a short limit.
    #[test]
    #[should_panic(expected = "did not finish within")]
    fn a_task_pending_without_a_waker_fails_within_the_limit() {
        within(Duration::from_millis(500), || {
            let event_loop = EventLoop::new().unwrap();
            let done = Arc::new(AtomicBool::new(false));
            let flag = Arc::clone(&done);
            thread::spawn(move || {
                thread::sleep(Duration::from_millis(20));
                flag.store(true, Ordering::SeqCst);
            });
            event_loop.run(std::future::poll_fn(move |_cx| {
                if done.load(Ordering::SeqCst) {
                    Poll::Ready(())
                } else {
                    Poll::Pending // and nobody will wake it
                }
            }));
        });
    }
}
