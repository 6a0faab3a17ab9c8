//! `cargo xtask`: the course's chores, each printing the commands it runs.
//!
//! ```text
//! cargo xtask test           every test, and the book's traces checked current
//! cargo xtask serve          the book on http://127.0.0.1:3000 (installs mdbook once)
//! cargo xtask book           build the book; fail on any warning
//! cargo xtask highlight      cut mdBook's highlight.js to the languages the book uses
//! cargo xtask traces         regenerate the traces the book shows
//! cargo xtask exercise 01    check your answer to lab 01's exercise
//! cargo xtask progress       which exercises you have passed, and the next one
//! cargo xtask doctor         is this machine ready for every chapter?
//! cargo xtask prepare        fetch and build everything, once, for working offline
//! cargo xtask mutants 01     mutation-test lab 01's fixes and solution (slow; not in CI)
//! cargo xtask mutants puzzles   the same for the puzzle trail's fixes and models
//! cargo xtask repeat 20      the whole suite 20 times: is any test flaky? (slow; not in CI)
//! cargo xtask explore 01     every outcome loom reached in lab 01's checks, and how often
//! cargo xtask explore 01 --real   ...and beside it, what real threads show on this machine
//! cargo xtask observed       record every lab's real-thread runs as the book's reference
//! cargo xtask schedule 01    be the scheduler: pick the thread that runs next
//! cargo xtask schedule --list      the puzzle trail's levels; `schedule puzzle-01` plays one
//! ```

mod doctor;
mod explore;
mod highlight;
// The harness's own fingerprint code, compiled here too: `progress` tells
// an untouched starter from an edited one without building the harness.
#[path = "../../harness/src/fingerprint.rs"]
mod fingerprint;
mod mutants;
mod prepare;
mod progress;
mod repeat;
mod test;

use clap::{Parser, Subcommand};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

/// Where `cargo xtask serve` serves the book: this host, and this port
/// unless `--port` says another. `cargo xtask progress` points there, and
/// so does lab-13's advisor (its book test holds it to these two lines).
const BOOK_HOST: &str = "127.0.0.1";
const BOOK_PORT: u16 = 3000;

/// The mdbook release the book is built with; installed on first use.
const MDBOOK_VERSION: &str = "0.5.4";

#[derive(Parser)]
#[command(about = "Chores for the concurrency course; each prints the commands it runs.")]
struct Cli {
    #[command(subcommand)]
    task: Task,
}

#[derive(Subcommand)]
enum Task {
    /// Run every test in the workspace, and check the book's traces are current.
    Test,
    /// Serve the book on 127.0.0.1, rebuilding on change (installs mdbook if missing).
    Serve {
        /// The port to serve on.
        #[arg(long, default_value_t = BOOK_PORT)]
        port: u16,
    },
    /// Build the book into book/build, failing on any warning.
    Book,
    /// Write book/theme/highlight.js: mdBook's own highlight.js cut to the
    /// languages the book's code blocks use.
    Highlight,
    /// Regenerate the traces the book includes, from a test run.
    Traces,
    /// Check your answer to a lab's exercise with loom.
    Exercise {
        /// The lab's number, e.g. 01.
        lab: String,
    },
    /// Show which exercises you have passed, started or not, and the next one.
    Progress,
    /// Say whether this machine is ready for every chapter, and what to do
    /// where not; exits 2 when something is to do.
    Doctor,
    /// Fetch every crate and build every lab's tests, examples and
    /// benchmarks, and install mdbook: after it, the course works offline.
    Prepare,
    /// Prove the course works with the network off, as on a workshop's USB
    /// copy: `prepare`, then `test` and `book` in a network namespace that
    /// holds only loopback (xtask/netless), where anything that reaches for
    /// the network fails.
    Offline {
        /// Skip `prepare` (it has run, and nothing changed since).
        #[arg(long)]
        no_prepare: bool,
    },
    /// Mutation-test a lab: run its tests against small changes to its
    /// fixes, solution and protocol code (cargo-mutants, installed if
    /// missing); a change the tests pass is listed for you to judge.
    Mutants {
        /// The lab's number, e.g. 01, or `puzzles` for the puzzle trail.
        lab: String,
        /// Only these files of the lab's src/ (e.g. fixed.rs); default: the
        /// fixes, the solution and the protocol code (for the trail: every
        /// level's file, but not its puzzle or its wrong fixes).
        files: Vec<String>,
    },
    /// Show every outcome loom reached in a lab's checks: how many
    /// executions reached it, whether it failed, and (--show) the shortest.
    Explore {
        /// The lab's number, e.g. 01.
        lab: String,
        /// Only the checks whose title contains this, e.g. "racy counter".
        check: Option<String>,
        /// Print the shortest execution of each outcome.
        #[arg(long)]
        show: bool,
        /// Also run the same models on real threads, RUNS times each
        /// (default: up to 100,000 runs or 3 s per model), and print what
        /// this machine shows beside what loom explored.
        #[arg(long, value_name = "RUNS", num_args = 0..=1)]
        real: Option<Option<u64>>,
    },
    /// Run every lab's models on real threads with the default budget and
    /// keep the results as the book's reference run (book/src/observed/),
    /// then regenerate the chapters' quotes of it. Run it on a quiet machine.
    Observed,
    /// Be the scheduler of a lab's check, or of a level of the puzzle trail:
    /// pick which thread runs next, among the continuations loom explored,
    /// until the check passes or fails.
    Schedule {
        /// The lab's number, e.g. 01, or a puzzle, e.g. puzzle-01.
        #[arg(required_unless_present = "list")]
        lab: Option<String>,
        /// The check whose title contains this; default: the first that can
        /// fail (for a puzzle, `fixed` plays its fix).
        check: Option<String>,
        /// List the puzzle trail's levels, easy to hard.
        #[arg(long, conflicts_with = "lab")]
        list: bool,
    },
    /// Run every package's tests N times and name any test that failed in
    /// some runs and passed in others (flaky); exits 1 if any test failed.
    Repeat {
        /// How many runs, e.g. 20.
        runs: u32,
    },
}

