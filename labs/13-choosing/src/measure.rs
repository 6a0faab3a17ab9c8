//! What a row measures, and how (Linux, from `/proc`):
//!
//! - wall time, from the start of the model's code to its answer; pools
//!   and runtimes are started before the clock starts (their start-up is
//!   a column of its own);
//! - CPU time, user and system, of this process, of its children that
//!   ended during the row (`/proc/self/stat`: the kernel adds a child's
//!   time to its parent's when the parent reaps it), and of the worker
//!   processes the row started before its clock, which live on
//!   (`/proc/PID/stat` of each);
//! - memory: the row's own increase in proportional set size (PSS, from
//!   `/proc/PID/smaps_rollup`: a page shared by N processes counts 1/N in
//!   each, so shared pages count once in the sum), over this process and
//!   the worker processes the row started before its clock, sampled by a
//!   thread of its own. The sampler reads only those known PIDs: it never
//!   walks the process tree while a row is timed. It measures its own CPU
//!   time, and sleeps 150 times as long as a sample took, to stay under 1 % of a
//!   core; a peak shorter than its interval can be missed: the column is
//!   a floor.

use serde::{Deserialize, Serialize};
use std::fs;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError};
use std::thread;
use std::time::{Duration, Instant};

/// CPU time used, in seconds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct CpuTime {
    /// In user mode: this process and reaped children.
    pub user: f64,
    /// In the kernel, on its behalf: this process and reaped children.
    pub system: f64,
}

/// The CPU time of this process and of its reaped children so far.
pub fn cpu_time() -> CpuTime {
    stat_cpu_time("self", true)
}

/// The CPU time of this process and its reaped children, plus that of the
/// live processes `pids` (a pool's workers, which a row does not reap:
/// the kernel adds a child's time to its parent's only when it is
/// reaped). A worker that ends and is reaped during a row moves its time
/// from its own count to this process's children's: counted once.
pub fn cpu_time_with(pids: &[u32]) -> CpuTime {
    pids.iter()
        .map(|pid| stat_cpu_time(&pid.to_string(), false))
        .fold(cpu_time(), |total, one| CpuTime {
            user: total.user + one.user,
            system: total.system + one.system,
        })
}

/// The user and system time of process `pid` from `/proc/PID/stat`, with
/// its reaped children's if `children`.
fn stat_cpu_time(pid: &str, children: bool) -> CpuTime {
    let ticks = rustix::param::clock_ticks_per_second() as f64;
    let Ok(stat) = fs::read_to_string(format!("/proc/{pid}/stat")) else {
        return CpuTime::default(); // gone, or not Linux: the columns read 0
    };
    // The command name (field 2) may hold spaces: count after its `)`.
    let fields: Vec<f64> = stat
        .rsplit_once(')')
        .map(|(_, rest)| rest)
        .unwrap_or("")
        .split_whitespace()
        .map(|f| f.parse().unwrap_or(0.0))
        .collect();
    // After the name: state is field 3, so utime (14) is index 11 here.
    let field = |n: usize| fields.get(n - 3).copied().unwrap_or(0.0) / ticks;
    let reaped = if children { 1.0 } else { 0.0 };
    CpuTime {
        user: field(14) + reaped * field(16),
        system: field(15) + reaped * field(17),
    }
}

// The harness's, shared with lab-12's measurements.
pub use harness::machine::thread_cpu_seconds;

/// A process's proportional set size in bytes, from
/// `/proc/PID/smaps_rollup` (`pid` may be `self`); `None` if it is gone
/// or the kernel has no such file.
pub fn pss_bytes(pid: &str) -> Option<u64> {
    lab_11::c10k::kib_field(&format!("/proc/{pid}/smaps_rollup"), "Pss:").ok()
}

/// The PIDs of this process's children (and theirs), for every thread.
/// Walks `/proc`: call it before a row's clock starts, never while it runs.
pub fn descendants() -> Vec<u32> {
    fn walk(pid: &str, into: &mut Vec<u32>) {
        let Ok(tasks) = fs::read_dir(format!("/proc/{pid}/task")) else {
            return;
        };
        for task in tasks.flatten() {
            let children = fs::read_to_string(task.path().join("children")).unwrap_or_default();
            for child in children.split_whitespace() {
                if let Ok(id) = child.parse() {
                    into.push(id);
                    walk(child, into);
                }
            }
        }
    }
    let mut pids = Vec::new();
    walk("self", &mut pids);
    pids
}

/// PSS of this process and of `pids`, in bytes (a PID that is gone
/// counts 0).
pub fn pss_of(pids: &[u32]) -> u64 {
    let children: u64 = pids.iter().filter_map(|p| pss_bytes(&p.to_string())).sum();
    pss_bytes("self").unwrap_or(0) + children
}

/// What the memory sampler itself cost over a whole run: its CPU time
/// over the wall time it ran, as a share of one core.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SamplerCost {
    /// Seconds of CPU the sampler used.
    pub cpu_s: f64,
    /// Seconds it was running.
    pub wall_s: f64,
    /// Samples taken.
    pub samples: u64,
}

