//! Level 15: ABA on a lock-free stack.
//!
//! A pop reads the top node A and the node under it, B, then swaps the top
//! from A to B with a compare-and-swap, which succeeds only if the top is
//! still A. But "still A" is not "unchanged": between the read and the
//! swap, another thread can pop A, pop B, and push A back. The top is A
//! again, the swap succeeds, and the stack's top is now B, a node that
//! other thread holds.
//!
//! The nodes are numbered slots of a fixed array (no pointers, no
//! `unsafe`): node 0 is "none", and `next[n]` is the node under node `n`.

use crate::sync::atomic::{
    AtomicU64, AtomicUsize,
    Ordering::{AcqRel, Acquire, Relaxed},
};
use crate::sync::{Arc, Named, thread};

/// No node: the end of the stack.
pub const NONE: usize = 0;
/// The two nodes of the model: `A` on top of `B`.
pub const A: usize = 1;
/// The node under `A` at the start.
pub const B: usize = 2;
/// A third node, off the stack at the start (only a second model, in the
/// tests, pushes it).
pub const C: usize = 3;

/// A stack of numbered nodes, for the level's model.
pub trait Stack: Send + Sync + 'static {
    /// The stack A, B (A on top).
    fn a_on_b() -> Self;
    /// Puts `node` on top.
    fn push(&self, node: usize);
    /// Takes the top node, if any.
    fn pop(&self) -> Option<usize>;
}

/// `next[n]`, for nodes `NONE`, `A`, `B` and `C`: A's is B at the start.
fn links() -> [AtomicUsize; 4] {
    [
        AtomicUsize::new(NONE).named("next[0]"),
        AtomicUsize::new(B).named("next[A]"),
        AtomicUsize::new(NONE).named("next[B]"),
        AtomicUsize::new(NONE).named("next[C]"),
    ]
}

/// The puzzle: the top is a node's number, and a swap that finds the same
/// number believes nothing happened.
// ANCHOR: racy
pub struct Untagged {
    top: AtomicUsize,
    next: [AtomicUsize; 4],
}

impl Stack for Untagged {
    fn a_on_b() -> Self {
        Self {
            top: AtomicUsize::new(A).named("top"),
            next: links(),
        }
    }

    fn push(&self, node: usize) {
        loop {
            let top = self.top.load(Acquire);
            self.next[node].store(top, Relaxed);
            if self
                .top
                .compare_exchange(top, node, AcqRel, Acquire)
                .is_ok()
            {
                return;
            }
        }
    }

    fn pop(&self) -> Option<usize> {
        loop {
            let top = self.top.load(Acquire);
            if top == NONE {
                return None;
            }
            let under = self.next[top].load(Relaxed);
            // Still `top` on top? Then `under` is under it.
            if self
                .top
                .compare_exchange(top, under, AcqRel, Acquire)
                .is_ok()
            {
                return Some(top);
            }
        }
    }
}
// ANCHOR_END: racy

// ANCHOR: fixed
/// The fix: a tag beside the node's number, counted up by every change of
/// the top. A swap now succeeds only if nothing changed the top since it
/// was read, even if the same node is back on it.
pub struct Tagged {
    /// `tag << 32 | node`.
    top: AtomicU64,
    next: [AtomicUsize; 4],
}

/// The top word for `node` with `tag`.
fn word(tag: u64, node: usize) -> u64 {
    tag << 32 | node as u64
}

/// The node and the tag of a top word.
fn split(word: u64) -> (u64, usize) {
    (word >> 32, (word & 0xffff_ffff) as usize)
}

impl Stack for Tagged {
    fn a_on_b() -> Self {
        Self {
            top: AtomicU64::new(word(0, A)).named("top"),
            next: links(),
        }
    }

    fn push(&self, node: usize) {
        loop {
            let seen = self.top.load(Acquire);
            let (tag, top) = split(seen);
            self.next[node].store(top, Relaxed);
            let new = word(tag + 1, node);
            if self
                .top
                .compare_exchange(seen, new, AcqRel, Acquire)
                .is_ok()
            {
                return;
            }
        }
    }

