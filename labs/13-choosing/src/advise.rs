//! The decision guide, as data: the questions in the order they are asked,
//! and the model each path of answers ends at. One tree drives both the
//! flowchart in chapter 13 ([`flowchart`]) and `lab-13 advise`
//! ([`decide`]), so the two cannot disagree; a test walks every path.

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

/// The answers to every question.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Answers {
    /// CPU, I/O, or both.
    pub bound: Bound,
    /// How many tasks at once.
    pub tasks: u64,
    /// What they share.
    pub data: Data,
    /// Must a crash in one part leave the rest alive?
    pub isolation: bool,
    /// Is the work another program that you run?
    pub runs_other_programs: bool,
    /// Does the program already have an event loop (a GUI, an async server)?
    pub event_loop: bool,
    /// How many machines the work needs.
    pub machines: u64,
}

/// Where a path of answers ends: what to use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Leaf {
    /// The model, in a few words.
    pub model: &'static str,
    /// The crate or API that gives it.
    pub using: &'static str,
    /// Why, in a sentence.
    pub why: &'static str,
    /// The chapter that teaches it.
    pub chapter: u8,
    /// The chapters to read next, after that one.
    pub also: &'static [u8],
    /// The `compare` row that backs it: workload, model.
    pub row: (Workload, Model),
}

const COMMAND: Leaf = Leaf {
    model: "a child process",
    using: "std::process::Command",
    why: "the work is another program: run it, and read its pipes while it runs (never wait first)",
    chapter: 8,
    also: &[9],
    row: (Workload::Tiny, Model::ProcessPerJob),
};
const QUEUE: Leaf = Leaf {
    model: "a work queue with worker processes on each machine",
    using: "a Redis queue (lab-12's protocol), or an existing engine past that",
    why: "one machine is not enough: the queue outlives any worker, and a dead worker's job is \
          taken back",
    chapter: 12,
    also: &[9, 13],
    row: (Workload::Cpu, Model::RedisQueue),
};
const ASYNC_PROCESS_POOL: Leaf = Leaf {
    model: "async tasks driving a process pool",
    using: "tokio, with a process pool behind spawn_blocking",
    why: "a crash must not take the program down, and the program already has a loop",
    chapter: 9,
    also: &[11, 8],
    row: (Workload::Mixed, Model::TokioProcesses),
};
const PROCESS_POOL: Leaf = Leaf {
    model: "a pool of worker processes",
    using: "the process pool (lab-09's, or a crate like it)",
    why: "a crash in one job must kill only its worker: only a process boundary does that",
    chapter: 9,
    also: &[8, 12],
    row: (Workload::Crash, Model::PoolProcesses),
};
const TOKIO_RAYON: Leaf = Leaf {
    model: "async tasks with the CPU work on rayon",
    using: "tokio, handing CPU work to rayon (or spawn_blocking)",
    why: "CPU work on the runtime's threads stalls every other task: keep it off them",
    chapter: 11,
    also: &[7, 10],
    row: (Workload::Mixed, Model::TokioRayon),
};
const MERGE: Leaf = Leaf {
    model: "threads on independent data, merged at the end",
    using: "rayon's fold and reduce (or std::thread::scope with a map each)",
    why: "shared state taken for every update serializes the threads: redesign it so each \
          works alone, then merge",
    chapter: 5,
    also: &[2, 7],
    row: (Workload::Shared, Model::Threads),
};
const RAYON: Leaf = Leaf {
    model: "data parallelism, one thread per core",
    using: "rayon",
    why: "CPU-bound work in Rust needs threads, not processes: no interpreter lock, and no \
          marshaling",
    chapter: 7,
    also: &[5],
    row: (Workload::Cpu, Model::Rayon),
};
const TOKIO: Leaf = Leaf {
    model: "async tasks",
    using: "tokio",
    why: "thousands of waiting tasks, or a loop already there: a task costs far less than a thread",
    chapter: 11,
    also: &[10],
    row: (Workload::Connections, Model::Tokio),
};
const THREADS: Leaf = Leaf {
    model: "a thread per task (or a thread pool)",
    using: "std::thread::scope",
    why: "a few hundred waits at most: threads are as good as processes (C3) and simpler than \
          async",
    chapter: 1,
    also: &[2, 3],
    row: (Workload::Io, Model::Threads),
};
const TOKIO_BLOCKING: Leaf = Leaf {
    model: "async tasks with the CPU parts in spawn_blocking",
    using: "tokio::task::spawn_blocking",
    why: "the waiting is async, and the computing stays off the runtime's threads",
    chapter: 11,
    also: &[10, 7],
    row: (Workload::Mixed, Model::TokioBlocking),
};
const PIPELINE: Leaf = Leaf {
    model: "threads joined by channels (a pipeline)",
    using: "std::thread with crossbeam channels",
    why: "a few stages that wait and compute in turn: each on a thread, bounded channels between",
    chapter: 6,
    also: &[3],
    row: (Workload::Io, Model::Threads),
};

