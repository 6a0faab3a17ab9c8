//! The hand-made queue and the production channels on real threads: the
//! same producers and consumer, and every message arrives exactly once.

use harness::watchdog::within;
use lab_03::channels::{Channel, Crossbeam, HandMade, StdSync, pipe};
use std::time::Duration;

/// Enough hand-offs for the producers to interleave thousands of times at
/// capacity 1 (each message a full-to-empty round trip), few enough that
/// 18 runs take a second in a debug build.
const MESSAGES: u32 = 4_000;

fn every_message_arrives_once<C: Channel>() {
    for producers in [1, 2, 4] {
        for capacity in [1, 16] {
            // Each pipe takes milliseconds; a queue that loses a wakeup
            // leaves its consumer or a producer asleep for ever instead.
            let mut received = within(
                Duration::from_secs(60),
                &format!(
                    "{producers} producers, capacity {capacity}: a thread is asleep on a \
                     wakeup that never came (a lost notify?)"
                ),
                move || pipe::<C>(producers, MESSAGES, capacity),
            );
            received.sort_unstable();
            let each_once = received.iter().copied().eq(0..MESSAGES);
            assert!(
                each_once,
                "{producers} producers, capacity {capacity}: not each message once"
            );
        }
    }
}

#[test]
fn the_hand_made_queue_delivers_every_message_once() {
    every_message_arrives_once::<HandMade>();
}

#[test]
fn crossbeams_bounded_channel_delivers_every_message_once() {
    every_message_arrives_once::<Crossbeam>();
}

#[test]
fn std_sync_channel_delivers_every_message_once() {
    every_message_arrives_once::<StdSync>();
}
