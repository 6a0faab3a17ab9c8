//! The loom models: a parent (loom's main thread) and a child (a loom
//! thread) connected by modelled pipes (see `model.rs`).
//!
//! Each function here is a loom model: a test hands it to `harness::Check`,
//! which runs it under `loom::model::Builder`, once per class of equivalent
//! interleavings within the check's bound, recording what each thread did.

use crate::Output;
use crate::model::{ModelChild, chatty, echo, head};
use std::io;

/// How a parent collects a child's output: `wait_then_read`,
/// `read_while_waiting`...
pub type Collect = fn(ModelChild) -> io::Result<Output>;

/// How a parent feeds a child's stdin and collects its stdout.
pub type Communicate = fn(ModelChild, Vec<u8>) -> io::Result<Vec<u8>>;

// ANCHOR: collect_model
/// The parent runs `collect` on a [`chatty`] child, which writes more than
/// a pipe holds to stderr, then to stdout: the parent must end up with
/// every byte, from the right pipe.
pub fn collect_from_a_chatty_child(collect: Collect) {
    let child = ModelChild::spawn(chatty);
    let output = collect(child).expect("the child writes and exits");
    let expected = Output {
        stdout: vec![4, 5, 6],
        stderr: vec![1, 2, 3],
    };
    assert!(output == expected, "collected {output:?}");
}
// ANCHOR_END: collect_model

// ANCHOR: communicate_model
/// The parent runs `communicate` on an [`echo`] child with 6 bytes of
/// input, more than the child's stdin and stdout pipes hold together: it
/// must get the 6 bytes back.
pub fn feed_a_filter(communicate: Communicate) {
    let child = ModelChild::spawn(echo);
    let input = vec![1, 2, 3, 4, 5, 6];
    let output = communicate(child, input.clone()).expect("the child echoes and exits");
    assert!(output == input, "sent {input:?}, got back {output:?}");
}
// ANCHOR_END: communicate_model

// ANCHOR: stops_reading_model
/// The parent runs `communicate` on a [`head`] child, which reads 2 of the
/// 6 bytes and exits: at most 4 bytes (2 read, 2 in the pipe) can ever be
/// written, so writing the rest fails with a broken pipe. The parent must
/// report that error, not return the 2 bytes as if the child had read all
/// its input: a writer thread that is never joined loses it.
pub fn feed_a_child_that_stops_reading(communicate: Communicate) {
    let child = ModelChild::spawn(head);
    let result = communicate(child, vec![1, 2, 3, 4, 5, 6]);
    let reported = matches!(&result, Err(error) if error.kind() == io::ErrorKind::BrokenPipe);
    assert!(
        reported,
        "the child read 2 of 6 bytes and exited, yet communicate returned {result:?}"
    );
}
// ANCHOR_END: stops_reading_model
