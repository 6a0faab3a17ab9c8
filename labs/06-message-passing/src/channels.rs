//! The production answer beside the hand-made one, behind chapter 3's
//! [`Channel`] trait: crossbeam-channel's bounded and unbounded channels,
//! std's `mpsc`, and this lab's `ClosingJobs` (one `Mutex<VecDeque>` and a
//! `Condvar`).

use crate::Jobs;
use crate::on_std::fixed::ClosingJobs;
pub use lab_03::channels::{Channel, Crossbeam as CrossbeamBounded, pipe};
use lab_03::library_channel;
use std::sync::Arc;
use std::sync::mpsc;

/// crossbeam-channel's unbounded channel.
pub struct CrossbeamUnbounded;
/// std's `mpsc::channel` (unbounded).
pub struct StdMpsc;
/// This lab's `ClosingJobs`: an unbounded `Mutex<VecDeque>` and a `Condvar`.
pub struct MutexVecDeque;

// Unbounded channels ignore the capacity they are given.
library_channel!(
    CrossbeamUnbounded,
    crossbeam::channel::Sender<u32>,
    crossbeam::channel::Receiver<u32>,
    |_capacity| crossbeam::channel::unbounded()
);
library_channel!(
    StdMpsc,
    mpsc::Sender<u32>,
    mpsc::Receiver<u32>,
    |_capacity| mpsc::channel()
);

impl Channel for MutexVecDeque {
    type Sender = Arc<ClosingJobs>;
    type Receiver = Arc<ClosingJobs>;
    fn bounded(_capacity: usize) -> (Self::Sender, Self::Receiver) {
        let jobs = Arc::new(ClosingJobs::new());
        (jobs.clone(), jobs)
    }
    fn send(sender: &Self::Sender, message: u32) {
        sender.send(message);
    }
    fn recv(receiver: &Self::Receiver) -> u32 {
        receiver.recv().expect("the producers send every message")
    }
}
