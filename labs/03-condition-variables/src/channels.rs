//! The hand-made queue beside the production answers, behind one small
//! trait: crossbeam-channel's bounded channel, and std's `sync_channel`.

use crate::Queue;
use crate::on_std::fixed::BoundedQueue;
use std::sync::Arc;
use std::sync::mpsc;
use std::thread;

/// A bounded channel: a sending half that producers clone, a receiving half.
pub trait Channel {
    /// The sending half.
    type Sender: Clone + Send;
    /// The receiving half.
    type Receiver: Send;
    /// A channel holding at most `capacity` messages in flight.
    fn bounded(capacity: usize) -> (Self::Sender, Self::Receiver);
    /// Sends `message`, waiting while the channel is full.
    fn send(sender: &Self::Sender, message: u32);
    /// Receives a message, waiting while the channel is empty.
    fn recv(receiver: &Self::Receiver) -> u32;
}

/// Implements [`Channel`] for a library's channel, given its two halves
/// and the function that makes them from a capacity: every library channel
/// here sends and receives the same way (see `Crossbeam`, spelled out).
#[macro_export]
macro_rules! library_channel {
    ($name:ident, $sender:ty, $receiver:ty, $make:expr $(,)?) => {
        impl $crate::channels::Channel for $name {
            type Sender = $sender;
            type Receiver = $receiver;
            fn bounded(capacity: usize) -> (Self::Sender, Self::Receiver) {
                $make(capacity)
            }
            fn send(sender: &Self::Sender, message: u32) {
                sender
                    .send(message)
                    .expect("the receiver outlives the producers");
            }
            fn recv(receiver: &Self::Receiver) -> u32 {
                receiver.recv().expect("the producers send every message")
            }
        }
    };
}

/// This lab's `BoundedQueue`: one `Mutex<VecDeque>` and two `Condvar`s.
pub struct HandMade;
/// crossbeam-channel's bounded channel.
pub struct Crossbeam;
/// std's `sync_channel`.
pub struct StdSync;

impl Channel for HandMade {
    type Sender = Arc<BoundedQueue>;
    type Receiver = Arc<BoundedQueue>;
    fn bounded(capacity: usize) -> (Self::Sender, Self::Receiver) {
        let queue = Arc::new(BoundedQueue::with_capacity(capacity));
        (queue.clone(), queue)
    }
    fn send(sender: &Self::Sender, message: u32) {
        sender.push(message);
    }
    fn recv(receiver: &Self::Receiver) -> u32 {
        receiver.pop()
    }
}

// ANCHOR: crossbeam
impl Channel for Crossbeam {
    type Sender = crossbeam::channel::Sender<u32>;
    type Receiver = crossbeam::channel::Receiver<u32>;
    fn bounded(capacity: usize) -> (Self::Sender, Self::Receiver) {
        crossbeam::channel::bounded(capacity)
    }
    fn send(sender: &Self::Sender, message: u32) {
        sender
            .send(message)
            .expect("the receiver outlives the producers");
    }
    fn recv(receiver: &Self::Receiver) -> u32 {
        receiver.recv().expect("the producers send every message")
    }
}
// ANCHOR_END: crossbeam

library_channel!(
    StdSync,
    mpsc::SyncSender<u32>,
    mpsc::Receiver<u32>,
    mpsc::sync_channel
);

// ANCHOR: pipe
/// `producers` threads send `messages` messages between them (the numbers
/// `0..messages`, each once) through a channel of `capacity`; this thread
/// receives them all, and returns them in the order received.
pub fn pipe<C: Channel>(producers: u32, messages: u32, capacity: usize) -> Vec<u32> {
    let (sender, receiver) = C::bounded(capacity);
    thread::scope(|scope| {
        for producer in 0..producers {
            let sender = sender.clone();
            scope.spawn(move || {
                for message in (producer..messages).step_by(producers as usize) {
                    C::send(&sender, message);
                }
            });
        }
        (0..messages).map(|_| C::recv(&receiver)).collect()
    })
}
// ANCHOR_END: pipe