    fn pop(&self) -> Option<usize> {
        loop {
            let seen = self.top.load(Acquire);
            let (tag, top) = split(seen);
            if top == NONE {
                return None;
            }
            let under = self.next[top].load(Relaxed);
            let new = word(tag + 1, under);
            if self
                .top
                .compare_exchange(seen, new, AcqRel, Acquire)
                .is_ok()
            {
                return Some(top);
            }
        }
    }
}
// ANCHOR_END: fixed

// ANCHOR: wrong_fix
/// A wrong fix: check, just before the swap, that the node under the top
/// is still `under`. The other thread can do its pop, pop, push between
/// that check and the swap as well as before it.
pub struct CheckUnder {
    top: AtomicUsize,
    next: [AtomicUsize; 4],
}

impl Stack for CheckUnder {
    fn a_on_b() -> Self {
        Self {
            top: AtomicUsize::new(A).named("top"),
            next: links(),
        }
    }

    fn push(&self, node: usize) {
        loop {
            let top = self.top.load(Acquire);
            self.next[node].store(top, Relaxed);
            if self
                .top
                .compare_exchange(top, node, AcqRel, Acquire)
                .is_ok()
            {
                return;
            }
        }
    }

    fn pop(&self) -> Option<usize> {
        loop {
            let top = self.top.load(Acquire);
            if top == NONE {
                return None;
            }
            let under = self.next[top].load(Relaxed);
            if self.next[top].load(Relaxed) != under {
                continue; // "it changed under me: start again"
            }
            if self
                .top
                .compare_exchange(top, under, AcqRel, Acquire)
                .is_ok()
            {
                return Some(top);
            }
        }
    }
}
// ANCHOR_END: wrong_fix
// ANCHOR: bound
/// Bound: ABA needs one pop to be overtaken by a pop, a pop and a push of
/// the same node: two threads, two nodes, and loom explores every
/// interleaving of them.
// ANCHOR_END: bound
// ANCHOR: model
/// The stack holds A on B. Main pops once; a spawned thread pops twice
/// and pushes back the first node it popped, then main empties the stack.
/// Every node must be in exactly one place: held by a thread, or on the
/// stack.
pub fn pop_pop_push<S: Stack>() {
    race(Arc::new(S::a_on_b()));
}

/// The race of [`pop_pop_push`], on `stack` as it is.
fn race<S: Stack>(stack: Arc<S>) {
    let other = {
        let stack = Arc::clone(&stack);
        thread::spawn(move || {
            let first = stack.pop();
            let second = stack.pop();
            if let Some(node) = first {
                stack.push(node); // the same node back on top
            }
            second
        })
    };
    let mine = stack.pop();
    let theirs = other.join().unwrap();
    let mut everywhere: Vec<usize> = mine.into_iter().chain(theirs).collect();
    while let Some(node) = stack.pop() {
        everywhere.push(node);
    }
    everywhere.sort();
    harness::outcome(format!(
        "main holds {mine:?}, thread 1 holds {theirs:?}, nodes seen {everywhere:?}"
    ));
    harness::require!(
        everywhere == [A, B],
        "A = 1 and B = 2 each belong in one place, but they are in {everywhere:?}"
    );
}
// ANCHOR_END: model

/// A second model, for the tests: the same race after main has popped A
/// and pushed it back, so that the top's tag is no longer the one it
/// started with. (The level's model starts from tag 0, so a tag that
/// changes once and then stops counting passes it.)
pub fn pop_pop_push_after_a_change<S: Stack>() {
    let stack = Arc::new(S::a_on_b());
    if let Some(node) = stack.pop() {
        stack.push(node);
    }
    race(stack);
}

