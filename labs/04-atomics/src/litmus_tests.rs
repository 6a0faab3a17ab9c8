//! The litmus tests' catalogue: each test, the orderings it is run with,
//! what its loads (or its final values) may read, and which outcomes the
//! Rust/C++20 memory model forbids. The threads themselves are in
//! `litmus.rs`, compiled on std (real threads) and on loom.

use std::fmt;

/// A classic litmus test: a few threads, two locations `x` and `y`, both 0
/// at the start.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Test {
    /// Message passing: write data, then a flag; read the flag, then the data.
    Mp,
    /// Store buffering: each thread stores its own location, then loads the other's.
    Sb,
    /// Load buffering: each thread loads the other's location, then stores its own.
    Lb,
    /// Independent reads of independent writes: two readers, opposite orders.
    Iriw,
    /// Two threads each store both locations, in opposite orders.
    TwoPlusTwoW,
    /// Coherence of read-read: two loads of one location, in one thread.
    CoRR,
}

/// The orderings a run of a test uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Variant {
    /// Every access `Relaxed`.
    Relaxed,
    /// Every store `Release`, every load `Acquire`.
    ReleaseAcquire,
    /// Every access `SeqCst`.
    SeqCst,
    /// Every access `Relaxed`, with a fence between each thread's two
    /// accesses: `Release`/`Acquire` fences in MP, `SeqCst` ones in SB and IRIW.
    Fences,
}

impl Test {
    /// Every test, in the order the chapter reads them.
    pub const ALL: [Test; 6] = [
        Test::Mp,
        Test::Sb,
        Test::Lb,
        Test::Iriw,
        Test::TwoPlusTwoW,
        Test::CoRR,
    ];

