//! Bounded channels and backpressure: a producer faster than its consumer
//! fills an unbounded channel without limit (the queue is the memory), and
//! waits at a bounded one (the queue is at most its capacity).
//!
//! The producer sends `messages` of `size` bytes; the consumer does a fixed
//! amount of work on each. On tokio's current-thread runtime an unbounded
//! `send` never yields, so the producer sends everything before the
//! consumer runs at all: the peak below is exact, not a matter of timing.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use tokio::sync::mpsc;

/// What a run measured.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Queued {
    /// The most messages sent and not yet received at any moment.
    pub peak_messages: u64,
    /// The same, in bytes of payload.
    pub peak_bytes: u64,
    /// Messages the consumer handled (all of them, or the run is wrong).
    pub handled: u64,
}

/// Sent minus received, and its highest value.
#[derive(Default)]
struct Depth {
    now: AtomicU64,
    peak: AtomicU64,
}

impl Depth {
    fn sent(&self) {
        let now = self.now.fetch_add(1, Ordering::Relaxed) + 1;
        self.peak.fetch_max(now, Ordering::Relaxed);
    }
    fn received(&self) {
        self.now.fetch_sub(1, Ordering::Relaxed);
    }
    /// What a run measured, once its `handled` messages of `size` are in.
    fn measured(&self, handled: u64, size: usize) -> Queued {
        let peak = self.peak.load(Ordering::Relaxed);
        Queued {
            peak_messages: peak,
            peak_bytes: peak * size as u64,
            handled,
        }
    }
}

/// The consumer's work on one message: a checksum, `work` times over.
fn handle(message: &[u8], work: u32) -> u64 {
    let mut sum = 0u64;
    for round in 0..work {
        for &byte in message {
            sum = sum
                .wrapping_mul(31)
                .wrapping_add(u64::from(byte) ^ u64::from(round));
        }
    }
    std::hint::black_box(sum)
}

// ANCHOR: unbounded
/// An unbounded channel: `send` never waits, so nothing slows the producer.
pub async fn unbounded(messages: u64, size: usize, work: u32) -> Queued {
    let depth = Arc::new(Depth::default());
    let (sender, mut receiver) = mpsc::unbounded_channel::<Vec<u8>>();
    let producing = Arc::clone(&depth);
    let producer = tokio::spawn(async move {
        for n in 0..messages {
            producing.sent();
            if sender.send(vec![n as u8; size]).is_err() {
                return; // the consumer is gone
            }
        }
    });
    let mut handled = 0;
    while let Some(message) = receiver.recv().await {
        depth.received();
        handle(&message, work);
        handled += 1;
    }
    producer.await.expect("the producer does not panic");
    depth.measured(handled, size)
}
// ANCHOR_END: unbounded

// ANCHOR: bounded
/// A channel of `capacity`: `send` waits while it is full, so the producer
/// goes at the consumer's pace, and the queue never holds more.
pub async fn bounded(messages: u64, size: usize, work: u32, capacity: usize) -> Queued {
    let depth = Arc::new(Depth::default());
    let (sender, mut receiver) = mpsc::channel::<Vec<u8>>(capacity);
    let producing = Arc::clone(&depth);
    let producer = tokio::spawn(async move {
        for n in 0..messages {
            // Reserve the slot first, then count and send: the count never
            // runs ahead of what the channel holds.
            let Ok(slot) = sender.reserve().await else {
                return; // the consumer is gone
            };
            producing.sent();
            slot.send(vec![n as u8; size]);
        }
    });
    let mut handled = 0;
    while let Some(message) = receiver.recv().await {
        depth.received();
        handle(&message, work);
        handled += 1;
    }
    producer.await.expect("the producer does not panic");
    depth.measured(handled, size)
}
// ANCHOR_END: bounded

/// The demo's sizes: 50,000 messages of 1 KiB, 20 rounds of work each.
pub const MESSAGES: u64 = 50_000;
/// Bytes per message.
pub const SIZE: usize = 1024;
/// Rounds of the consumer's work per message.
pub const WORK: u32 = 20;
/// The bounded channel's capacity.
pub const CAPACITY: usize = 64;

