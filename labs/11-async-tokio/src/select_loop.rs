//! `select!` in a loop, and cancellation safety: a reader of fixed-size
//! frames that also sends a heartbeat on a timer. Each turn of the loop
//! races the next frame against the next tick; the branch that loses is
//! dropped. If the losing branch had read half a frame, those bytes are
//! gone, and every frame after it is read out of step.

use std::time::Duration;
use tokio::io::{AsyncRead, AsyncReadExt};

/// A frame: one big-endian `u64`.
pub const FRAME: usize = 8;

/// What the reader saw: the frames, and how many heartbeats it sent.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Read {
    /// Each frame's value, in order.
    pub frames: Vec<u64>,
    /// Heartbeats sent while waiting.
    pub heartbeats: u32,
}

// ANCHOR: loses_bytes
/// Wrong: `read_exact` is not cancel-safe. A tick that wins the race after
/// half a frame has arrived drops the future holding those bytes.
pub async fn read_frames_losing_bytes(mut input: impl AsyncRead + Unpin, every: Duration) -> Read {
    let mut heartbeat = tokio::time::interval(every);
    let mut read = Read::default();
    loop {
        let mut frame = [0u8; FRAME];
        tokio::select! {
            done = input.read_exact(&mut frame) => match done {
                Ok(_) => read.frames.push(u64::from_be_bytes(frame)),
                Err(_) => return read, // the end of the input
            },
            _ = heartbeat.tick() => read.heartbeats += 1, // drops a half-read frame
        }
    }
}
// ANCHOR_END: loses_bytes

// ANCHOR: keeps_bytes
/// Right: the bytes read so far live outside the raced future, and each
/// turn awaits only `read`, which is cancel-safe (tokio's documentation:
/// if it is dropped, no data was read).
pub async fn read_frames(mut input: impl AsyncRead + Unpin, every: Duration) -> Read {
    let mut heartbeat = tokio::time::interval(every);
    let mut read = Read::default();
    let mut frame = [0u8; FRAME];
    let mut filled = 0; // bytes of the current frame, kept across turns
    loop {
        tokio::select! {
            got = input.read(&mut frame[filled..]) => match got {
                Ok(0) | Err(_) => return read, // the end of the input
                Ok(n) => {
                    filled += n;
                    if filled == FRAME {
                        read.frames.push(u64::from_be_bytes(frame));
                        filled = 0;
                    }
                }
            },
            _ = heartbeat.tick() => read.heartbeats += 1, // nothing lost
        }
    }
}
// ANCHOR_END: keeps_bytes