    /// The name on the command line and in the tables.
    pub fn name(self) -> &'static str {
        match self {
            Test::Mp => "mp",
            Test::Sb => "sb",
            Test::Lb => "lb",
            Test::Iriw => "iriw",
            Test::TwoPlusTwoW => "2+2w",
            Test::CoRR => "corr",
        }
    }

    /// What the test is called in the literature.
    pub fn title(self) -> &'static str {
        match self {
            Test::Mp => "MP (message passing)",
            Test::Sb => "SB (store buffering)",
            Test::Lb => "LB (load buffering)",
            Test::Iriw => "IRIW (independent reads of independent writes)",
            Test::TwoPlusTwoW => "2+2W (two threads, two writes each)",
            Test::CoRR => "CoRR (coherence of read-read)",
        }
    }

    /// The test named `name` on the command line.
    pub fn named(name: &str) -> Option<Test> {
        Test::ALL.into_iter().find(|t| t.name() == name)
    }

    /// How many threads the test runs.
    pub fn threads(self) -> usize {
        match self {
            Test::Iriw => 4,
            _ => 2,
        }
    }

    /// The preemption bound loom explores the test with: none (every
    /// interleaving) but for IRIW, whose four threads' every interleaving
    /// took loom 448,235 executions and half a minute per ordering on the
    /// reference machine. With 2, as tokio's CI bounds its models, loom
    /// produced the same outcomes there (all 16; 15 with fences) in 2,852
    /// executions; `tests/litmus.rs` checks the sets it produces.
    pub fn loom_bound(self) -> Option<usize> {
        match self {
            Test::Iriw => Some(2),
            _ => None,
        }
    }

    /// The orderings that change what the test may show.
    pub fn variants(self) -> &'static [Variant] {
        use Variant::*;
        match self {
            Test::Mp => &[Relaxed, ReleaseAcquire, Fences],
            Test::Sb | Test::Iriw => &[Relaxed, ReleaseAcquire, SeqCst, Fences],
            Test::Lb => &[Relaxed, ReleaseAcquire],
            Test::TwoPlusTwoW => &[Relaxed, ReleaseAcquire, SeqCst],
            // Coherence holds for every ordering, `Relaxed` included.
            Test::CoRR => &[Relaxed],
        }
    }

    /// The registers an outcome names, in order: the values loads read
    /// (`r0`, `r1`...), or, in 2+2W, the locations' final values.
    pub fn registers(self) -> &'static [&'static str] {
        match self {
            Test::Iriw => &["r0", "r1", "r2", "r3"],
            Test::TwoPlusTwoW => &["x", "y"],
            _ => &["r0", "r1"],
        }
    }

    /// The values each register can hold.
    pub fn values(self) -> &'static [u32] {
        match self {
            Test::TwoPlusTwoW => &[1, 2],
            _ => &[0, 1],
        }
    }

    /// Every outcome, in the tables' order.
    pub fn outcomes(self) -> Vec<Vec<u32>> {
        let mut all = vec![vec![]];
        for _ in self.registers() {
            all = all
                .into_iter()
                .flat_map(|prefix| {
                    self.values().iter().map(move |&v| {
                        let mut next = prefix.clone();
                        next.push(v);
                        next
                    })
                })
                .collect();
        }
        all
    }

    /// The one outcome the memory model forbids with `variant`, if any:
    /// every other outcome is allowed. Sources, cited in chapter 4: the
    /// C++ standard's [intro.races] (coherence) and [atomics.order] (the
    /// single total order of `SeqCst`), cppreference's `memory_order`
    /// examples, Lahav et al. 2017 (fences), Bos 2023, chapter 3.
    pub fn forbidden(self, variant: Variant) -> Option<Vec<u32>> {
        use Variant::*;
        match (self, variant) {
            // The flag seen, the data not: only `Relaxed` allows it.
            (Test::Mp, Relaxed) => None,
            (Test::Mp, _) => Some(vec![1, 0]),
            // Both loads miss the other thread's store: only a single
            // total order (SeqCst accesses, or SeqCst fences) forbids it.
            (Test::Sb, Relaxed | ReleaseAcquire) => None,
            (Test::Sb, _) => Some(vec![0, 0]),
            // Each load reads the store that comes after the other load:
            // an Acquire load and a Release store in each thread forbid it.
            (Test::Lb, Relaxed) => None,
            (Test::Lb, _) => Some(vec![1, 1]),
            // The readers disagree on which store came first.
            (Test::Iriw, Relaxed | ReleaseAcquire) => None,
            (Test::Iriw, _) => Some(vec![1, 0, 1, 0]),
            // Each thread's first store ends up last: the two locations'
            // modification orders contradict the threads' program orders.
            (Test::TwoPlusTwoW, Relaxed | ReleaseAcquire) => None,
            (Test::TwoPlusTwoW, _) => Some(vec![1, 1]),
            // A newer value, then an older one, from the same location.
            (Test::CoRR, _) => Some(vec![1, 0]),
        }
    }

    /// Whether the model allows `outcome` with `variant`.
    pub fn allowed(self, variant: Variant, outcome: &[u32]) -> bool {
        self.forbidden(variant).as_deref() != Some(outcome)
    }

    /// `r0=1 r1=0`.
    pub fn label(self, outcome: &[u32]) -> String {
        let pairs = self.registers().iter().zip(outcome);
        let words: Vec<String> = pairs.map(|(r, v)| format!("{r}={v}")).collect();
        words.join(" ")
    }
}

impl Variant {
    /// Every variant.
    pub const ALL: [Variant; 4] = [
        Variant::Relaxed,
        Variant::ReleaseAcquire,
        Variant::SeqCst,
        Variant::Fences,
    ];

    /// The name on the command line and in the tables.
    pub fn name(self) -> &'static str {
        match self {
            Variant::Relaxed => "relaxed",
            Variant::ReleaseAcquire => "release-acquire",
            Variant::SeqCst => "seqcst",
            Variant::Fences => "fences",
        }
    }

    /// The variant named `name` on the command line.
    pub fn named(name: &str) -> Option<Variant> {
        Variant::ALL.into_iter().find(|v| v.name() == name)
    }
}

impl fmt::Display for Test {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl fmt::Display for Variant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