/// `doctor`'s exit code when the machine is not ready (1 is its own failure).
const NOT_READY: u8 = 2;

fn main() -> ExitCode {
    let root = workspace_root();
    let result = match Cli::parse().task {
        Task::Test => test::test(&root),
        Task::Serve { port } => mdbook(&root).and_then(|mdbook| {
            println!(
                "Serving the book on http://{BOOK_HOST}:{port}: read the chapters there (as files, \
                 they show {{{{#include}}}} lines, not code). Ctrl-C stops it."
            );
            let port = port.to_string();
            let mut serve = Command::new(mdbook);
            serve.current_dir(&root).args([
                "serve",
                "book",
                "--hostname",
                BOOK_HOST,
                "--port",
                &port,
            ]);
            serve_in_place(&mut serve)
        }),
        Task::Book => build_book(&root),
        Task::Highlight => mdbook(&root).and_then(|mdbook| highlight::highlight(&root, &mdbook)),
        // The course's own checks read the traces, so they run later, in `test`.
        Task::Traces => run(cargo(&root)
            .args(["test", "--workspace", "--exclude", "course"])
            .env("RACE_HARNESS_BOOK", "write")),
        Task::Exercise { lab } => exercise(&root, &lab),
        Task::Progress => progress::progress(&root),
        Task::Doctor => {
            println!(
                "Is this machine ready for every chapter? Reading target/ (building nothing), and:"
            );
            println!(
                "> rustc --version; mdbook --version; redis-server --version; python3 --version\n\
                 > sh -c 'ulimit -Sn; ulimit -Hn'; df -Pk target\n"
            );
            let facts = doctor::facts(&root, find_mdbook(), pinned_mdbook());
            let findings = doctor::verdict(&facts);
            doctor::print(&findings);
            if !doctor::ready(&findings) {
                return ExitCode::from(NOT_READY);
            }
            Ok(())
        }
        Task::Prepare => prepare::prepare(&root),
        Task::Offline { no_prepare } => offline(&root, no_prepare),
        Task::Mutants { lab, files } => mutants::mutants(&root, &lab, &files),
        Task::Repeat { runs } => repeat::repeat(&root, runs),
        Task::Explore {
            lab,
            check,
            show,
            real,
        } => explore::explore(&root, &lab, check.as_deref(), show, real),
        Task::Observed => explore::record_observed(&root),
        Task::Schedule { list: true, .. } => explore::list_puzzles(&root),
        Task::Schedule { lab, check, .. } => {
            explore::schedule(&root, &lab.unwrap_or_default(), check.as_deref())
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: {message}");
            ExitCode::FAILURE
        }
    }
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the workspace")
        .to_path_buf()
}

