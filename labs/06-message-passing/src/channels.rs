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

#[cfg(test)]
mod tests {
    use super::*;

    /// The benchmark's pipe on real threads, through each channel: every
    /// message arrives exactly once (a send that loses messages, or a recv
    /// that makes them up, would let the benchmark time the wrong thing).
    fn every_message_arrives_once<C: Channel + 'static>() {
        for producers in [1, 3] {
            let mut received = harness::watchdog::within(
                std::time::Duration::from_secs(60),
                "a consumer is waiting for a message no one will send",
                move || pipe::<C>(producers, 2_000, 16),
            );
            received.sort_unstable();
            assert!(
                received.iter().copied().eq(0..2_000),
                "{producers} producer(s): not each of 2,000 messages once"
            );
        }
    }

    #[test]
    fn the_mutex_vecdeque_delivers_every_message_once() {
        every_message_arrives_once::<MutexVecDeque>();
    }

    #[test]
    fn crossbeams_unbounded_channel_delivers_every_message_once() {
        every_message_arrives_once::<CrossbeamUnbounded>();
    }

    #[test]
    fn std_mpsc_delivers_every_message_once() {
        every_message_arrives_once::<StdMpsc>();
    }
}
