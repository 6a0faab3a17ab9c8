//! The jobs, once for every model: a job is plain data, so the same value
//! runs on a thread, a task, or crosses a pipe (lab-09's pool) or a Redis
//! list (lab-12's queue) to a worker process, which is this lab's own
//! binary (`lab-13 worker`).

use lab_09::jobs::Work;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::io::{self, BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

// ANCHOR: job
/// One job of one of the workloads.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Task {
    /// CPU-bound: `rounds` rounds of arithmetic seeded by `chunk`.
    Crunch {
        /// Which chunk (the seed).
        chunk: u64,
        /// How many rounds.
        rounds: u64,
    },
    /// I/O-bound: one request to the delay server at `server`.
    Request {
        /// The server's address.
        server: SocketAddr,
        /// The number to send; the server answers `2n + 1`.
        n: u64,
    },
    /// A small job: `rounds` rounds of `crunch` (a fixed amount of work,
    /// sized once per run to take a few ms), then `index`'s answer.
    Small {
        /// Which job.
        index: u64,
        /// How much it computes.
        rounds: u64,
    },
    /// `rounds` of work, or, if `fatal`, aborts the process it runs in.
    MaybeAbort {
        /// Which job.
        index: u64,
        /// How much it computes.
        rounds: u64,
        /// Whether this is the one that aborts.
        fatal: bool,
    },
    /// `rounds` of work, or, if `fatal`, panics: the thread unwinds, and
    /// whatever joins it decides what happens next.
    MaybePanic {
        /// Which job.
        index: u64,
        /// How much it computes.
        rounds: u64,
        /// Whether this is the one that panics.
        fatal: bool,
    },
    /// Counts the words of `text`.
    CountWords {
        /// Words separated by spaces.
        text: String,
    },
}
// ANCHOR_END: job

/// What a job returns.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "snake_case")]
pub enum Answer {
    /// A number.
    Number(u64),
    /// A request's answer, and how long it took from connecting to the
    /// answer, in seconds.
    Reply {
        /// The server's answer.
        value: u64,
        /// The request's latency.
        seconds: f64,
    },
    /// Word counts.
    Counts(HashMap<String, u64>),
}

impl Answer {
    /// The number, or 0 for counts (a Redis worker keeps only numbers).
    pub fn number(&self) -> u64 {
        match self {
            Answer::Number(n) | Answer::Reply { value: n, .. } => *n,
            Answer::Counts(_) => 0,
        }
    }

    /// A request's latency, in seconds.
    pub fn latency(&self) -> Option<f64> {
        match self {
            Answer::Reply { seconds, .. } => Some(*seconds),
            _ => None,
        }
    }

    /// Whether two answers say the same, however long each took.
    pub fn same_as(&self, other: &Answer) -> bool {
        match (self, other) {
            (Answer::Counts(a), Answer::Counts(b)) => a == b,
            (Answer::Counts(_), _) | (_, Answer::Counts(_)) => false,
            (a, b) => a.number() == b.number(),
        }
    }
}

impl Task {
    /// Runs the job on this thread. A request that fails is an error, not
    /// a panic: a model reports it.
    pub fn try_run(&self) -> io::Result<Answer> {
        Ok(match self {
            Task::Crunch { chunk, rounds } => Answer::Number(crunch(*chunk, *rounds)),
            Task::Request { server, n } => {
                let start = Instant::now();
                let value = request(*server, *n)?;
                let seconds = start.elapsed().as_secs_f64();
                Answer::Reply { value, seconds }
            }
            Task::Small { index, rounds } => Answer::Number(small(*index, *rounds)),
            Task::MaybeAbort {
                index,
                rounds,
                fatal,
            } => {
                if *fatal {
                    std::process::abort();
                }
                Answer::Number(small(*index, *rounds))
            }
            Task::MaybePanic {
                index,
                rounds,
                fatal,
            } => {
                if *fatal {
                    panic!("job {index} panicked");
                }
                Answer::Number(small(*index, *rounds))
            }
            Task::CountWords { text } => Answer::Counts(count_words(text)),
        })
    }
}

impl Work for Task {
    type Output = Answer;

    /// A failed request has no answer; the pool reports the job failed.
    fn run(&self) -> Option<Answer> {
        self.try_run().ok()
    }
}

