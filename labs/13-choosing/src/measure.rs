//! What a row measures, and how (Linux, from `/proc`):
//!
//! - wall time, from the start of the model's code to its answer;
//! - CPU time, user and system, of this process and of its children that
//!   ended during the row (`/proc/self/stat`: the kernel adds a child's
//!   time to its parent's when the parent reaps it, so a worker process
//!   counts once it has exited and been waited for);
//! - peak memory: resident memory of this process plus its live children,
//!   sampled every 5 ms by a thread of its own (`VmRSS` in
//!   `/proc/PID/status`; children from `/proc/self/task/*/children`). A
//!   peak shorter than 5 ms can be missed: the column is a floor.

use serde::Serialize;
use std::fs;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
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
    let ticks = rustix::param::clock_ticks_per_second() as f64;
    let Ok(stat) = fs::read_to_string("/proc/self/stat") else {
        return CpuTime::default(); // not Linux: the columns read 0
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
    CpuTime {
        user: field(14) + field(16),
        system: field(15) + field(17),
    }
}

/// The resident memory of a process, in bytes (0 if it is gone).
fn resident_bytes(pid: &str) -> u64 {
    lab_11::c10k::kib_field(&format!("/proc/{pid}/status"), "VmRSS:").unwrap_or(0)
}

/// The pids of this process's children (and theirs), for every thread.
fn descendants(pid: &str, into: &mut Vec<String>) {
    let Ok(tasks) = fs::read_dir(format!("/proc/{pid}/task")) else {
        return;
    };
    for task in tasks.flatten() {
        let children = fs::read_to_string(task.path().join("children")).unwrap_or_default();
        for child in children.split_whitespace() {
            into.push(child.to_string());
            descendants(child, into);
        }
    }
}

/// Resident memory of this process and every live descendant, in bytes.
pub fn resident_with_children() -> u64 {
    let mut pids = vec![String::from("self")];
    descendants("self", &mut pids);
    pids.iter().map(|pid| resident_bytes(pid)).sum()
}

/// A thread that samples [`resident_with_children`] until stopped.
pub struct PeakMemory {
    stop: Arc<AtomicBool>,
    peak: Arc<AtomicU64>,
    sampler: Option<thread::JoinHandle<()>>,
}

impl PeakMemory {
    /// Starts sampling now.
    pub fn start() -> Self {
        let stop = Arc::new(AtomicBool::new(false));
        let peak = Arc::new(AtomicU64::new(resident_with_children()));
        let sampler = {
            let (stop, peak) = (Arc::clone(&stop), Arc::clone(&peak));
            thread::Builder::new()
                .name("memory sampler".into())
                .spawn(move || {
                    while !stop.load(Ordering::Relaxed) {
                        peak.fetch_max(resident_with_children(), Ordering::Relaxed);
                        thread::sleep(Duration::from_millis(5));
                    }
                })
                .ok()
        };
        Self {
            stop,
            peak,
            sampler,
        }
    }

    /// Stops sampling; the highest sample, in bytes.
    pub fn stop(mut self) -> u64 {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(sampler) = self.sampler.take() {
            let _ = sampler.join();
        }
        self.peak.load(Ordering::Relaxed)
    }
}

/// What running one model's code cost.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct Cost {
    /// Wall time, in seconds.
    pub wall: f64,
    /// CPU time spent meanwhile.
    pub cpu: CpuTime,
    /// Peak resident memory meanwhile, with children, in bytes.
    pub peak_rss: u64,
}

/// Runs `model`, measuring what it cost.
pub fn measured<T>(model: impl FnOnce() -> T) -> (T, Cost) {
    let memory = PeakMemory::start();
    let cpu_before = cpu_time();
    let start = Instant::now();
    let answer = model();
    let wall = start.elapsed().as_secs_f64();
    let cpu_after = cpu_time();
    let cost = Cost {
        wall,
        cpu: CpuTime {
            user: cpu_after.user - cpu_before.user,
            system: cpu_after.system - cpu_before.system,
        },
        peak_rss: memory.stop(),
    };
    (answer, cost)
}

/// The median and 99th percentile of some durations, in seconds.
pub fn percentiles(mut times: Vec<Duration>) -> Option<(f64, f64)> {
    if times.is_empty() {
        return None;
    }
    times.sort();
    let at = |q: usize| times[(times.len() * q / 100).min(times.len() - 1)].as_secs_f64();
    Some((at(50), at(99)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_pick_the_median_and_the_99th() {
        let times: Vec<Duration> = (1..=100).rev().map(Duration::from_millis).collect();
        assert_eq!(percentiles(times), Some((0.051, 0.1)));
        assert_eq!(percentiles(Vec::new()), None);
    }

    #[test]
    fn a_busy_loop_is_counted_as_user_time_and_memory_is_seen() {
        // Spins until the kernel has charged at least one tick of user
        // time (however busy the machine), or gives up after 30 s.
        let (charged, cost) = measured(|| {
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
        assert!(cost.peak_rss > 0, "{cost:?}");
    }
}