/// A second model, for the tests: main pops while a spawned thread pops A
/// and B and pushes C and then A. The top is A again, but with C under it,
/// not B. (In the level's model a thread pushes back only what it popped:
/// a tag that comes back to its old value once as many pushes as pops
/// have run, as one counted up by pops and down by pushes does, passes it.)
pub fn pop_pop_push_push<S: Stack>() {
    let stack = Arc::new(S::a_on_b());
    let other = {
        let stack = Arc::clone(&stack);
        thread::spawn(move || {
            let first = stack.pop();
            let second = stack.pop();
            stack.push(C);
            if let Some(node) = first {
                stack.push(node);
            }
            second
        })
    };
    let mine = stack.pop();
    let theirs = other.join().unwrap();
    let mut everywhere: Vec<usize> = mine.into_iter().chain(theirs).collect();
    while let Some(node) = stack.pop() {
        everywhere.push(node);
    }
    everywhere.sort();
    harness::require!(
        everywhere == [A, B, C],
        "A = 1, B = 2 and C = 3 each belong in one place, but they are in {everywhere:?}"
    );
}

/// How a tag changes on a push and on a pop. The fix's rule is "one more,
/// every time"; the wrong versions below are the fix with another rule.
pub trait TagRule: Send + Sync + 'static {
    /// The tag after a push onto a top tagged `tag`.
    fn after_push(tag: u64) -> u64;
    /// The tag after a pop from a top tagged `tag`.
    fn after_pop(tag: u64) -> u64;
}

/// The fix's stack with its tags changed by `R`, for the wrong fixes the
/// tests run. (The fix itself is written out in full above, for the
/// page.)
pub struct TaggedBy<R> {
    top: AtomicU64,
    next: [AtomicUsize; 4],
    rule: std::marker::PhantomData<R>,
}

impl<R: TagRule> Stack for TaggedBy<R> {
    fn a_on_b() -> Self {
        Self {
            top: AtomicU64::new(word(0, A)).named("top"),
            next: links(),
            rule: std::marker::PhantomData,
        }
    }

    fn push(&self, node: usize) {
        loop {
            let seen = self.top.load(Acquire);
            let (tag, top) = split(seen);
            self.next[node].store(top, Relaxed);
            let new = word(R::after_push(tag), node);
            if self
                .top
                .compare_exchange(seen, new, AcqRel, Acquire)
                .is_ok()
            {
                return;
            }
        }
    }

    fn pop(&self) -> Option<usize> {
        loop {
            let seen = self.top.load(Acquire);
            let (tag, top) = split(seen);
            if top == NONE {
                return None;
            }
            let under = self.next[top].load(Relaxed);
            let new = word(R::after_pop(tag), under);
            if self
                .top
                .compare_exchange(seen, new, AcqRel, Acquire)
                .is_ok()
            {
                return Some(top);
            }
        }
    }
}

/// Another wrong fix, for the tests: a bit that says the top has changed,
/// in place of a count. Set by the first change, it never changes again,
/// so a pop-pop-push after that slips through as in the puzzle.
pub type ChangedBit = TaggedBy<SetOnce>;

/// The rule of the wrong fix `ChangedBit`: 1 once the top has changed.
pub struct SetOnce;

impl TagRule for SetOnce {
    fn after_push(_: u64) -> u64 {
        1
    }
    fn after_pop(_: u64) -> u64 {
        1
    }
}

/// Another wrong fix, for the tests: the fix with pushes counting the tag
/// down (pops still count up). The tag then comes back to an old value
/// once a thread has pushed as often as it popped, whatever it pushed.
pub type TagCountsDown = TaggedBy<DownOnPush>;

/// The rule of the wrong fix `TagCountsDown`: pops count the tag up,
/// pushes count it down.
pub struct DownOnPush;

impl TagRule for DownOnPush {
    fn after_push(tag: u64) -> u64 {
        tag.wrapping_sub(1)
    }
    fn after_pop(tag: u64) -> u64 {
        tag + 1
    }
}
