//! The puzzle trail (book part "Puzzles", issue 28): small programs that
//! look right, each with a race or a deadlock for the learner to find by
//! playing the scheduler in the book's stepper or in `cargo xtask schedule
//! puzzle-NN`. One file per level, named after what it shows; each holds
//! the buggy code, its fix, the loom model both are checked with, and
//! (where there is a tempting one) a wrong fix the tests prove wrong.
//!
//! Each version is written out whole, even where it repeats the others'
//! lines: the book shows each as one listing, and a learner hunting a bug
//! must see all of the code it runs, not a helper defined elsewhere.
//!
//! `tests/levels.rs` checks every level with `harness::Check`, as the labs
//! check their races: the buggy version `must_fail`, the fix `must_pass`,
//! each `.in_book()`, so `cargo xtask traces` records every execution loom
//! ran into `book/src/explore/puzzles/`, which the stepper plays.
//!
//! The levels, easy to hard:
//!
//! 1. [`send_after_close`]: a channel closed while a send is in flight;
//! 2. [`underscore_guard`]: `let _ =` on a lock's guard;
//! 3. [`started_not_done`]: a value computed once, read as soon as
//!    someone has started it;
//! 4. [`cancelled_holding_lock`]: a job cancelled while it holds a lock;
//! 5. [`ticket_taken_twice`]: a ticket lock whose ticket is read, then written;
//! 6. [`callback_under_lock`]: an event bus that delivers while it holds
//!    its list;
//! 7. [`sleeping_barber`]: a barber who looks at the waiting room, then
//!    lies down;
//! 8. [`semaphore_edge_wakeup`]: a semaphore that notifies only when its
//!    count leaves zero;
//! 9. [`polite_livelock`]: two polite threads that never get in;
//! 10. [`philosophers_waiter`]: dining philosophers with a waiter who
//!     counts chairs;
//! 11. [`starved_writer`]: a reader–writer lock whose readers keep its
//!     writer out;
//! 12. [`one_condvar_wrong_sleeper`]: a bounded buffer with one condition
//!     variable and `notify_one`;
//! 13. [`barrier_lapped`]: a reusable barrier that a fast thread laps;
//! 14. [`lazy_init_relaxed`]: double-checked lazy initialisation with a
//!     `Relaxed` flag;
//! 15. [`aba_stack`]: ABA on a lock-free stack.

// Puzzles are models, checked under loom only: they have no std twin to
// run on real threads, so the facade is loom's, here, once.
use harness::sync::loom as sync;

pub mod aba_stack;
pub mod barrier_lapped;
pub mod callback_under_lock;
pub mod cancelled_holding_lock;
pub mod lazy_init_relaxed;
pub mod one_condvar_wrong_sleeper;
pub mod philosophers_waiter;
pub mod polite_livelock;
pub mod semaphore_edge_wakeup;
pub mod send_after_close;
pub mod sleeping_barber;
pub mod started_not_done;
pub mod starved_writer;
pub mod ticket_taken_twice;
pub mod underscore_guard;