// ANCHOR: crunch
/// CPU-bound work: `rounds` rounds of a 64-bit mixing function, seeded by
/// `chunk`; nothing in memory but two registers.
pub fn crunch(chunk: u64, rounds: u64) -> u64 {
    let mut x = chunk.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    for _ in 0..rounds {
        x ^= x >> 33;
        x = x.wrapping_mul(0xFF51_AFD7_ED55_8CCD);
        x ^= x >> 29;
    }
    x
}
// ANCHOR_END: crunch

/// `rounds` rounds of CPU work, then an answer that depends only on
/// `index`. The work is fixed, never "until a deadline": a job that loses
/// its core to another thread takes longer, and the row shows it.
pub fn small(index: u64, rounds: u64) -> u64 {
    std::hint::black_box(crunch(index, rounds));
    index.wrapping_mul(7).wrapping_add(1)
}

/// One request to the delay server: a line with `n`, then the answer.
pub fn request(server: SocketAddr, n: u64) -> io::Result<u64> {
    let stream = TcpStream::connect_timeout(&server, Duration::from_secs(10))?;
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    stream.set_nodelay(true)?;
    (&stream).write_all(format!("{n}\n").as_bytes())?;
    let mut line = String::new();
    BufReader::new(&stream).read_line(&mut line)?;
    line.trim().parse().map_err(|_| {
        let error = format!("the delay server answered {line:?} to {n}");
        io::Error::new(io::ErrorKind::InvalidData, error)
    })
}

/// The words of `text` and how often each occurs.
pub fn count_words(text: &str) -> HashMap<String, u64> {
    let mut counts = HashMap::new();
    for word in text.split_ascii_whitespace() {
        count(&mut counts, word);
    }
    counts
}

/// Adds one to `word`'s count: a lookup for a word seen before, a key
/// allocated only for a new one (every design of the `shared` table
/// counts a word this way, so they differ only in how they share).
pub fn count(counts: &mut HashMap<String, u64>, word: &str) {
    match counts.get_mut(word) {
        Some(n) => *n += 1,
        None => {
            counts.insert(word.to_string(), 1);
        }
    }
}

/// Adds `part`'s counts into `total`.
pub fn merge(total: &mut HashMap<String, u64>, part: HashMap<String, u64>) {
    for (word, count) in part {
        *total.entry(word).or_insert(0) += count;
    }
}

/// `words` words of text from a vocabulary of a few thousand, some far
/// more frequent than others (as in prose), the same for the same `seed`.
pub fn text(seed: u64, words: u64) -> String {
    const SYLLABLES: [&str; 16] = [
        "ka", "lo", "mi", "ne", "ru", "ta", "vo", "si", "pe", "da", "go", "fu", "zi", "be", "ho",
        "ja",
    ];
    let mut out = String::with_capacity(words as usize * 7);
    let mut x = seed | 1;
    for _ in 0..words {
        x = crunch(x, 1);
        // Squaring a uniform number skews it toward 0: frequent words.
        let uniform = (x >> 40) as f64 / (1u64 << 24) as f64;
        let mut id = (uniform * uniform * 4096.0) as u64;
        loop {
            out.push_str(SYLLABLES[(id % 16) as usize]);
            id /= 16;
            if id == 0 {
                break;
            }
        }
        out.push(' ');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_task_survives_the_trip_through_json() {
        let task = Task::Crunch {
            chunk: 3,
            rounds: 10,
        };
        let line = serde_json::to_string(&task).unwrap();
        assert_eq!(line, r#"{"crunch":{"chunk":3,"rounds":10}}"#);
        assert_eq!(serde_json::from_str::<Task>(&line).unwrap(), task);
        let counts = Answer::Counts(count_words("a b a"));
        let line = serde_json::to_string(&counts).unwrap();
        assert_eq!(serde_json::from_str::<Answer>(&line).unwrap(), counts);
    }

    #[test]
    fn words_are_counted_and_merged() {
        let mut total = count_words("ka lo ka");
        merge(&mut total, count_words("lo mi"));
        let expected: HashMap<String, u64> = [("ka", 2), ("lo", 2), ("mi", 1)]
            .map(|(w, c)| (w.to_string(), c))
            .into();
        assert_eq!(total, expected);
        assert_eq!(text(7, 100).split_ascii_whitespace().count(), 100);
        assert_eq!(text(7, 100), text(7, 100));
    }
}