/// This process's peak resident memory (`VmHWM`), in KiB.
fn peak_resident_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// `lab-11 backpressure --only KIND`: one run in this process, on a
/// current-thread runtime; prints `peak_messages peak_bytes handled
/// peak_resident_kib` for the parent to read.
pub fn run_one(kind: &str, messages: u64) -> Result<(), String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("a tokio runtime: {e}"))?;
    let queued = match kind {
        "unbounded" => runtime.block_on(unbounded(messages, SIZE, WORK)),
        "bounded" => runtime.block_on(bounded(messages, SIZE, WORK, CAPACITY)),
        other => return Err(format!("`{other}` is not a channel: unbounded or bounded")),
    };
    let resident = peak_resident_kib().ok_or("no VmHWM in /proc/self/status")?;
    println!(
        "{} {} {} {resident}",
        queued.peak_messages, queued.peak_bytes, queued.handled
    );
    Ok(())
}

/// `lab-11 backpressure`: each channel `runs` times, each run in a process
/// of its own (a process's peak memory is its own); prints the peaks side
/// by side, the median and (lowest–highest) of the runs.
pub fn compare(runs: u32, messages: u64) -> Result<(), String> {
    let me = std::env::current_exe().map_err(|e| e.to_string())?;
    let th = harness::observe::thousands;
    println!(
        "A producer sends {} messages of {SIZE} bytes as fast as it can; the consumer \
         checksums each {WORK} times. Each run is a process of its own, on a current-thread \
         runtime; {runs} run{} of each.\n",
        th(messages),
        if runs == 1 { "" } else { "s" }
    );
    println!(
        "{:<22} {:>16} {:>14} {:>30}",
        "channel", "peak queued", "queued bytes", "peak resident memory (KiB)"
    );
    let mut medians = Vec::new();
    for (kind, label) in [
        ("unbounded", String::from("unbounded")),
        ("bounded", format!("bounded({CAPACITY})")),
    ] {
        let mut resident = Vec::new();
        let mut peak = (0, 0);
        for _ in 0..runs {
            let output = std::process::Command::new(&me)
                .args(["backpressure", "--only", kind, "--messages"])
                .arg(messages.to_string())
                .output()
                .map_err(|e| format!("cannot run {}: {e}", me.display()))?;
            if !output.status.success() {
                return Err(format!(
                    "the {kind} run failed: {}",
                    String::from_utf8_lossy(&output.stderr)
                ));
            }
            let text = String::from_utf8_lossy(&output.stdout);
            let fields: Vec<u64> = text
                .split_whitespace()
                .filter_map(|f| f.parse().ok())
                .collect();
            let [queued, bytes, handled, kib] = fields[..] else {
                return Err(format!("the {kind} run printed {text:?}"));
            };
            if handled != messages {
                return Err(format!(
                    "the {kind} run handled {handled} of {messages} messages"
                ));
            }
            peak = (queued, bytes);
            resident.push(kib);
        }
        resident.sort_unstable();
        let median = resident[resident.len() / 2];
        medians.push(median);
        let spread = if runs == 1 {
            th(median)
        } else {
            format!(
                "{} ({}–{})",
                th(median),
                th(resident[0]),
                th(resident[resident.len() - 1])
            )
        };
        println!(
            "{:<22} {:>16} {:>14} {:>30}",
            label,
            th(peak.0),
            th(peak.1),
            spread
        );
    }
    println!(
        "\nThe unbounded channel's process peaked at {:.1}× the bounded one's memory. \
         The queued counts are exact on this runtime (an unbounded send never yields, so \
         every message is queued before the consumer runs); the memory is measured.",
        medians[0] as f64 / medians[1] as f64
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::peak_resident_kib;

    #[test]
    fn this_process_peak_memory_is_read_in_kib() {
        // A test process holds its binary and its threads' stacks: several
        // MiB, never 0 or 1 KiB.
        let kib = peak_resident_kib().expect("VmHWM in /proc/self/status");
        assert!(kib > 1_000, "{kib} KiB");
    }
}
