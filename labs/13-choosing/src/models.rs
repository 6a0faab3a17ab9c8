//! The models a job can run in, the workloads, and the sizes.

use serde::{Deserialize, Serialize};

/// A way to run a workload's jobs. Which chapter teaches each is in
/// [`Model::chapter`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub enum Model {
    /// One job after another on this thread: the reference answer.
    Sequential,
    /// `std::thread::scope`, one thread per core (for I/O: one per
    /// request in flight).
    Threads,
    /// Shared state: threads updating one `Mutex<HashMap>`.
    ThreadsOneMutex,
    /// Shared state: threads updating a map split into locked shards.
    ThreadsSharded,
    /// rayon's `par_iter` on its global pool (one thread per core).
    Rayon,
    /// lab-09's pool, with worker threads.
    PoolThreads,
    /// lab-09's pool, with worker processes (the same code, configured).
    PoolProcesses,
    /// A new process for every job (`std::process::Command`).
    ProcessPerJob,
    /// tokio tasks on the multi-threaded runtime, the work inline.
    Tokio,
    /// tokio, with no CPU work at all (the mixed workload's baseline).
    TokioAlone,
    /// tokio, one CPU-heavy task inline while the other workers are idle
    /// (the mixed workload: does one task hold up the others?).
    TokioOneTask,
    /// tokio, the CPU part in `spawn_blocking`.
    TokioBlocking,
    /// tokio, the CPU part handed to rayon and awaited.
    TokioRayon,
    /// tokio, the CPU part on a rayon pool of one thread fewer than the
    /// cores, so one core is always left to the runtime.
    TokioRayonSpare,
    /// tokio, the CPU part sent to lab-09's process pool.
    TokioProcesses,
    /// lab-10's single-threaded event loop.
    EventLoop,
    /// lab-12's reliable queue on a real Redis server, worker processes.
    RedisQueue,
}

impl Model {
    /// How the tables name it.
    pub fn label(self) -> &'static str {
        match self {
            Model::Sequential => "sequential",
            Model::Threads => "threads",
            Model::ThreadsOneMutex => "threads, one Mutex",
            Model::ThreadsSharded => "threads, sharded",
            Model::Rayon => "rayon",
            Model::PoolThreads => "pool: threads",
            Model::PoolProcesses => "pool: processes",
            Model::ProcessPerJob => "process per job",
            Model::Tokio => "tokio",
            Model::TokioAlone => "tokio, no CPU work",
            Model::TokioOneTask => "tokio, one CPU task",
            Model::TokioBlocking => "tokio + spawn_blocking",
            Model::TokioRayon => "tokio + rayon",
            Model::TokioRayonSpare => "tokio + rayon, a core spare",
            Model::TokioProcesses => "tokio + process pool",
            Model::EventLoop => "event loop (lab-10)",
            Model::RedisQueue => "Redis queue (lab-12)",
        }
    }

    /// The chapter that teaches it.
    pub fn chapter(self) -> u8 {
        match self {
            Model::Sequential | Model::Threads => 1,
            Model::ThreadsOneMutex | Model::ThreadsSharded => 2,
            Model::Rayon => 7,
            Model::ProcessPerJob => 8,
            Model::PoolThreads | Model::PoolProcesses => 9,
            Model::EventLoop => 10,
            Model::Tokio
            | Model::TokioAlone
            | Model::TokioOneTask
            | Model::TokioRayonSpare
            | Model::TokioBlocking
            | Model::TokioRayon
            | Model::TokioProcesses => 11,
            Model::RedisQueue => 12,
        }
    }

    /// The slug of its anchors in the workload files: `cpu_pool_threads`.
    pub fn slug(self) -> String {
        format!("{self:?}")
            .chars()
            .enumerate()
            .flat_map(|(i, c)| {
                let lower = c.to_ascii_lowercase();
                let gap = (c.is_ascii_uppercase() && i > 0).then_some('_');
                gap.into_iter().chain(std::iter::once(lower))
            })
            .collect()
    }
}

/// The book's table of contents: the one place the chapters' titles and
/// files are written (`cargo xtask progress` reads the same file).
const SUMMARY: &str = include_str!("../../../book/src/SUMMARY.md");

/// Where `cargo xtask serve` serves the book (its host and default port;
/// a test holds the two to the same address).
pub const BOOK_URL: &str = "http://127.0.0.1:3000";

/// Every numbered chapter in SUMMARY.md, from its lines
/// `- [Title](NN-slug.md)`: number, title, file.
pub fn chapters() -> Vec<(u8, &'static str, &'static str)> {
    SUMMARY
        .lines()
        .filter_map(|line| {
            let rest = line.trim().strip_prefix("- [")?;
            let (title, link) = rest.split_once("](")?;
            let file = link.strip_suffix(')')?;
            let (number, _) = file.split_once('-')?;
            Some((number.parse().ok()?, title, file))
        })
        .collect()
}

fn chapter(number: u8) -> (u8, &'static str, &'static str) {
    chapters()
        .into_iter()
        .find(|(n, _, _)| *n == number)
        .unwrap_or_else(|| panic!("book/src/SUMMARY.md has no chapter {number}"))
}

/// The book's file for a chapter: `01-lost-update.md`.
pub fn chapter_file(number: u8) -> &'static str {
    chapter(number).2
}

/// A chapter's title, as the book's table of contents has it.
pub fn chapter_title(number: u8) -> &'static str {
    chapter(number).1
}

