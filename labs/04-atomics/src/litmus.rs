//! The litmus tests' threads, one function per thread of each test: the
//! same code runs on real threads (`litmus` on std) and under loom
//! (`litmus` on loom). `Test` and `Variant` are in `litmus_tests.rs`.

use super::sync::atomic::{AtomicU32, Ordering, fence};
use crate::litmus_tests::{Test, Variant};

/// One location, alone in its cache line (128 bytes: x86 fetches lines in
/// pairs), so that `x` and `y` travel between cores independently.
#[repr(align(128))]
pub struct Location(pub AtomicU32);

/// The two locations of one run of a test, both 0.
pub struct Locations {
    /// `x`.
    pub x: Location,
    /// `y`.
    pub y: Location,
}

impl Locations {
    /// Both locations 0.
    pub fn new() -> Self {
        Self {
            x: Location(AtomicU32::new(0)),
            y: Location(AtomicU32::new(0)),
        }
    }
}

impl Default for Locations {
    fn default() -> Self {
        Self::new()
    }
}

/// The ordering `variant` gives a store.
fn store_order(variant: Variant) -> Ordering {
    match variant {
        Variant::Relaxed | Variant::Fences => Ordering::Relaxed,
        Variant::ReleaseAcquire => Ordering::Release,
        Variant::SeqCst => Ordering::SeqCst,
    }
}

/// The ordering `variant` gives a load.
fn load_order(variant: Variant) -> Ordering {
    match variant {
        Variant::Relaxed | Variant::Fences => Ordering::Relaxed,
        Variant::ReleaseAcquire => Ordering::Acquire,
        Variant::SeqCst => Ordering::SeqCst,
    }
}

/// A fence of `order`, in the fence variant only.
fn fence_if(variant: Variant, order: Ordering) {
    if variant == Variant::Fences {
        fence(order);
    }
}

/// Runs thread `thread` of `test` on `at`; returns what its loads read
/// (0 where it has no load).
#[inline]
pub fn run_thread(test: Test, variant: Variant, thread: usize, at: &Locations) -> [u32; 2] {
    let (x, y) = (&at.x.0, &at.y.0);
    let (store, load) = (store_order(variant), load_order(variant));
    match (test, thread) {
        // ANCHOR: mp
        // MP: thread 0 writes the data, then raises the flag;
        (Test::Mp, 0) => {
            x.store(1, store); // data
            fence_if(variant, Ordering::Release);
            y.store(1, store); // flag
            [0, 0]
        }
        // thread 1 reads the flag, then the data.
        (Test::Mp, _) => {
            let r0 = y.load(load); // flag
            fence_if(variant, Ordering::Acquire);
            let r1 = x.load(load); // data
            [r0, r1]
        }
        // ANCHOR_END: mp
        // ANCHOR: sb
        // SB: each thread stores its own location, then loads the other's.
        (Test::Sb, 0) => {
            x.store(1, store);
            fence_if(variant, Ordering::SeqCst);
            [y.load(load), 0] // r0
        }
        (Test::Sb, _) => {
            y.store(1, store);
            fence_if(variant, Ordering::SeqCst);
            [x.load(load), 0] // r1
        }
        // ANCHOR_END: sb
        // ANCHOR: lb
        // LB: each thread loads the other's location, then stores its own.
        (Test::Lb, 0) => {
            let r0 = x.load(load);
            y.store(1, store);
            [r0, 0]
        }
        (Test::Lb, _) => {
            let r1 = y.load(load);
            x.store(1, store);
            [r1, 0]
        }
        // ANCHOR_END: lb
        // ANCHOR: iriw
        // IRIW: two writers, one location each;
        (Test::Iriw, 0) => {
            x.store(1, store);
            [0, 0]
        }
        (Test::Iriw, 1) => {
            y.store(1, store);
            [0, 0]
        }
        // two readers: x then y (r0, r1), and y then x (r2, r3).
        (Test::Iriw, 2) => {
            let r0 = x.load(load);
            fence_if(variant, Ordering::SeqCst);
            [r0, y.load(load)]
        }
        (Test::Iriw, _) => {
            let r2 = y.load(load);
            fence_if(variant, Ordering::SeqCst);
            [r2, x.load(load)]
        }
        // ANCHOR_END: iriw
        // ANCHOR: two_plus_two_w
        // 2+2W: each thread stores both locations, in opposite orders; the
        // outcome is their final values, read once both threads are done.
        (Test::TwoPlusTwoW, 0) => {
            x.store(1, store);
            y.store(2, store);
            [0, 0]
        }
        (Test::TwoPlusTwoW, _) => {
            y.store(1, store);
            x.store(2, store);
            [0, 0]
        }
        // ANCHOR_END: two_plus_two_w
        // ANCHOR: corr
        // CoRR: one store, and two loads of the same location.
        (Test::CoRR, 0) => {
            x.store(1, store);
            [0, 0]
        }
        (Test::CoRR, _) => {
            let r0 = x.load(load);
            [r0, x.load(load)]
        } // ANCHOR_END: corr
    }
}

/// The outcome of one run, from what each thread's loads read
/// (`registers[thread]`) and the locations once every thread is done: the
/// test's registers in order, then zeros.
pub fn outcome(test: Test, registers: &[[u32; 2]], at: &Locations) -> [u32; 4] {
    match test {
        Test::Mp | Test::CoRR => [registers[1][0], registers[1][1], 0, 0],
        Test::Sb | Test::Lb => [registers[0][0], registers[1][0], 0, 0],
        Test::Iriw => [
            registers[2][0],
            registers[2][1],
            registers[3][0],
            registers[3][1],
        ],
        Test::TwoPlusTwoW => [
            at.x.0.load(Ordering::Relaxed),
            at.y.0.load(Ordering::Relaxed),
            0,
            0,
        ],
    }
}
