//! The decision guide, as data: the questions in the order they are asked,
//! and the model each path of answers ends at. One tree drives both the
//! flowchart in chapter 13 ([`crate::flowchart`]) and `lab-13 advise`
//! ([`walk`]), so the two cannot disagree; a test walks every path.

use crate::compare::Report;
use crate::models::{Model, Workload};
use std::fmt::Write as _;
use std::io;

/// Is the work mostly computing, mostly waiting, or both?
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Bound {
    /// Mostly computing.
    Cpu,
    /// Mostly waiting for I/O.
    Io,
    /// Both, in one program (`both` is read as this too).
    #[value(alias = "both")]
    Mixed,
}

/// What the workers share.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Data {
    /// Nothing: each job has its own input and output.
    Independent,
    /// Only data nobody changes.
    Immutable,
    /// State that jobs change.
    Shared,
}

/// What a crash in one job must leave alive the rest through.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Crash {
    /// A panic, in a build that unwinds (the default): a thread or a
    /// pool that catches it contains it.
    Panic,
    /// An abort, a segfault in C code, running out of memory, untrusted
    /// input, or any panic in a `panic = "abort"` build: only a process
    /// boundary contains it.
    Abort,
}

/// The answers to every question.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Answers {
    /// CPU, I/O, or both.
    pub bound: Bound,
    /// How many tasks at once.
    pub tasks: u64,
    /// What they share.
    pub data: Data,
    /// Must a crash in one job leave the rest running?
    pub isolation: bool,
    /// What kind of crash (asked only when isolation is needed).
    pub crash: Crash,
    /// Is the work another program that you run?
    pub runs_other_programs: bool,
    /// Is the program async already, on an event loop such as tokio's?
    pub event_loop: bool,
    /// How many machines the work needs.
    pub machines: u64,
}

/// Where a path of answers ends: what to use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Leaf {
    /// A short name, unique among the leaves: the book's anchor for it.
    pub name: &'static str,
    /// The model, in a few words.
    pub model: &'static str,
    /// The crate or API that gives it.
    pub using: &'static str,
    /// Why, in a sentence or two; and, where the row that backs it
    /// measures less than the claim, what the row shows and what not.
    pub why: &'static str,
    /// The chapter that teaches it.
    pub chapter: u8,
    /// The chapters to read next, after that one.
    pub also: &'static [u8],
    /// The `compare` row that measures its claim: workload, model.
    pub row: (Workload, Model),
}

/// Tasks at once from which async tasks are the answer for waiting work.
/// The questions and the leaves say "1,000": a test holds them to this.
pub const MANY_TASKS: u64 = 1_000;