/// A chapter's page in the served book.
pub fn chapter_url(number: u8) -> String {
    format!("{BOOK_URL}/{}", chapter_page(number))
}

/// A chapter's page, relative to the book's root: `01-lost-update.html`.
pub fn chapter_page(number: u8) -> String {
    chapter_file(number).replace(".md", ".html")
}

/// The models every job-shaped workload (cpu, io, tiny, crash) is run in,
/// in the order the tables list them.
pub const JOB_MODELS: [Model; 12] = [
    Model::Sequential,
    Model::Threads,
    Model::Rayon,
    Model::PoolThreads,
    Model::PoolProcesses,
    Model::ProcessPerJob,
    Model::Tokio,
    Model::TokioBlocking,
    Model::TokioRayon,
    Model::TokioProcesses,
    Model::EventLoop,
    Model::RedisQueue,
];

/// One kind of job, run in every model that fits it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub enum Workload {
    /// CPU-bound, independent chunks (claims C2, C13).
    Cpu,
    /// Requests to a loopback server that answers after a fixed delay (C3).
    Io,
    /// Many concurrent, mostly idle connections (C1).
    Connections,
    /// Latency-sensitive requests while CPU jobs run in the same program
    /// (C14, C16).
    Mixed,
    /// Every job updates shared state: word counts (C4, C5, C6).
    Shared,
    /// Many ~5 ms jobs (C12).
    Tiny,
    /// One job in a hundred panics (C10: what catches a panic).
    Panic,
    /// One job in a hundred aborts the process it runs in (C10).
    Crash,
}

impl Workload {
    /// Every workload, in the order `compare` runs them.
    pub const ALL: [Workload; 8] = [
        Workload::Cpu,
        Workload::Io,
        Workload::Connections,
        Workload::Mixed,
        Workload::Shared,
        Workload::Tiny,
        Workload::Panic,
        Workload::Crash,
    ];

    /// Whether one of its jobs ends the thread or the process it runs in
    /// (`panic`, `crash`): each model then runs in a child of its own.
    pub fn is_fatal(self) -> bool {
        matches!(self, Workload::Panic | Workload::Crash)
    }

    /// Whether its table shows memory (the others run no memory sampler:
    /// nothing competes with their rows' latencies).
    pub fn shows_memory(self) -> bool {
        matches!(self, Workload::Cpu | Workload::Shared | Workload::Tiny)
    }

    /// Its name on the command line and in the JSON.
    pub fn name(self) -> &'static str {
        match self {
            Workload::Cpu => "cpu",
            Workload::Io => "io",
            Workload::Connections => "connections",
            Workload::Mixed => "mixed",
            Workload::Shared => "shared",
            Workload::Tiny => "tiny",
            Workload::Panic => "panic",
            Workload::Crash => "crash",
        }
    }

    /// The models its table lists, in order (a model that does not fit
    /// still gets a row, saying why).
    pub fn models(self) -> Vec<Model> {
        match self {
            Workload::Cpu | Workload::Io | Workload::Tiny | Workload::Panic | Workload::Crash => {
                JOB_MODELS.to_vec()
            }
            Workload::Connections => vec![
                Model::Sequential,
                Model::Threads,
                Model::PoolProcesses,
                Model::Tokio,
                Model::EventLoop,
            ],
            Workload::Mixed => vec![
                Model::TokioAlone,
                Model::TokioOneTask,
                Model::Tokio,
                Model::TokioBlocking,
                Model::TokioRayon,
                Model::TokioRayonSpare,
                Model::TokioProcesses,
            ],
            Workload::Shared => vec![
                Model::Sequential,
                Model::ThreadsOneMutex,
                Model::ThreadsSharded,
                Model::Threads,
                Model::Rayon,
                Model::PoolProcesses,
                Model::Tokio,
            ],
        }
    }
}

/// How big the workloads are.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub enum Size {
    /// Seconds in all: what the tests run.
    Tiny,
    /// One to two minutes on 2 cores.
    Default,
    /// Longer, and 10,000 connections.
    Large,
}

impl Size {
    /// Scales a default-size count: a tenth, itself, or four times.
    pub fn scale(self, default: u64) -> u64 {
        match self {
            Size::Tiny => (default / 10).max(1),
            Size::Default => default,
            Size::Large => default * 4,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_chapter_of_the_book_has_a_title_and_a_file_in_the_summary() {
        let chapters = chapters();
        let numbers: Vec<u8> = chapters.iter().map(|(n, _, _)| *n).collect();
        assert_eq!(numbers, (1..=13).collect::<Vec<u8>>());
        assert_eq!(chapter_title(1), "Threads and the lost update");
        assert_eq!(chapter_file(11), "11-async-tokio.md");
        assert_eq!(chapter_url(11), "http://127.0.0.1:3000/11-async-tokio.html");
        for (number, title, file) in chapters {
            assert!(!title.is_empty(), "chapter {number}");
            assert!(file.starts_with(&format!("{number:02}-")), "{file}");
            assert!(file.ends_with(".md"), "{file}");
        }
    }

    #[test]
    fn every_model_s_chapter_is_in_the_summary() {
        for workload in Workload::ALL {
            for model in workload.models() {
                assert!(!chapter_title(model.chapter()).is_empty(), "{model:?}");
            }
        }
    }

    #[test]
    fn slugs_are_the_anchor_names() {
        assert_eq!(Model::PoolThreads.slug(), "pool_threads");
        assert_eq!(Model::Sequential.slug(), "sequential");
        assert_eq!(Model::TokioRayon.slug(), "tokio_rayon");
    }
}