impl SamplerCost {
    /// Its CPU time over its wall time: 0.01 is 1 % of a core.
    pub fn share_of_a_core(&self) -> f64 {
        self.cpu_s / self.wall_s.max(1e-9)
    }
}

/// Every sampler's cost so far in this process.
static SAMPLERS: Mutex<SamplerCost> = Mutex::new(SamplerCost {
    cpu_s: 0.0,
    wall_s: 0.0,
    samples: 0,
});

/// What every memory sampler of this process has cost so far.
pub fn sampler_cost() -> SamplerCost {
    *SAMPLERS.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The shortest pause between two samples.
const SAMPLE_EVERY: Duration = Duration::from_millis(10);

/// What the last sample cost, in nanoseconds of CPU.
static LAST_SAMPLE_NS: AtomicU64 = AtomicU64::new(0);

/// The pause after a sample that cost `cost` seconds of CPU: at least 150
/// times as long, so that sampling stays under 1 % of a core.
fn pause_after(cost: f64) -> Duration {
    SAMPLE_EVERY.max(Duration::from_secs_f64(cost * 150.0))
}

/// A thread that samples [`pss_of`] the known PIDs until stopped.
pub struct PeakMemory {
    stop: Arc<AtomicBool>,
    sampler: Option<thread::JoinHandle<u64>>,
}

impl PeakMemory {
    /// Starts sampling now, this process and `pids`.
    pub fn start(pids: Vec<u32>) -> Self {
        let stop = Arc::new(AtomicBool::new(false));
        let sampler = {
            let stop = Arc::clone(&stop);
            thread::Builder::new()
                .name("memory sampler".into())
                .spawn(move || {
                    // What it costs while the row runs: every sample but
                    // the last, which is taken after the clock stopped.
                    let began = Instant::now();
                    let (mut peak, mut samples, mut cpu) = (0, 0, 0.0);
                    // The first pause, too, is as long as the last sample
                    // (of any sampler) calls for: a short row is not
                    // sampled at its start for more than 1 % of its time.
                    let mut pause =
                        pause_after(LAST_SAMPLE_NS.load(Ordering::Relaxed) as f64 * 1e-9);
                    loop {
                        // `stop` wakes it early.
                        thread::park_timeout(pause);
                        let stopped = stop.load(Ordering::Relaxed);
                        let before = thread_cpu_seconds();
                        peak = peak.max(pss_of(&pids));
                        if stopped {
                            break; // at least this one sample, however short the row
                        }
                        let cost = thread_cpu_seconds() - before;
                        (samples, cpu) = (samples + 1, cpu + cost);
                        LAST_SAMPLE_NS.store((cost * 1e9) as u64, Ordering::Relaxed);
                        pause = pause_after(cost);
                    }
                    let mut total = SAMPLERS.lock().unwrap_or_else(PoisonError::into_inner);
                    total.cpu_s += cpu;
                    total.wall_s += began.elapsed().as_secs_f64();
                    total.samples += samples;
                    peak
                })
                .ok()
        };
        Self { stop, sampler }
    }

    /// Stops sampling; the highest sample, in bytes.
    pub fn stop(mut self) -> u64 {
        self.stop.store(true, Ordering::Relaxed);
        let sampler = self.sampler.take();
        if let Some(sampler) = &sampler {
            sampler.thread().unpark();
        }
        sampler.and_then(|s| s.join().ok()).unwrap_or(0)
    }
}

/// What running one model's code once cost.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct Cost {
    /// Wall time, in seconds.
    pub wall: f64,
    /// CPU time spent meanwhile.
    pub cpu: CpuTime,
    /// Peak PSS meanwhile, of this process and the known PIDs, in bytes.
    pub peak_pss: u64,
}

/// Runs `model`, measuring what it cost: CPU time of this process and of
/// `pids` (the row's worker processes, found before the clock started);
/// memory, if `sample_memory`, by a sampler reading the same processes (a
/// table that shows no memory has no sampler competing with its rows).
pub fn measured<T>(pids: &[u32], sample_memory: bool, model: impl FnOnce() -> T) -> (T, Cost) {
    let memory = sample_memory.then(|| PeakMemory::start(pids.to_vec()));
    let cpu_before = cpu_time_with(pids);
    let start = Instant::now();
    let answer = model();
    let wall = start.elapsed().as_secs_f64();
    let cpu_after = cpu_time_with(pids);
    let cost = Cost {
        wall,
        cpu: CpuTime {
            user: cpu_after.user - cpu_before.user,
            system: cpu_after.system - cpu_before.system,
        },
        peak_pss: memory.map_or(0, PeakMemory::stop),
    };
    (answer, cost)
}

/// Latencies, in an HDR histogram: percentiles without keeping every
/// sample, to three significant digits, from 1 µs to 10 minutes.
#[derive(Clone, Debug)]
pub struct Latencies(hdrhistogram::Histogram<u64>);

impl Default for Latencies {
    fn default() -> Self {
        Self::new()
    }
}