/// Tasks at once from which async tasks are the answer for waiting work.
pub const MANY_TASKS: u64 = 1_000;

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

// ANCHOR: guide
/// The guide: the questions, in order.
pub fn guide() -> Node {
    use Node::Use;
    let cpu = ask(
        "Do the jobs change shared state?",
        |a| Ok(a.data()? == Data::Shared),
        ("yes", Use(MERGE)),
        ("no, or only read it", Use(RAYON)),
    );
    let io = ask(
        "Thousands of tasks at once, or a loop already?",
        |a| Ok(a.tasks()? >= MANY_TASKS || a.event_loop()?),
        ("yes", Use(TOKIO)),
        ("no", Use(THREADS)),
    );
    let mixed = ask(
        "Thousands of tasks at once, or a loop already?",
        |a| Ok(a.tasks()? >= MANY_TASKS || a.event_loop()?),
        ("yes", Use(TOKIO_BLOCKING)),
        ("no", Use(PIPELINE)),
    );
    let bound = ask(
        "Is the work CPU-bound?",
        |a| Ok(a.bound()? == Bound::Cpu),
        (
            "yes",
            ask(
                "Does the program already have an event loop?",
                |a| a.event_loop(),
                ("yes", Use(TOKIO_RAYON)),
                ("no", cpu),
            ),
        ),
        (
            "no",
            ask(
                "Is it only waiting (I/O-bound)?",
                |a| Ok(a.bound()? == Bound::Io),
                ("yes", io),
                ("no, both", mixed),
            ),
        ),
    );
    let isolation = ask(
        "Must a crash in one part leave the rest alive?",
        |a| a.isolation(),
        (
            "yes",
            ask(
                "Does the program already have an event loop?",
                |a| a.event_loop(),
                ("yes", Use(ASYNC_PROCESS_POOL)),
                ("no", Use(PROCESS_POOL)),
            ),
        ),
        ("no", bound),
    );
    let machines = ask(
        "Does it need more than one machine?",
        |a| Ok(a.machines()? > 1),
        ("yes", Use(QUEUE)),
        ("no", isolation),
    );
    ask(
        "Is the work another program?",
        |a| a.runs_other_programs(),
        ("yes", Use(COMMAND)),
        ("no", machines),
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
    /// Must a crash leave the rest alive?
    fn isolation(&mut self) -> io::Result<bool>;
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

/// The flowchart, as HTML for the book: nested boxes, each question with
/// its two branches, each leaf with its model, crate, chapter and the
/// reference run's figure. No script: plain HTML and the CSS in
/// `book/theme/guide.css`.
pub fn flowchart(report: &Report) -> String {
    fn draw(node: &Node, report: &Report, out: &mut String) {
        match node {
            Node::Use(leaf) => {
                let chapter = format!("{:02}", leaf.chapter);
                let file = crate::models::chapter_file(leaf.chapter);
                let _ = write!(
                    out,
                    "<div class=\"guide-leaf\"><strong>{}</strong><br><code>{}</code><br>\
                     {}<br>Chapter <a href=\"{file}\">{chapter}</a> · <em>{}</em></div>",
                    leaf.model,
                    leaf.using,
                    leaf.why,
                    backing(leaf, report)
                );
            }
            Node::Ask(step) => {
                let _ = write!(
                    out,
                    "<div class=\"guide-ask\"><div class=\"guide-q\">{}</div>",
                    step.question
                );
                for (label, next) in [&step.yes, &step.no] {
                    let _ = write!(
                        out,
                        "<div class=\"guide-branch\"><span class=\"guide-a\">{label}</span>"
                    );
                    draw(next, report, out);
                    out.push_str("</div>");
                }
                out.push_str("</div>");
            }
        }
    }
    let mut out = String::from("<div class=\"guide\">");
    draw(&guide(), report, &mut out);
    out.push_str("</div>\n");
    out
}

/// The answers given on the command line; the advisor asks for the rest.
#[derive(Clone, Copy, Debug, Default, clap::Args)]
pub struct Given {
    /// Is the work CPU-bound, I/O-bound, or both?
    #[arg(long, value_enum)]
    pub bound: Option<Bound>,
    /// How many tasks at once, at most.
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..))]
    pub tasks: Option<u64>,
    /// What the tasks share.
    #[arg(long, value_enum)]
    pub data: Option<Data>,
    /// Must a crash in one part leave the rest alive? (yes/no)
    #[arg(long, value_parser = yes_no)]
    pub isolation: Option<bool>,
    /// Is the work another program that you run? (yes/no)
    #[arg(long, value_parser = yes_no)]
    pub runs_other_programs: Option<bool>,
    /// Does the program already have an event loop? (yes/no)
    #[arg(long, value_parser = yes_no)]
    pub event_loop: Option<bool>,
    /// How many machines the work needs.
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..))]
    pub machines: Option<u64>,
}