const BROKER: Leaf = Leaf {
    name: "broker",
    model: "a broker or job system, with retry limits and a dead-letter queue",
    using: "Redis Streams with consumer groups, or a job queue built on them",
    why: "one machine is not enough: the queue outlives any worker, takes back a dead \
          worker's job, and after a few tries moves a job that keeps failing to a dead-letter \
          queue. Lab-12's queue is what such a system does inside, retry limit and dead-letter \
          list included. Each worker is then one program on one machine: ask \
          the guide again for it. The row is lab-12's queue with workers on one machine: the \
          cost of its round trips to Redis, not a second machine",
    chapter: 12,
    also: &[9, 13],
    row: (Workload::Cpu, Model::RedisQueue),
};
const ASYNC_COMMAND: Leaf = Leaf {
    name: "async-command",
    model: "a child process, awaited",
    using: "tokio::process::Command",
    why: "the work is another program, and the program is async: std's Command would block a \
          runtime thread while the child runs, and every task queued on that thread would wait \
          too. tokio's child is awaited like a socket. The row shows what holding the runtime's \
          threads costs the other tasks (there, with CPU work inline): the echo's p99",
    chapter: 8,
    also: &[11],
    row: (Workload::Mixed, Model::Tokio),
};
const COMMAND: Leaf = Leaf {
    name: "command",
    model: "a child process",
    using: "std::process::Command",
    why: "the work is another program: start it, and read its pipes while it runs (never wait \
          first). It is isolated already: its crash is its own. The row shows what a start \
          costs: jobs per second when every job is a process",
    chapter: 8,
    also: &[9],
    row: (Workload::Tiny, Model::ProcessPerJob),
};
const CAUGHT_PANIC: Leaf = Leaf {
    name: "caught-panic",
    model: "threads or tasks, each panic caught where it is joined",
    using: "lab-09's thread pool, std::thread (join returns Err), or tokio (a JoinError)",
    why: "a panic unwinds only its own thread, and the join hands it back as an error: the \
          other jobs run on. Not rayon's par_iter, which passes a panic on to its caller",
    chapter: 9,
    also: &[1, 11],
    row: (Workload::Panic, Model::PoolThreads),
};
const PREFORK: Leaf = Leaf {
    name: "prefork",
    model: "a few worker processes, each running tokio (prefork)",
    using: "tokio in every worker process, the workers sharing one listening socket",
    why: "1,000 or more connections want async tasks, and an abort must end only one worker \
          and its share of them; a process per connection costs a process each. The row is \
          what an idle connection costs in one tokio server. No row runs prefork itself: the \
          crash table's process rows show that a dead worker takes only its own jobs",
    chapter: 11,
    also: &[9, 8],
    row: (Workload::Connections, Model::Tokio),
};
const ASYNC_PROCESS_POOL: Leaf = Leaf {
    name: "async-process-pool",
    model: "async tasks sending the risky jobs to a process pool",
    using: "tokio, awaiting lab-09's process pool (driven from spawn_blocking)",
    why: "an abort must end only the worker process that ran the job, and the program is async \
          already: its tasks await the pool's answers",
    chapter: 9,
    also: &[11, 8],
    row: (Workload::Crash, Model::TokioProcesses),
};
const PROCESS_POOL: Leaf = Leaf {
    name: "process-pool",
    model: "a pool of worker processes",
    using: "the process pool (lab-09's, or a crate like it)",
    why: "an abort, a segfault in C code, running out of memory, untrusted input that crashes \
          a parser, or a panic in a panic = \"abort\" build ends the whole process it happens \
          in: only a process boundary contains it, and the pool loses only the worker that ran \
          the job",
    chapter: 9,
    also: &[8, 12],
    row: (Workload::Crash, Model::PoolProcesses),
};
const ASYNC_CPU: Leaf = Leaf {
    name: "async-cpu",
    model: "async tasks, the CPU work on rayon",
    using: "tokio, handing CPU work to rayon (or another pool of one thread per core)",
    why: "CPU work on the runtime's threads stalls every other task: keep it off them. Not in \
          spawn_blocking: its pool is for blocking calls (file I/O, blocking libraries) and \
          grows to 512 threads, so CPU work there runs more threads than there are cores",
    chapter: 11,
    also: &[7, 10],
    row: (Workload::Mixed, Model::TokioRayon),
};
const MERGE: Leaf = Leaf {
    name: "merge",
    model: "threads on independent data, merged at the end",
    using: "rayon's fold and reduce (or std::thread::scope with a map each)",
    why: "shared state taken for every update serializes the threads: redesign it so each \
          works alone, then merge",
    chapter: 5,
    also: &[2, 7],
    row: (Workload::Shared, Model::Threads),
};
const RAYON: Leaf = Leaf {
    name: "rayon",
    model: "data parallelism, one thread per core",
    using: "rayon",
    why: "CPU-bound work in Rust needs threads, not processes: no interpreter lock, and no \
          marshaling",
    chapter: 7,
    also: &[5],
    row: (Workload::Cpu, Model::Rayon),
};
const TOKIO: Leaf = Leaf {
    name: "tokio",
    model: "async tasks",
    using: "tokio",
    why: "1,000 or more waits at once, or an event loop already there: a task costs far less \
          memory than a thread",
    chapter: 11,
    also: &[10],
    row: (Workload::Connections, Model::Tokio),
};
const THREADS: Leaf = Leaf {
    name: "threads",
    model: "a thread per task (or a thread pool)",
    using: "std::thread::scope",
    why: "fewer than 1,000 waits at once: threads are as good as processes (C3) and simpler \
          than async",
    chapter: 1,
    also: &[2, 3],
    row: (Workload::Io, Model::Threads),
};
const PIPELINE: Leaf = Leaf {
    name: "pipeline",
    model: "threads joined by channels (a pipeline)",
    using: "std::thread with crossbeam channels",
    why: "fewer than 1,000 tasks that wait and compute in turn: a few stages, each on a \
          thread, bounded channels between. The row is threads that wait (the io table); no \
          row runs a pipeline",
    chapter: 6,
    also: &[3],
    row: (Workload::Io, Model::Threads),
};

