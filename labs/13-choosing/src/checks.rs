//! The loom models: submitters hand a job each to a gate while the main
//! thread closes and drains it, as the compare tool does between two rows;
//! and the exercise's server, shut down while a client connects.
//!
//! Each function here is a loom model: a test hands it to `harness::Check`,
//! which runs it under `loom::model::Builder`, once per class of equivalent
//! interleavings within the check's bound, recording what each thread did.

use super::sync::{Arc, Mutex, Named, named_by_field, thread};
use crate::Gate;

// ANCHOR: admit_then_drain
/// `submitters` threads each ask the gate to run a job of row 1 while the
/// drainer closes and drains the gate, then starts row 2. A job may be
/// refused; but a job admitted must run, to its end, in row 1.
pub fn admit_then_drain<G: Gate>(submitters: u32) {
    thread::name_current("drainer");
    let gate = Arc::new(G::new());
    // The row being measured, which each job looks at as it ends: not part
    // of the gate, but what the gate is for.
    let row = Arc::new(Mutex::new(1).named("row"));
    let submitters: Vec<_> = (1..=submitters)
        .map(|n| {
            let (gate, row) = (Arc::clone(&gate), Arc::clone(&row));
            thread::spawn(move || {
                thread::name_current(&format!("submitter {n}"));
                if gate.enter() {
                    // The job runs; at its last moment, which row is it in?
                    let running_in = *row.lock().unwrap();
                    assert!(running_in == 1, "job {n} of row 1 ran in row {running_in}");
                    gate.leave();
                } // else refused: the gate was closed
            })
        })
        .collect();
    gate.close_and_drain();
    *row.lock().unwrap() = 2; // the next row starts
    for submitter in submitters {
        submitter.join().unwrap();
    }
    assert!(
        !gate.enter(),
        "the gate admitted a job after it was drained"
    );
}
// ANCHOR_END: admit_then_drain

// ANCHOR: open_gate_admits
/// The other half of a gate's job: open, it admits, and a job that left
/// lets the drain return. A gate that refuses everyone never runs a job
/// late, and passes `admit_then_drain`; it fails here. (Apart, so that
/// the race's trace shows only the race.)
pub fn open_gate_admits<G: Gate>() {
    let gate = G::new();
    assert!(gate.enter(), "the open gate refused a job");
    gate.leave();
    gate.close_and_drain();
    assert!(!gate.enter(), "the drained gate admitted a job");
}
// ANCHOR_END: open_gate_admits

// ANCHOR: server
/// The exercise's interface: a server's count of open connections, which
/// stops accepting new ones and waits for the open ones when it shuts down.
pub trait Server: Send + Sync + 'static {
    /// Accepting, no connection open.
    fn new() -> Self;
    /// A client connects: `true` if the server serves it (the handler calls
    /// [`Server::hang_up`] when it is done), `false` once shutting down.
    fn accept(&self) -> bool;
    /// A connection the server served has ended.
    fn hang_up(&self);
    /// Stops accepting connections, then waits until every connection it
    /// served has hung up.
    fn shutdown_and_wait(&self);
}
// ANCHOR_END: server

// ANCHOR: shut_down_while_connecting
/// A client connects while the server shuts down. It may be refused, or
/// served; but if it is served, it must be served, and hang up, before
/// `shutdown_and_wait` returns.
pub fn shut_down_while_connecting<S: Server>() {
    thread::name_current("server");
    // Its locks are called in traces by the fields that hold them (`open`),
    // whoever wrote `S`.
    let server = Arc::new(named_by_field(S::new));
    // A running server serves: one that refuses everyone serves no one
    // late, and must not pass for that.
    assert!(server.accept(), "the running server refused a client");
    server.hang_up();
    // Whether `shutdown_and_wait` has returned, which the client looks at
    // as it hangs up: not part of the server, but what shutting down means.
    let stopped = Arc::new(Mutex::new(false).named("stopped"));
    let client = {
        let (server, stopped) = (Arc::clone(&server), Arc::clone(&stopped));
        thread::spawn(move || {
            thread::name_current("client");
            if server.accept() {
                // Served; at its last moment, has the shutdown returned?
                let late = *stopped.lock().unwrap();
                assert!(
                    !late,
                    "the client was served after shutdown_and_wait returned"
                );
                server.hang_up();
            } // else refused: shutting down
        })
    };
    server.shutdown_and_wait();
    *stopped.lock().unwrap() = true;
    client.join().unwrap();
    assert!(
        !server.accept(),
        "the server accepted a client after it shut down"
    );
}
// ANCHOR_END: shut_down_while_connecting