impl Latencies {
    /// An empty histogram.
    pub fn new() -> Self {
        let histogram = hdrhistogram::Histogram::new_with_bounds(1, 600_000_000, 3)
            .expect("the bounds are valid");
        Self(histogram)
    }

    /// Records one latency (clamped into the histogram's range).
    pub fn record(&mut self, latency: Duration) {
        let micros = (latency.as_micros() as u64).clamp(1, 600_000_000);
        self.0.saturating_record(micros);
    }

    /// Adds another histogram's latencies to this one.
    pub fn add(&mut self, other: &Latencies) {
        // Same bounds on both sides: adding cannot fail.
        let _ = self.0.add(&other.0);
    }

    /// What it holds, as the JSON and the tables show it.
    pub fn summary(&self) -> Option<Latency> {
        let count = self.0.len();
        if count == 0 {
            return None;
        }
        let at = |q: f64| self.0.value_at_quantile(q) as f64 * 1e-6;
        Some(Latency {
            count,
            p50_s: at(0.50),
            p99_s: at(0.99),
            p999_s: at(0.999),
            max_s: self.0.max() as f64 * 1e-6,
        })
    }
}

/// A latency distribution's summary.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Latency {
    /// How many latencies it summarises.
    pub count: u64,
    /// The median, seconds.
    pub p50_s: f64,
    /// The 99th percentile, seconds.
    pub p99_s: f64,
    /// The 99.9th percentile, seconds.
    pub p999_s: f64,
    /// The largest, seconds.
    pub max_s: f64,
}

impl Latency {
    /// Fewer samples than this, and a 99th percentile is only the largest
    /// of a few: the tables say "max of n" instead.
    pub const FEW: u64 = 100;

    /// The tail the tables show: the 99th percentile, or the maximum when
    /// there are fewer than [`Latency::FEW`] samples.
    pub fn tail_s(&self) -> f64 {
        if self.count < Self::FEW {
            self.max_s
        } else {
            self.p99_s
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_come_with_their_count_and_few_samples_give_the_max() {
        let mut many = Latencies::new();
        for ms in 1..=1000 {
            many.record(Duration::from_millis(ms));
        }
        let summary = many.summary().unwrap();
        assert_eq!(summary.count, 1000);
        // Three significant digits: within 0.1 %.
        assert!((summary.p50_s - 0.500).abs() < 0.001, "{summary:?}");
        assert!((summary.p99_s - 0.990).abs() < 0.001, "{summary:?}");
        assert_eq!(summary.tail_s(), summary.p99_s);
        let mut few = Latencies::new();
        for ms in [1, 2, 50] {
            few.record(Duration::from_millis(ms));
        }
        let summary = few.summary().unwrap();
        assert_eq!(summary.count, 3);
        assert!((summary.tail_s() - 0.050).abs() < 0.0001, "{summary:?}");
        assert_eq!(Latencies::new().summary(), None);
        few.add(&many);
        assert_eq!(few.summary().unwrap().count, 1003);
    }

    #[test]
    fn a_busy_loop_is_counted_as_user_time_and_memory_is_seen() {
        // Spins until the kernel has charged at least one tick of user
        // time (however busy the machine), or gives up after 30 s.
        let (charged, cost) = measured(&[], true, || {
            let (before, start) = (cpu_time().user, Instant::now());
            let mut x = 0u64;
            while cpu_time().user <= before {
                if start.elapsed() > Duration::from_secs(30) {
                    return false;
                }
                for _ in 0..100_000 {
                    x = std::hint::black_box(x.wrapping_mul(31).wrapping_add(7));
                }
            }
            true
        });
        assert!(charged, "30 s of spinning were never charged as user time");
        assert!(cost.cpu.user > 0.0, "{cost:?}");
        assert!(cost.peak_pss > 0, "{cost:?}");
        let sampler = sampler_cost();
        // The sampler ran (its samples while the row ran are counted as
        // its cost; the one at the end, which gave the peak above, is not).
        assert!(sampler.wall_s > 0.0, "{sampler:?}");
    }

    #[test]
    fn a_child_s_memory_is_counted_from_its_pid() {
        let mut child = std::process::Command::new("sleep")
            .arg("30")
            .spawn()
            .expect("sleep starts");
        let pid = child.id();
        assert!(descendants().contains(&pid));
        // Until it has exec'd, the child shares our pages, and a shared
        // page's PSS is split between the two: the sum would not grow.
        let began = Instant::now();
        while fs::read_to_string(format!("/proc/{pid}/comm")).unwrap_or_default() != "sleep\n" {
            assert!(
                began.elapsed() < Duration::from_secs(30),
                "sleep never started"
            );
            thread::sleep(Duration::from_millis(5));
        }
        // Its own pages, read from its PID (what `pss_of` adds up); gone,
        // it adds nothing.
        let own = pss_bytes(&pid.to_string());
        let _ = child.kill();
        let _ = child.wait();
        assert!(own.is_some_and(|bytes| bytes > 0), "{own:?}");
        assert_eq!(pss_bytes(&pid.to_string()), None);
    }
}