/// A question of the guide, and the answer that goes each way.
pub struct Step {
    /// The question, as the flowchart and the advisor ask it.
    pub question: &'static str,
    /// Which branch the answers take (`true` is the first), asking the
    /// source only for what this question needs.
    pub test: fn(&mut dyn Source) -> io::Result<bool>,
    /// The first branch's label, and where it goes.
    pub yes: (&'static str, Node),
    /// The second branch's label, and where it goes.
    pub no: (&'static str, Node),
}

/// A point in the guide: a question, or what to use.
pub enum Node {
    /// Ask.
    Ask(Box<Step>),
    /// Use this.
    Use(Leaf),
}

fn ask(
    question: &'static str,
    test: fn(&mut dyn Source) -> io::Result<bool>,
    yes: (&'static str, Node),
    no: (&'static str, Node),
) -> Node {
    Node::Ask(Box::new(Step {
        question,
        test,
        yes,
        no,
    }))
}

/// The question whose answer is the event loop, asked in three places.
const EVENT_LOOP: &str = "Is the program async already (an event loop such as tokio's)?";

// ANCHOR: guide
/// The guide: the questions, in order. What forces a model comes first
/// (more than one machine, another program to run, a crash to survive);
/// what only makes one faster comes after.
pub fn guide() -> Node {
    use Node::Use;
    let cpu = ask(
        "Is the work mostly computing (CPU-bound)?",
        |a| Ok(a.bound()? == Bound::Cpu),
        (
            "yes",
            ask(
                EVENT_LOOP,
                |a| a.event_loop(),
                ("yes", Use(ASYNC_CPU)),
                (
                    "no",
                    ask(
                        "Do the jobs change shared state?",
                        |a| Ok(a.data()? == Data::Shared),
                        ("yes", Use(MERGE)),
                        ("no", Use(RAYON)),
                    ),
                ),
            ),
        ),
        (
            "no",
            ask(
                "Is it only waiting (I/O-bound)?",
                |a| Ok(a.bound()? == Bound::Io),
                (
                    "yes",
                    ask(
                        "1,000 or more waits at once, or async already?",
                        |a| Ok(a.tasks()? >= MANY_TASKS || a.event_loop()?),
                        ("yes", Use(TOKIO)),
                        ("no", Use(THREADS)),
                    ),
                ),
                (
                    "no: both",
                    ask(
                        "1,000 or more tasks at once, or async already?",
                        |a| Ok(a.tasks()? >= MANY_TASKS || a.event_loop()?),
                        ("yes", Use(ASYNC_CPU)),
                        ("no", Use(PIPELINE)),
                    ),
                ),
            ),
        ),
    );
    let isolation = ask(
        "Must the other jobs go on when one crashes?",
        |a| a.isolation(),
        (
            "yes",
            ask(
                "What must they survive: a panic, or an abort (a segfault, running out of \
                 memory)?",
                |a| Ok(a.crash()? == Crash::Panic),
                ("a panic", Use(CAUGHT_PANIC)),
                (
                    "an abort",
                    ask(
                        "1,000 or more connections or other waits at once?",
                        |a| Ok(a.bound()? != Bound::Cpu && a.tasks()? >= MANY_TASKS),
                        ("yes", Use(PREFORK)),
                        (
                            "no",
                            ask(
                                EVENT_LOOP,
                                |a| a.event_loop(),
                                ("yes", Use(ASYNC_PROCESS_POOL)),
                                ("no", Use(PROCESS_POOL)),
                            ),
                        ),
                    ),
                ),
            ),
        ),
        ("no", cpu),
    );
    let program = ask(
        "Is the work another program that you run?",
        |a| a.runs_other_programs(),
        (
            "yes",
            ask(
                EVENT_LOOP,
                |a| a.event_loop(),
                ("yes", Use(ASYNC_COMMAND)),
                ("no", Use(COMMAND)),
            ),
        ),
        ("no", isolation),
    );
    ask(
        "Does the work need more than one machine?",
        |a| Ok(a.machines()? > 1),
        ("yes", Use(BROKER)),
        ("no", program),
    )
}
// ANCHOR_END: guide

/// The questions asked on the way to a leaf, each with its answer.
pub type Path = Vec<(&'static str, &'static str)>;

/// Walks the guide, asking `source` only what each question on the way
/// needs: where it ends, and the path.
pub fn walk(source: &mut dyn Source) -> io::Result<(Leaf, Path)> {
    let mut node = guide();
    let mut path = Vec::new();
    loop {
        match node {
            Node::Use(leaf) => return Ok((leaf, path)),
            Node::Ask(step) => {
                let step = *step;
                let (label, next) = if (step.test)(source)? {
                    step.yes
                } else {
                    step.no
                };
                path.push((step.question, label));
                node = next;
            }
        }
    }
}

/// Where complete answers lead, and the questions on the way.
pub fn decide(answers: &Answers) -> (Leaf, Path) {
    walk(&mut answers.clone()).expect("complete answers need no asking")
}

/// Where the guide's answers come from: given all at once, or asked for
/// one at a time as the walk needs them.
pub trait Source {
    /// CPU, I/O, or both.
    fn bound(&mut self) -> io::Result<Bound>;
    /// How many tasks at once.
    fn tasks(&mut self) -> io::Result<u64>;
    /// What they share.
    fn data(&mut self) -> io::Result<Data>;
    /// Must a crash leave the rest running?
    fn isolation(&mut self) -> io::Result<bool>;
    /// What kind of crash?
    fn crash(&mut self) -> io::Result<Crash>;
    /// Is the work another program?
    fn runs_other_programs(&mut self) -> io::Result<bool>;
    /// Is there an event loop already?
    fn event_loop(&mut self) -> io::Result<bool>;
    /// How many machines.
    fn machines(&mut self) -> io::Result<u64>;
}

impl Source for Answers {
    fn bound(&mut self) -> io::Result<Bound> {
        Ok(self.bound)
    }
    fn tasks(&mut self) -> io::Result<u64> {
        Ok(self.tasks)
    }
    fn data(&mut self) -> io::Result<Data> {
        Ok(self.data)
    }
    fn isolation(&mut self) -> io::Result<bool> {
        Ok(self.isolation)
    }
    fn crash(&mut self) -> io::Result<Crash> {
        Ok(self.crash)
    }
    fn runs_other_programs(&mut self) -> io::Result<bool> {
        Ok(self.runs_other_programs)
    }
    fn event_loop(&mut self) -> io::Result<bool> {
        Ok(self.event_loop)
    }
    fn machines(&mut self) -> io::Result<u64> {
        Ok(self.machines)
    }
}

/// Every leaf of the guide, in the flowchart's order.
pub fn leaves() -> Vec<Leaf> {
    fn walk(node: &Node, into: &mut Vec<Leaf>) {
        match node {
            Node::Use(leaf) => into.push(*leaf),
            Node::Ask(step) => {
                walk(&step.yes.1, into);
                walk(&step.no.1, into);
            }
        }
    }
    let mut leaves = Vec::new();
    walk(&guide(), &mut leaves);
    leaves
}

/// The figures of a leaf's row in a run, if it was measured there.
pub fn row_of<'a>(leaf: &Leaf, report: &'a Report) -> Option<&'a crate::workloads::Figures> {
    let (workload, model) = leaf.row;
    report
        .tables
        .iter()
        .find(|t| t.workload == workload)
        .and_then(|t| t.rows.iter().find(|r| r.model == model))
        .and_then(|r| r.outcome.figures())
}

/// The figure that backs a leaf, from a run, in words.
pub fn backing(leaf: &Leaf, report: &Report) -> String {
    let (workload, model) = leaf.row;
    let Some(figures) = row_of(leaf, report) else {
        return format!(
            "{} · {}: not measured in this run",
            workload.name(),
            model.label()
        );
    };
    let ms = crate::compare::seconds;
    let figure = match workload {
        Workload::Cpu | Workload::Shared => {
            format!("{:.2}× sequential", figures.speedup.unwrap_or(0.0))
        }
        Workload::Io => format!("{:.0} requests/s", figures.per_second),
        Workload::Connections => format!(
            "{:.1} KiB of server memory per idle connection",
            figures.rss_per_connection_bytes.unwrap_or(0.0) / 1024.0
        ),
        Workload::Mixed => format!("echo p99 {}", ms(figures.p99_s.unwrap_or(0.0))),
        Workload::Tiny => format!("{:.0} jobs/s", figures.per_second),
        Workload::Panic | Workload::Crash => format!(
            "{} of 100 jobs finished, {} lost",
            figures.finished.unwrap_or(0),
            figures.lost.unwrap_or(0)
        ),
    };
    format!("{} · {}: {figure}", workload.name(), model.label())
}

/// The answers given on the command line; the advisor asks for the rest.
/// The flags are listed in the order the guide asks.
#[derive(Clone, Copy, Debug, Default, clap::Args)]
pub struct Given {
    /// How many machines the work needs.
    #[arg(long, value_parser = number)]
    pub machines: Option<u64>,
    /// Is the work another program that you run? (yes or no)
    #[arg(long, value_parser = yes_no)]
    pub runs_other_programs: Option<bool>,
    /// Must the other jobs go on when one crashes? (yes or no)
    #[arg(long, value_parser = yes_no)]
    pub isolation: Option<bool>,
    /// What they must survive (asked only when isolation is needed): a
    /// panic, or an abort (a segfault in C, running out of memory,
    /// untrusted input, a panic = "abort" build).
    #[arg(long, value_enum)]
    pub crash: Option<Crash>,
    /// Is the work CPU-bound, I/O-bound, or both?
    #[arg(long, value_enum)]
    pub bound: Option<Bound>,
    /// How many tasks at once, at most (connections, requests in flight).
    #[arg(long, value_parser = number)]
    pub tasks: Option<u64>,
    /// What the tasks share.
    #[arg(long, value_enum)]
    pub data: Option<Data>,
    /// Is the program async already, on an event loop such as tokio's?
    /// (yes or no)
    #[arg(long, value_parser = yes_no)]
    pub event_loop: Option<bool>,
}

/// `yes` or `no`, as a flag's value or a typed answer.
pub fn yes_no(text: &str) -> Result<bool, String> {
    match text.trim().to_ascii_lowercase().as_str() {
        "yes" | "y" => Ok(true),
        "no" | "n" => Ok(false),
        _ => Err(format!("{:?} is not yes or no", text.trim())),
    }
}

/// A whole number of 1 or more, as a flag's value or a typed answer.
pub fn number(text: &str) -> Result<u64, String> {
    match text.trim().parse::<u64>() {
        Ok(n) if n >= 1 => Ok(n),
        _ => Err(format!(
            "{:?} is not a whole number of 1 or more",
            text.trim()
        )),
    }
}

/// One of a value enum's names, as a typed answer: the error lists them.
fn one_of<T: clap::ValueEnum>(text: &str) -> Result<T, String> {
    T::from_str(text.trim(), true).map_err(|_| format!("{:?} is not {}", text.trim(), names::<T>()))
}

/// A value enum's names, as a choice: `cpu, io or mixed`.
fn names<T: clap::ValueEnum>() -> String {
    let names: Vec<String> = T::value_variants()
        .iter()
        .filter_map(|v| v.to_possible_value())
        .map(|v| v.get_name().to_string())
        .collect();
    match names.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
        None => String::new(),
    }
}

/// Asks `question` until `parse` accepts the answer; an error if the input
/// ends first.
fn prompt<T>(
    question: &str,
    choices: &str,
    parse: impl Fn(&str) -> Result<T, String>,
    echo: bool,
    input: &mut impl std::io::BufRead,
    output: &mut impl std::io::Write,
) -> std::io::Result<T> {
    loop {
        write!(output, "{question} ({choices}) ")?;
        output.flush()?;
        let mut line = String::new();
        if input.read_line(&mut line)? == 0 {
            writeln!(output)?; // the error starts on a line of its own
            let error = format!("no answer to \"{question}\": the input ended");
            return Err(std::io::Error::new(
                std::io::ErrorKind::UnexpectedEof,
                error,
            ));
        }
        if echo {
            writeln!(output, "{}", line.trim())?;
        }
        match parse(line.trim()) {
            Ok(answer) => return Ok(answer),
            Err(why) => writeln!(output, "  {why}: please answer {choices}")?,
        }
    }
}

/// Answers from the command line, and the rest asked for on `input` (a
/// terminal or not) when the walk first needs them; a bad answer is asked
/// again.
pub struct Asking<R, W> {
    /// What is known so far.
    pub given: Given,
    /// Where answers are read.
    pub input: R,
    /// Where questions are written.
    pub output: W,
    /// Whether to write each answer read after its question: when the
    /// input is not a terminal, so the transcript reads as typed.
    pub echo: bool,
}

/// Returns the known answer, or asks for it and remembers it.
macro_rules! known_or_asked {
    ($self:ident, $field:ident, $question:expr, $choices:expr, $parse:expr) => {{
        if let Some(answer) = $self.given.$field {
            return Ok(answer);
        }
        let answer = prompt(
            $question,
            $choices,
            $parse,
            $self.echo,
            &mut $self.input,
            &mut $self.output,
        )?;
        $self.given.$field = Some(answer);
        Ok(answer)
    }};
}

impl<R: std::io::BufRead, W: std::io::Write> Source for Asking<R, W> {
    fn bound(&mut self) -> io::Result<Bound> {
        let question = "Is the work CPU-bound, I/O-bound, or both?";
        known_or_asked!(self, bound, question, &names::<Bound>(), one_of)
    }
    fn tasks(&mut self) -> io::Result<u64> {
        let question = "How many tasks at once, at most (connections, requests in flight)?";
        known_or_asked!(self, tasks, question, "a whole number", number)
    }
    fn data(&mut self) -> io::Result<Data> {
        let question = "What do the tasks share?";
        known_or_asked!(self, data, question, &names::<Data>(), one_of)
    }
    fn isolation(&mut self) -> io::Result<bool> {
        let question = "Must the other jobs go on when one crashes?";
        known_or_asked!(self, isolation, question, "yes or no", yes_no)
    }
    fn crash(&mut self) -> io::Result<Crash> {
        let question = "What must they survive: a panic, or an abort (a segfault in C, running \
                        out of memory, untrusted input, a panic = \"abort\" build)?";
        known_or_asked!(self, crash, question, &names::<Crash>(), one_of)
    }
    fn runs_other_programs(&mut self) -> io::Result<bool> {
        let question = "Is the work another program that you run?";
        known_or_asked!(self, runs_other_programs, question, "yes or no", yes_no)
    }
    fn event_loop(&mut self) -> io::Result<bool> {
        known_or_asked!(self, event_loop, EVENT_LOOP, "yes or no", yes_no)
    }
    fn machines(&mut self) -> io::Result<u64> {
        let question = "How many machines does the work need?";
        known_or_asked!(self, machines, question, "a whole number", number)
    }
}

/// The reader's last `compare` run, and where it was read from; or why
/// there is none.
pub type LastRun = Result<(Report, String), String>;

/// The run whose figure backs `leaf`, and a line saying which it is: the
/// reader's last run if it was judged (see [`Report::judged`]) and
/// measured the leaf's row, else the book's reference run, saying why
/// the reader's was not used.
pub fn quoted<'a>(leaf: &Leaf, yours: &'a LastRun, reference: &'a Report) -> (&'a Report, String) {
    let not_yours = match yours {
        Ok((report, from)) => match report.judged() {
            Ok(()) if row_of(leaf, report).is_some() => {
                return (report, format!("from your last compare run, {from}"));
            }
            Ok(()) => format!("your last compare run, {from}, did not measure this row"),
            Err(reason) => format!("your last compare run, {from}, is {reason}"),
        },
        Err(reason) => reason.clone(),
    };
    (
        reference,
        format!(
            "from the book's reference run, as {not_yours}; \
             `cargo run -p lab-13 --release -- compare` measures yours"
        ),
    )
}

