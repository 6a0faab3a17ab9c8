//! The hand-made queue and the production channels on real threads: the
//! same producers and consumer, and every message arrives exactly once.

use lab_03::channels::{Channel, Crossbeam, HandMade, StdSync, pipe};

const MESSAGES: u32 = 20_000;

fn every_message_arrives_once<C: Channel>() {
    for producers in [1, 2, 4] {
        for capacity in [1, 16] {
            let mut received = pipe::<C>(producers, MESSAGES, capacity);
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