/// `yes` or `no`, as a flag's value or a typed answer.
pub fn yes_no(text: &str) -> Result<bool, String> {
    match text.trim().to_ascii_lowercase().as_str() {
        "yes" | "y" => Ok(true),
        "no" | "n" => Ok(false),
        other => Err(format!("{other:?} is not yes or no")),
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

fn number(text: &str) -> Result<u64, String> {
    match text.parse::<u64>() {
        Ok(n) if n >= 1 => Ok(n),
        _ => Err(format!("{text:?} is not a whole number of 1 or more")),
    }
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
        use clap::ValueEnum;
        let question = "Is the work CPU-bound, I/O-bound, or both?";
        known_or_asked!(self, bound, question, "cpu, io or mixed", |t: &str| {
            Bound::from_str(t, true).map_err(|_| format!("{t:?} is not cpu, io or mixed"))
        })
    }
    fn tasks(&mut self) -> io::Result<u64> {
        let question = "How many tasks at once, at most?";
        known_or_asked!(self, tasks, question, "a whole number", number)
    }
    fn data(&mut self) -> io::Result<Data> {
        use clap::ValueEnum;
        let question = "What do the tasks share?";
        let choices = "independent, immutable or shared";
        known_or_asked!(self, data, question, choices, |t: &str| {
            Data::from_str(t, true).map_err(|_| format!("{t:?} is not {choices}"))
        })
    }
    fn isolation(&mut self) -> io::Result<bool> {
        let question = "Must a crash in one part leave the rest alive?";
        known_or_asked!(self, isolation, question, "yes or no", yes_no)
    }
    fn runs_other_programs(&mut self) -> io::Result<bool> {
        let question = "Is the work another program that you run?";
        known_or_asked!(self, runs_other_programs, question, "yes or no", yes_no)
    }
    fn event_loop(&mut self) -> io::Result<bool> {
        let question = "Does the program already have an event loop (a GUI, an async server)?";
        known_or_asked!(self, event_loop, question, "yes or no", yes_no)
    }
    fn machines(&mut self) -> io::Result<u64> {
        let question = "How many machines does the work need?";
        known_or_asked!(self, machines, question, "a whole number", number)
    }
}

/// What the advisor says: the model, the reasons, the figure that backs
/// it from the first of `runs` that measured it (each named by where it
/// came from), and the chapters to read.
pub fn advice(leaf: &Leaf, path: &Path, runs: &[(Report, String)]) -> String {
    let leaf = *leaf;
    let (report, source) = runs
        .iter()
        .find(|(report, _)| row_of(&leaf, report).is_some())
        .or(runs.last())
        .map(|(report, source)| (report, source.as_str()))
        .expect("the reference run at least");
    let mut out = String::new();
    let _ = writeln!(out, "Use: {} ({}).", leaf.model, leaf.using);
    let _ = writeln!(out, "Why: {}.", leaf.why);
    let _ = writeln!(out, "\nYour answers, in the guide's order:");
    for (question, answer) in path.iter() {
        let _ = writeln!(out, "  {question} {answer}");
    }
    let _ = writeln!(out, "\nBacked by {}", backing(&leaf, report));
    let _ = writeln!(out, "  (from {source})");
    let chapters = std::iter::once(leaf.chapter).chain(leaf.also.iter().copied());
    let _ = writeln!(out, "\nRead:");
    for chapter in chapters {
        let _ = writeln!(
            out,
            "  chapter {chapter}: book/src/{}",
            crate::models::chapter_file(chapter)
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
                    for (isolation, runs_other_programs, event_loop) in
                        (0..8).map(|bits| (bits & 1 == 1, bits & 2 == 2, bits & 4 == 4))
                    {
                        for machines in [1, 2, 50] {
                            all.push(Answers {
                                bound,
                                tasks,
                                data,
                                isolation,
                                runs_other_programs,
                                event_loop,
                                machines,
                            });
                        }
                    }
                }
            }
        }
        all
    }

    #[test]
    fn every_leaf_of_the_guide_is_reached_by_some_answers() {
        let leaves = leaves();
        let mut reached = vec![0; leaves.len()];
        for answers in every_answer() {
            let (leaf, path) = decide(&answers);
            let index = leaves
                .iter()
                .position(|l| *l == leaf)
                .expect("a leaf of the guide");
            reached[index] += 1;
            assert!(!path.is_empty(), "{answers:?}");
        }
        for (leaf, count) in leaves.iter().zip(&reached) {
            assert!(*count > 0, "no answers lead to {}", leaf.model);
        }
    }

    const BASE: Answers = Answers {
        bound: Bound::Cpu,
        tasks: 8,
        data: Data::Independent,
        isolation: false,
        runs_other_programs: false,
        event_loop: false,
        machines: 1,
    };

    #[test]
    fn each_leaf_is_where_its_own_answers_lead() {
        // One set of answers per leaf, changed from BASE where that leaf
        // needs it: a swapped leaf, a moved threshold, a reordered
        // question fails here.
        let cases = [
            (BASE, RAYON),
            (
                Answers {
                    data: Data::Immutable,
                    ..BASE
                },
                RAYON,
            ),
            (
                Answers {
                    data: Data::Shared,
                    ..BASE
                },
                MERGE,
            ),
            (
                Answers {
                    event_loop: true,
                    ..BASE
                },
                TOKIO_RAYON,
            ),
            (
                Answers {
                    runs_other_programs: true,
                    machines: 5,
                    ..BASE
                },
                COMMAND,
            ),
            (
                Answers {
                    machines: 2,
                    isolation: true,
                    ..BASE
                },
                QUEUE,
            ),
            (
                Answers {
                    isolation: true,
                    ..BASE
                },
                PROCESS_POOL,
            ),
            (
                Answers {
                    isolation: true,
                    event_loop: true,
                    ..BASE
                },
                ASYNC_PROCESS_POOL,
            ),
            (
                Answers {
                    bound: Bound::Io,
                    tasks: MANY_TASKS - 1,
                    ..BASE
                },
                THREADS,
            ),
            (
                Answers {
                    bound: Bound::Io,
                    tasks: MANY_TASKS,
                    ..BASE
                },
                TOKIO,
            ),
            (
                Answers {
                    bound: Bound::Io,
                    event_loop: true,
                    ..BASE
                },
                TOKIO,
            ),
            (
                Answers {
                    bound: Bound::Mixed,
                    tasks: 4,
                    ..BASE
                },
                PIPELINE,
            ),
            (
                Answers {
                    bound: Bound::Mixed,
                    tasks: 10_000,
                    ..BASE
                },
                TOKIO_BLOCKING,
            ),
            (
                Answers {
                    bound: Bound::Mixed,
                    event_loop: true,
                    ..BASE
                },
                TOKIO_BLOCKING,
            ),
        ];
        for (answers, expected) in cases {
            assert_eq!(decide(&answers).0, expected, "{answers:?}");
        }
        let covered: Vec<Leaf> = cases.iter().map(|(_, leaf)| *leaf).collect();
        for leaf in leaves() {
            assert!(covered.contains(&leaf), "no case for {}", leaf.model);
        }
    }

    #[test]
    fn every_leaf_is_backed_by_a_row_its_workload_lists() {
        for leaf in leaves() {
            let (workload, model) = leaf.row;
            assert!(workload.models().contains(&model), "{}", leaf.model);
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
    fn only_the_questions_on_the_way_are_asked_and_a_bad_answer_is_asked_again() {
        let (walked, shown) = asking(Given::default(), "maybe\nyes\n");
        assert_eq!(walked.unwrap().0, COMMAND);
        assert!(
            shown.contains("\"maybe\" is not yes or no: please answer yes or no"),
            "{shown}"
        );
        assert!(
            !shown.contains("How many machines"),
            "asked more than needed: {shown}"
        );
        let typed = "no\n0\n1\nno\nboth\n10000\n";
        let (walked, shown) = asking(Given::default(), typed);
        assert_eq!(walked.unwrap().0, TOKIO_BLOCKING);
        assert!(shown.contains("\"0\" is not a whole number"), "{shown}");
        assert!(
            !shown.contains("What do the tasks share"),
            "asked more than needed: {shown}"
        );
    }

    #[test]
    fn an_answer_given_is_not_asked_and_an_ended_input_is_an_error() {
        let given = Given {
            runs_other_programs: Some(false),
            ..Given::default()
        };
        let (walked, shown) = asking(given, "1\n");
        let error = walked.unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::UnexpectedEof);
        assert!(error.to_string().contains("Must a crash"), "{error}");
        assert!(!shown.contains("another program"), "{shown}");
    }
}