/// What the advisor says: the model, the reasons, the figure that backs
/// it (see [`quoted`]), and the chapters to read, in the served book.
pub fn advice(leaf: &Leaf, path: &Path, yours: &LastRun, reference: &Report) -> String {
    let (report, source) = quoted(leaf, yours, reference);
    let mut out = String::new();
    // Lines a terminal shows whole: wrapped, the rest indented.
    let wrapped = |text: &str| crate::compare::wrap(text, 78).join("\n  ");
    let _ = writeln!(out, "Use: {} ({}).", leaf.model, leaf.using);
    let _ = writeln!(out, "{}", wrapped(&format!("Why: {}.", leaf.why)));
    let _ = writeln!(out, "\nYour answers, in the guide's order:");
    for (question, answer) in path.iter() {
        let _ = writeln!(out, "  {question} {answer}");
    }
    let _ = writeln!(out, "\nBacked by {}", backing(leaf, report));
    let _ = writeln!(out, "  {}", wrapped(&format!("({source})")));
    let chapters = std::iter::once(leaf.chapter).chain(leaf.also.iter().copied());
    let _ = writeln!(
        out,
        "\nRead, in the book (`cargo xtask serve` serves it at {}):",
        crate::models::BOOK_URL
    );
    for chapter in chapters {
        let _ = writeln!(
            out,
            "  chapter {chapter}, {}: {}",
            crate::models::chapter_title(chapter),
            crate::models::chapter_url(chapter)
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn every_answer() -> Vec<Answers> {
        let mut all = Vec::new();
        for bound in [Bound::Cpu, Bound::Io, Bound::Mixed] {
            for tasks in [1, 8, MANY_TASKS - 1, MANY_TASKS, 10_000] {
                for data in [Data::Independent, Data::Immutable, Data::Shared] {
                    for crash in [Crash::Panic, Crash::Abort] {
                        for (isolation, runs_other_programs, event_loop) in
                            (0..8).map(|bits| (bits & 1 == 1, bits & 2 == 2, bits & 4 == 4))
                        {
                            for machines in [1, 2, 50] {
                                all.push(Answers {
                                    bound,
                                    tasks,
                                    data,
                                    isolation,
                                    crash,
                                    runs_other_programs,
                                    event_loop,
                                    machines,
                                });
                            }
                        }
                    }
                }
            }
        }
        all
    }

    /// Every leaf of the guide with the path to it: a leaf that ends two
    /// paths is there twice.
    fn paths_to_leaves() -> Vec<(Leaf, Vec<&'static str>)> {
        fn walk(node: &Node, path: Vec<&'static str>, into: &mut Vec<(Leaf, Vec<&'static str>)>) {
            match node {
                Node::Use(leaf) => into.push((*leaf, path)),
                Node::Ask(step) => {
                    for (label, next) in [&step.yes, &step.no] {
                        let mut path = path.clone();
                        path.push(label);
                        walk(next, path, into);
                    }
                }
            }
        }
        let mut all = Vec::new();
        walk(&guide(), Vec::new(), &mut all);
        all
    }

    #[test]
    fn every_path_of_the_guide_is_taken_by_some_answers() {
        let paths = paths_to_leaves();
        assert_eq!(paths.len(), leaves().len());
        let mut reached = vec![0; paths.len()];
        for answers in every_answer() {
            let (leaf, path) = decide(&answers);
            let labels: Vec<&str> = path.iter().map(|(_, label)| *label).collect();
            let index = paths
                .iter()
                .position(|(l, p)| *l == leaf && *p == labels)
                .expect("a path of the guide");
            reached[index] += 1;
        }
        for ((leaf, path), count) in paths.iter().zip(&reached) {
            assert!(*count > 0, "no answers lead to {} by {path:?}", leaf.name);
        }
    }

    const BASE: Answers = Answers {
        bound: Bound::Cpu,
        tasks: 8,
        data: Data::Independent,
        isolation: false,
        crash: Crash::Abort,
        runs_other_programs: false,
        event_loop: false,
        machines: 1,
    };

    #[test]
    fn each_leaf_is_where_its_own_answers_lead() {
        // One set of answers per leaf, changed from BASE where that leaf
        // needs it: a swapped leaf, a moved threshold, a reordered
        // question fails here.
        let with = |change: fn(&mut Answers)| {
            let mut answers = BASE;
            change(&mut answers);
            answers
        };
        let cases = [
            (BASE, RAYON),
            (with(|a| a.data = Data::Immutable), RAYON),
            (with(|a| a.data = Data::Shared), MERGE),
            (with(|a| a.event_loop = true), ASYNC_CPU),
            // More than one machine comes first, even for another program.
            (
                with(|a| {
                    a.machines = 2;
                    a.runs_other_programs = true;
                    a.isolation = true
                }),
                BROKER,
            ),
            // Another program comes before isolation: it is isolated.
            (
                with(|a| {
                    a.runs_other_programs = true;
                    a.isolation = true
                }),
                COMMAND,
            ),
            (
                with(|a| {
                    a.runs_other_programs = true;
                    a.event_loop = true
                }),
                ASYNC_COMMAND,
            ),
            (
                with(|a| {
                    a.isolation = true;
                    a.crash = Crash::Panic;
                    a.bound = Bound::Io;
                    a.tasks = 10_000
                }),
                CAUGHT_PANIC,
            ),
            (with(|a| a.isolation = true), PROCESS_POOL),
            (
                with(|a| {
                    a.isolation = true;
                    a.event_loop = true
                }),
                ASYNC_PROCESS_POOL,
            ),
            (
                with(|a| {
                    a.isolation = true;
                    a.bound = Bound::Io;
                    a.tasks = MANY_TASKS
                }),
                PREFORK,
            ),
            (
                with(|a| {
                    a.isolation = true;
                    a.bound = Bound::Mixed;
                    a.tasks = MANY_TASKS - 1
                }),
                PROCESS_POOL,
            ),
            // Thousands of CPU jobs queue for a pool: no prefork.
            (
                with(|a| {
                    a.isolation = true;
                    a.tasks = 10_000
                }),
                PROCESS_POOL,
            ),
            (
                with(|a| {
                    a.bound = Bound::Io;
                    a.tasks = MANY_TASKS - 1
                }),
                THREADS,
            ),
            (
                with(|a| {
                    a.bound = Bound::Io;
                    a.tasks = MANY_TASKS
                }),
                TOKIO,
            ),
            (
                with(|a| {
                    a.bound = Bound::Io;
                    a.event_loop = true
                }),
                TOKIO,
            ),
            (
                with(|a| {
                    a.bound = Bound::Mixed;
                    a.tasks = MANY_TASKS - 1
                }),
                PIPELINE,
            ),
            (
                with(|a| {
                    a.bound = Bound::Mixed;
                    a.tasks = MANY_TASKS
                }),
                ASYNC_CPU,
            ),
            (
                with(|a| {
                    a.bound = Bound::Mixed;
                    a.event_loop = true
                }),
                ASYNC_CPU,
            ),
        ];
        for (answers, expected) in cases {
            assert_eq!(decide(&answers).0.name, expected.name, "{answers:?}");
        }
        let covered: Vec<&str> = cases.iter().map(|(_, leaf)| leaf.name).collect();
        for leaf in leaves() {
            assert!(covered.contains(&leaf.name), "no case for {}", leaf.name);
        }
    }

    #[test]
    fn leaves_have_names_of_their_own() {
        // The book's anchors: two leaves with one name would share one.
        for a in leaves() {
            for b in leaves() {
                assert_eq!(a.name == b.name, a == b, "{} and {}", a.model, b.model);
            }
        }
    }

    #[test]
    fn every_leaf_is_backed_by_a_row_its_workload_lists() {
        for leaf in leaves() {
            let (workload, model) = leaf.row;
            assert!(workload.models().contains(&model), "{}", leaf.model);
        }
    }

    #[test]
    fn each_leaf_is_backed_by_the_table_of_its_claim() {
        for answers in every_answer() {
            let (leaf, _) = decide(&answers);
            let (workload, model) = leaf.row;
            let survives = answers.isolation && !answers.runs_other_programs;
            if answers.machines == 1 && survives {
                match answers.crash {
                    Crash::Panic => assert_eq!(workload, Workload::Panic, "{answers:?}"),
                    // Prefork says which rows it stands on, and which not.
                    Crash::Abort if leaf.why.contains("No row runs prefork") => {}
                    Crash::Abort => assert_eq!(workload, Workload::Crash, "{answers:?}"),
                }
            }
            // A leaf that uses tokio stands on a tokio row.
            if leaf.using.starts_with("tokio") {
                assert!(model.label().starts_with("tokio"), "{}", leaf.name);
            }
        }
    }

    #[test]
    fn the_cut_off_in_the_questions_and_the_leaves_is_many_tasks() {
        let cut_off = format!("{},{:03}", MANY_TASKS / 1000, MANY_TASKS % 1000);
        let mut questions = Vec::new();
        fn collect(node: &Node, into: &mut Vec<&'static str>) {
            if let Node::Ask(step) = node {
                into.push(step.question);
                collect(&step.yes.1, into);
                collect(&step.no.1, into);
            }
        }
        let guide = guide();
        collect(&guide, &mut questions);
        let counting: Vec<&str> = questions
            .into_iter()
            .filter(|q| q.contains("at once"))
            .collect();
        assert_eq!(counting.len(), 3, "{counting:?}");
        for text in counting
            .into_iter()
            .chain([TOKIO.why, THREADS.why, PIPELINE.why, PREFORK.why])
        {
            assert!(text.contains(&cut_off), "{text:?} does not say {cut_off}");
        }
        for leaf in leaves() {
            for vague in ["hundred", "thousands", "handful"] {
                assert!(!leaf.why.contains(vague), "{}: {vague}", leaf.name);
            }
        }
    }

    fn asking(given: Given, typed: &str) -> (io::Result<(Leaf, Path)>, String) {
        let mut asking = Asking {
            given,
            input: typed.as_bytes(),
            output: Vec::new(),
            echo: true,
        };
        let walked = walk(&mut asking);
        (walked, String::from_utf8(asking.output).unwrap())
    }

    #[test]
    fn only_the_questions_on_the_way_are_asked() {
        // One machine, another program, not async: a child process.
        let (walked, shown) = asking(Given::default(), "1\nyes\nno\n");
        assert_eq!(walked.unwrap().0.name, COMMAND.name);
        assert!(
            !shown.contains("crashes"),
            "asked more than needed: {shown}"
        );
        // No isolation: what a crash is is not asked.
        let typed = "1\nno\nno\nboth\n10000\n";
        let (walked, shown) = asking(Given::default(), typed);
        assert_eq!(walked.unwrap().0.name, ASYNC_CPU.name);
        assert!(!shown.contains("What must they survive"), "{shown}");
        assert!(!shown.contains("What do the tasks share"), "{shown}");
        // Isolation: it is asked.
        let (walked, shown) = asking(Given::default(), "1\nno\nyes\npanic\n");
        assert_eq!(walked.unwrap().0.name, CAUGHT_PANIC.name);
        assert!(shown.contains("What must they survive"), "{shown}");
    }

    #[test]
    fn every_bad_answer_is_asked_again_with_the_valid_answers() {
        type Ask = fn(&mut Asking<&[u8], Vec<u8>>) -> String;
        let questions: [(Ask, &str, &str); 8] = [
            (
                |a| format!("{:?}", a.machines()),
                "0",
                "please answer a whole number",
            ),
            (
                |a| format!("{:?}", a.runs_other_programs()),
                "maybe",
                "please answer yes or no",
            ),
            (
                |a| format!("{:?}", a.isolation()),
                "perhaps",
                "please answer yes or no",
            ),
            (
                |a| format!("{:?}", a.crash()),
                "segfault",
                "please answer panic or abort",
            ),
            (
                |a| format!("{:?}", a.bound()),
                "gpu",
                "please answer cpu, io or mixed",
            ),
            (
                |a| format!("{:?}", a.tasks()),
                "many",
                "please answer a whole number",
            ),
            (
                |a| format!("{:?}", a.data()),
                "some",
                "please answer independent, immutable or shared",
            ),
            (
                |a| format!("{:?}", a.event_loop()),
                "sometimes",
                "please answer yes or no",
            ),
        ];
        for (ask, bad, complaint) in questions {
            // The bad answer, then one good for every kind of question.
            let typed = format!("{bad}\n{bad}\n");
            let mut asking = Asking {
                given: Given::default(),
                input: typed.as_bytes(),
                output: Vec::new(),
                echo: true,
            };
            let answer = ask(&mut asking);
            let shown = String::from_utf8(asking.output).unwrap();
            // Asked twice, told why each time, then the input ended.
            assert_eq!(shown.matches(complaint).count(), 2, "{shown}");
            assert!(answer.contains("the input ended"), "{answer}");
            let typed = format!("{bad}\n{}\n", good(complaint));
            let mut asking = Asking {
                given: Given::default(),
                input: typed.as_bytes(),
                output: Vec::new(),
                echo: true,
            };
            let answer = ask(&mut asking);
            assert!(answer.starts_with("Ok("), "{bad}: {answer}");
        }
        fn good(complaint: &str) -> &'static str {
            match complaint {
                "please answer a whole number" => "3",
                "please answer yes or no" => "yes",
                "please answer panic or abort" => "abort",
                "please answer cpu, io or mixed" => "io",
                _ => "shared",
            }
        }
    }

    #[test]
    fn an_answer_given_is_not_asked_and_an_ended_input_is_an_error() {
        let given = Given {
            machines: Some(1),
            runs_other_programs: Some(false),
            ..Given::default()
        };
        let (walked, shown) = asking(given, "");
        let error = walked.unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::UnexpectedEof);
        assert!(error.to_string().contains("one crashes"), "{error}");
        assert!(!shown.contains("another program"), "{shown}");
    }

    fn reference() -> Report {
        serde_json::from_str(include_str!("../../../book/src/lab-13/reference.json")).unwrap()
    }

    /// A run of the reader's that differs from the reference in the cpu
    /// table's rayon row, so the advice shows whose figure it quotes.
    fn yours(change: impl FnOnce(&mut Report)) -> LastRun {
        let mut report = reference();
        // A quiet machine, whatever the reference run's was: judged.
        report.load = Some(crate::compare::Load {
            cores_free: report.machine.cores as f64,
            busy: false,
            sequential_share: None,
        });
        for table in &mut report.tables {
            for row in &mut table.rows {
                if let crate::workloads::Outcome::Measured(figures) = &mut row.outcome {
                    figures.speedup = Some(9.99);
                }
            }
        }
        change(&mut report);
        Ok((report, String::from("target/lab-13/compare.json")))
    }

    /// The advice with its lines joined: what it says, wherever it wraps.
    fn flat(text: &str) -> String {
        text.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    #[test]
    fn the_readers_run_is_quoted_only_when_it_was_judged() {
        let reference = reference();
        let (leaf, path) = decide(&BASE);
        assert_eq!(leaf.name, RAYON.name);
        let judged = flat(&advice(&leaf, &path, &yours(|_| {}), &reference));
        assert!(judged.contains("cpu · rayon: 9.99× sequential"), "{judged}");
        assert!(
            judged.contains("(from your last compare run, target/"),
            "{judged}"
        );
        type Change = fn(&mut Report);
        let not_judged: [(Change, &str); 3] = [
            (|r| r.size = crate::models::Size::Tiny, "--size tiny"),
            (|r| r.machine.optimised = false, "unoptimised"),
            (
                |r| {
                    r.load = Some(crate::compare::Load {
                        cores_free: 0.4,
                        busy: true,
                        sequential_share: None,
                    })
                },
                "busy",
            ),
        ];
        for (change, reason) in not_judged {
            let said = flat(&advice(&leaf, &path, &yours(change), &reference));
            assert!(!said.contains("9.99"), "{said}");
            assert!(said.contains("from the book's reference run"), "{said}");
            assert!(said.contains("is not judged: "), "{said}");
            assert!(said.contains(reason), "{reason}: {said}");
        }
        let partial = yours(|r| r.tables.retain(|t| t.workload != Workload::Cpu));
        let said = flat(&advice(&leaf, &path, &partial, &reference));
        assert!(said.contains("did not measure this row"), "{said}");
        let none = Err(String::from(
            "you have no compare run at target/lab-13/compare.json",
        ));
        let said = flat(&advice(&leaf, &path, &none, &reference));
        assert!(
            said.contains("as you have no compare run at target/"),
            "{said}"
        );
    }

    #[test]
    fn the_advice_points_at_the_served_book_by_chapter_title() {
        let (leaf, path) = decide(&BASE);
        let said = advice(&leaf, &path, &Err(String::from("none")), &reference());
        assert!(said.contains("`cargo xtask serve` serves it"), "{said}");
        assert!(
            said.contains(
                "  chapter 7, Data parallelism: http://127.0.0.1:3000/07-data-parallelism.html"
            ),
            "{said}"
        );
        assert!(!said.contains("book/src/"), "{said}");
    }
}
