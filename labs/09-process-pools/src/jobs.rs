//! The jobs a pool runs, and the messages a worker process reads and
//! writes: one JSON object per line. JSON because a learner can read it
//! (`lab-09 worker` is usable by hand), a newline frames each message for
//! free, and serde makes it one line of code; a binary format would be
//! faster, and the benchmark shows what marshaling costs.

use crate::JobId;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::io::{self, BufRead, Write};
use std::thread;
use std::time::Duration;

// ANCHOR: job
/// What a worker can be asked to do.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Job {
    /// `n * n`.
    Square(u64),
    /// The sum of the values: a large job to send.
    Sum(Vec<u64>),
    /// Sleeps `ms` milliseconds, then returns `value`: a job that takes time.
    Sleep {
        /// How long to sleep.
        ms: u64,
        /// What to return.
        value: u64,
    },
    /// Panics.
    Panic,
    /// Aborts the process it runs in (`std::process::abort`).
    Abort,
    /// A worker process answers with a line that is not a reply.
    Garbage,
    /// A worker process exits without answering.
    CloseEarly,
    /// A worker process never answers.
    Hang,
    /// Returns the value; a worker process answers twice (a duplicate).
    Twice(u64),
}
// ANCHOR_END: job

// ANCHOR: work
/// Anything a pool can run: a job that crosses a pipe as one line of JSON
/// and runs on a thread or in a worker process. [`Job`] is this lab's;
/// chapter 13 brings its own workloads' jobs to the same pools.
pub trait Work: Serialize + DeserializeOwned + fmt::Debug + Send + Sync + 'static {
    /// What the job returns.
    type Output: Serialize + DeserializeOwned + Clone + fmt::Debug + Send + 'static;
    /// Runs the job here, in this process and thread, as a thread worker
    /// does; `None` if only a worker process can run it.
    fn run(&self) -> Option<Self::Output>;
    /// What a worker process does with the job: by default, runs it and
    /// answers once.
    fn in_worker(&self) -> InWorker<Self::Output> {
        match self.run() {
            Some(value) => InWorker::Answer { value, times: 1 },
            None => InWorker::CloseEarly,
        }
    }
}

/// What a worker process does with a job.
pub enum InWorker<T> {
    /// Answers `value`, `times` times (more than once: a duplicate).
    Answer {
        /// The job's result.
        value: T,
        /// How many replies to write.
        times: usize,
    },
    /// Answers with a line that is not a reply.
    Garbage,
    /// Exits without answering.
    CloseEarly,
    /// Never answers.
    Hang,
}
// ANCHOR_END: work

impl Work for Job {
    type Output = u64;

    /// The last three only make sense for a worker process, which handles
    /// them itself ([`Work::in_worker`]); here they return `None`.
    fn run(&self) -> Option<u64> {
        match self {
            Job::Square(n) => Some(n.wrapping_mul(*n)),
            Job::Sum(values) => Some(values.iter().fold(0, |sum, v| sum.wrapping_add(*v))),
            Job::Sleep { ms, value } => {
                thread::sleep(Duration::from_millis(*ms));
                Some(*value)
            }
            Job::Panic => panic!("the job panicked, as it was asked to"),
            Job::Abort => std::process::abort(),
            Job::Twice(value) => Some(*value),
            Job::Garbage | Job::CloseEarly | Job::Hang => None,
        }
    }

    fn in_worker(&self) -> InWorker<u64> {
        match self {
            Job::Garbage => InWorker::Garbage,
            Job::CloseEarly => InWorker::CloseEarly,
            Job::Hang => InWorker::Hang,
            Job::Twice(value) => InWorker::Answer {
                value: *value,
                times: 2,
            },
            job => InWorker::Answer {
                value: job.run().expect("the other jobs return a value"),
                times: 1,
            },
        }
    }
}

/// A job sent to a worker process, with the number the pool knows it by.
#[derive(Serialize, Deserialize, Debug, PartialEq, Eq)]
pub struct Request<J = Job> {
    /// The job's number.
    pub id: JobId,
    /// The job.
    pub job: J,
}

/// A [`Request`] to send, borrowing its job (a large job is not copied
/// to be sent): the same JSON.
#[derive(Serialize, Debug)]
pub struct RequestRef<'a, J = Job> {
    /// The job's number.
    pub id: JobId,
    /// The job.
    pub job: &'a J,
}

/// A worker process's answer.
#[derive(Serialize, Deserialize, Debug, PartialEq, Eq)]
pub struct Reply<T = u64> {
    /// The number of the job it answers.
    pub id: JobId,
    /// The job's result.
    pub value: T,
}

// ANCHOR: worker
/// A worker process's whole life: read a request per line, run it, write
/// a reply per line, until the pool closes our stdin.
pub fn worker_main(input: impl BufRead, output: impl Write) -> io::Result<()> {
    serve::<Job>(input, output)
}

/// The same for any [`Work`]: what `worker_main` runs with this lab's jobs.
pub fn serve<J: Work>(input: impl BufRead, mut output: impl Write) -> io::Result<()> {
    for line in input.lines() {
        let line = line?;
        if line.trim().is_empty() {
            continue; // a blank line typed by hand is not a request
        }
        let request: Request<J> = serde_json::from_str(&line).map_err(|error| {
            let message = format!("{line:?} is not a request: {error}");
            io::Error::new(io::ErrorKind::InvalidData, message)
        })?;
        match request.job.in_worker() {
            InWorker::Garbage => writeln!(output, "this is not a reply")?,
            InWorker::CloseEarly => return Ok(()),
            InWorker::Hang => loop {
                thread::park(); // until the pool gives up and kills us
            },
            InWorker::Answer { value, times } => {
                let reply = Reply {
                    id: request.id,
                    value,
                };
                for _ in 0..times {
                    serde_json::to_writer(&mut output, &reply)?;
                    output.write_all(b"\n")?;
                }
            }
        }
        output.flush()?;
    }
    Ok(())
}
// ANCHOR_END: worker

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_worker_answers_each_request_on_its_own_line() {
        let requests = [
            Request {
                id: 3,
                job: Job::Square(12),
            },
            Request {
                id: 4,
                job: Job::Sum(vec![1, 2, 3]),
            },
        ];
        let input: String = requests
            .iter()
            .map(|r| serde_json::to_string(r).unwrap() + "\n")
            .collect();
        let mut output = Vec::new();
        worker_main(input.as_bytes(), &mut output).unwrap();
        let text = String::from_utf8(output).unwrap();
        assert_eq!(text, "{\"id\":3,\"value\":144}\n{\"id\":4,\"value\":6}\n");
    }

    #[test]
    fn a_request_is_readable_json() {
        let request = Request {
            id: 1,
            job: Job::Sleep { ms: 5, value: 9 },
        };
        let line = serde_json::to_string(&request).unwrap();
        assert_eq!(line, r#"{"id":1,"job":{"sleep":{"ms":5,"value":9}}}"#);
    }

    #[test]
    fn a_worker_given_garbage_stops_with_an_error_not_a_panic() {
        let error = worker_main("not json\n".as_bytes(), Vec::new()).unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::InvalidData);
    }
}