/// `cargo xtask offline`: prepare (unless told it has run), then the tests
/// and the book with no network.
fn offline(root: &Path, no_prepare: bool) -> Result<(), String> {
    let netless = || {
        let mut command = Command::new("bash");
        command.current_dir(root).arg("xtask/netless");
        command
    };
    let probe = netless()
        .arg("--probe")
        .output()
        .map_err(|e| format!("could not run bash xtask/netless: {e}"))?;
    if !probe.status.success() {
        return Err(format!(
            "{}. Instead, unplug the network (or turn off Wi-Fi) and run `cargo xtask test` \
             and `cargo xtask book`.",
            String::from_utf8_lossy(&probe.stderr).trim()
        ));
    }
    if !no_prepare {
        prepare::prepare(root)?;
    }
    println!("\nNow with no network: only 127.0.0.1 answers.");
    for task in ["test", "book"] {
        run(netless().args(["cargo", "xtask", task]))?;
    }
    println!(
        "\nOffline proven: every test passed and the book built with no network \
         (book/build/index.html opens without one)."
    );
    Ok(())
}

fn cargo(root: &Path) -> Command {
    let mut command = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    command.current_dir(root);
    command
}

/// Runs mdbook as this very process on Unix (`exec`), so that stopping
/// `cargo xtask serve` by its process id stops the server too, not only
/// this wrapper; elsewhere, as a child.
fn serve_in_place(command: &mut Command) -> Result<(), String> {
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        println!("> {}", shown(command));
        let error = command.exec(); // returns only if mdbook could not start
        Err(format!(
            "could not start {:?}: {error}",
            command.get_program()
        ))
    }
    #[cfg(not(unix))]
    {
        run(command)
    }
}

/// Prints a command the way a shell would show it, then runs it.
fn run(command: &mut Command) -> Result<(), String> {
    println!("> {}", shown(command));
    let status = command
        .status()
        .map_err(|e| format!("could not start {:?}: {e}", command.get_program()))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{}` failed ({status})", shown(command)))
    }
}

fn shown(command: &Command) -> String {
    let mut words: Vec<String> = command
        .get_envs()
        .filter_map(|(k, v)| Some(format!("{}={}", k.to_string_lossy(), v?.to_string_lossy())))
        .collect();
    let program = Path::new(command.get_program());
    words.push(
        program
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned(),
    );
    words.extend(command.get_args().map(|a| quoted(&a.to_string_lossy())));
    words.join(" ")
}

/// An argument as a shell reads it back: quoted if it holds a space or a
/// quote (`--only 'ring, then push'`), so a printed command can be pasted.
fn quoted(word: &str) -> String {
    if word.is_empty() || word.contains(|c: char| c.is_whitespace() || "'\"$`\\".contains(c)) {
        format!("'{}'", word.replace('\'', "'\\''"))
    } else {
        word.to_string()
    }
}

/// The version `MDBOOK_VERSION` names.
fn pinned_mdbook() -> doctor::Version {
    doctor::Version::find(MDBOOK_VERSION).expect("MDBOOK_VERSION is a version")
}

/// A tool the course installs at a pinned version, with `cargo install
/// --locked`, into a folder of its own under cargo's home: a learner's own
/// copy is never replaced, and later clones reuse it.
struct PinnedTool {
    /// The crate, and the command it installs.
    name: &'static str,
    version: &'static str,
    /// What `NAME --version` prints before the version.
    version_prefix: &'static str,
    /// The install's cost, said before it starts.
    takes: &'static str,
}

const MDBOOK: PinnedTool = PinnedTool {
    name: "mdbook",
    version: MDBOOK_VERSION,
    version_prefix: "mdbook v",
    takes: "about 5 minutes on 2 cores",
};

impl PinnedTool {
    /// Where [`PinnedTool::install`] puts it.
    fn folder(&self) -> Result<PathBuf, String> {
        let cargo_home = std::env::var_os("CARGO_HOME")
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cargo")))
            .ok_or("neither CARGO_HOME nor HOME is set")?;
        Ok(cargo_home
            .join("concurrency-course")
            .join(format!("{}-{}", self.name, self.version)))
    }

    /// The program, as `program --version` must show the pinned version.
    fn runs(&self, program: &Path) -> bool {
        let mut command = Command::new(program);
        // cargo subcommands print their version when called through cargo.
        if self.name.starts_with("cargo-") {
            command.arg(&self.name["cargo-".len()..]);
        }
        command
            .arg("--version")
            .output()
            .map(|out| {
                String::from_utf8_lossy(&out.stdout).trim()
                    == format!("{}{}", self.version_prefix, self.version)
            })
            .unwrap_or(false)
    }

    /// The tool at the pinned version, if installed: on PATH, else ours.
    fn find(&self) -> Option<PathBuf> {
        let installed = self
            .folder()
            .ok()
            .map(|folder| folder.join("bin").join(self.name));
        std::iter::once(PathBuf::from(self.name))
            .chain(installed)
            .find(|candidate| self.runs(candidate))
    }

    /// The tool's path, installing it first if it is missing.
    fn install(&self, root: &Path) -> Result<PathBuf, String> {
        if let Some(found) = self.find() {
            return Ok(found);
        }
        let folder = self.folder()?;
        let installed = folder.join("bin").join(self.name);
        println!(
            "{} {} is not installed: building it from crates.io into {}. \
             This takes {}, and happens once.",
            self.name,
            self.version,
            folder.display(),
            self.takes
        );
        let folder_arg = folder.to_string_lossy().into_owned();
        run(cargo(root).args([
            "install",
            "--locked",
            self.name,
            "--version",
            self.version,
            "--root",
            &folder_arg,
        ]))?;
        if self.runs(&installed) {
            Ok(installed)
        } else {
            Err(format!(
                "{} {} was installed, but {} does not run",
                self.name,
                self.version,
                installed.display()
            ))
        }
    }
}

/// The mdbook the book is built with, if it is installed.
fn find_mdbook() -> Option<PathBuf> {
    MDBOOK.find()
}

/// The path of mdbook at the pinned version, installing it if it is missing.
fn mdbook(root: &Path) -> Result<PathBuf, String> {
    MDBOOK.install(root)
}

fn build_book(root: &Path) -> Result<(), String> {
    let mdbook = mdbook(root)?;
    let mut command = Command::new(&mdbook);
    command.current_dir(root).args(["build", "book"]);
    println!("> {}", shown(&command));
    let output = command
        .output()
        .map_err(|e| format!("could not run mdbook: {e}"))?;
    let log = String::from_utf8_lossy(&output.stderr);
    eprint!("{log}");
    if !output.status.success() {
        return Err(String::from("mdbook build failed"));
    }
    // mdbook reports a missing include or a bad link as a warning and goes on.
    let warnings: Vec<&str> = log
        .lines()
        .filter(|l| l.contains("WARN") || l.contains("ERROR"))
        .collect();
    if !warnings.is_empty() {
        return Err(format!(
            "the book built with {} warning(s): the book must build clean",
            warnings.len()
        ));
    }
    Ok(())
}

/// The labs, in order: their number (`01`) and folder (`labs/01-lost-update`).
fn labs(root: &Path) -> Vec<(String, PathBuf)> {
    let mut labs: Vec<(String, PathBuf)> = std::fs::read_dir(root.join("labs"))
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| {
            let name = entry.file_name().to_string_lossy().into_owned();
            let number = name.get(..2)?;
            (number.chars().all(|c| c.is_ascii_digit()) && name.get(2..3) == Some("-"))
                .then(|| (number.to_string(), entry.path()))
        })
        .collect();
    labs.sort();
    labs
}

fn exercise(root: &Path, lab: &str) -> Result<(), String> {
    let number: u32 = lab
        .parse()
        .map_err(|_| format!("`{lab}` is not a lab number: try `cargo xtask exercise 01`"))?;
    let package = format!("lab-{number:02}");
    let folder = labs(root)
        .into_iter()
        .find(|(n, _)| *n == format!("{number:02}"))
        .map(|(_, path)| {
            path.file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned()
        })
        .ok_or_else(|| format!("there is no lab {number:02} yet"))?;
    println!("Checking labs/{folder}/src/exercise.rs with loom.");
    let test = ["-p", &package, "--test", "exercise"];
    run(cargo(root).args(["test", "-q", "--no-run"]).args(test))
        .map_err(|_| String::from("your code does not compile yet: rustc's errors are above."))?;
    test::run_filtered(
        cargo(root).args(["test", "-q"]).args(test).args(["--", "--ignored"]),
        test::exercise_noise,
    )
    .map(|()| {
        println!(
            "\nYour answer passed every execution loom explored (the verdict above says how many, \
             and within which preemption bound, if any). Compare it with src/solution.rs."
        )
    })
        .map_err(|_| {
            String::from("not yet: above is an interleaving in which your code fails. Edit the file and run this again.")
        })
}

#[cfg(test)]
mod tests {
    use super::quoted;

    #[test]
    fn a_printed_argument_with_a_space_or_a_quote_is_quoted_for_the_shell() {
        assert_eq!(quoted("--only"), "--only");
        assert_eq!(quoted("ring, then push"), "'ring, then push'");
        assert_eq!(quoted("it's"), "'it'\\''s'");
        assert_eq!(quoted(""), "''");
    }
}
