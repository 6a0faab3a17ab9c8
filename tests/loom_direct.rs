//! Loom on its own, outside the course: `templates/loom-direct`, the crate
//! a learner copies to check their code with loom alone, is copied into a
//! temporary folder and built there as a package of its own: on std
//! (`cargo test`), on shuttle (`RUSTFLAGS="--cfg shuttle"`) and on loom
//! (`RUSTFLAGS="--cfg loom"`).
//! Every model must pass or fail as its test says, and loom's environment
//! variables must print what the book shows: the book's copies in
//! `book/src/loom-direct/` are kept current from these runs, as the traces
//! are (`RACE_HARNESS_BOOK`).
//!
//! Measured on 2 cores shared with other builds: cold, with nothing built
//! in `target/loom-direct-test`, about 30 s (26 s to build the template on
//! std, on shuttle and on loom, with their dependencies; measured once);
//! warm, about 5 s (a dozen cargo runs of a built crate).

use harness::template::{TempFolder, copy_sources};
use harness::watchdog::output_within;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Duration;

/// Long enough for a cold build on a slow machine; a hang ends here.
const DEADLINE: Duration = Duration::from_secs(600);

fn course() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn template() -> PathBuf {
    course().join("templates/loom-direct")
}

/// `cargo test --offline --quiet <args>` in the copy, with `env` set, and
/// the variables that would change what loom prints removed. The book
/// shows each as `cargo test -q <args>`: `--offline` only keeps this test
/// off the network.
fn cargo_test(root: &Path, env: &[(&str, &str)], args: &[&str]) -> Output {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut command = Command::new(cargo);
    command
        .current_dir(root)
        .args(["test", "--offline", "--quiet"])
        .args(args)
        // Warm after the first run, and nothing written into the course.
        .env("CARGO_TARGET_DIR", course().join("target/loom-direct-test"))
        // No colours, no backtraces: the text the book shows.
        .env("NO_COLOR", "1")
        .env("RUST_BACKTRACE", "0")
        .env_remove("RUSTFLAGS")
        .env_remove("CARGO_ENCODED_RUSTFLAGS");
    for variable in [
        "LOOM_LOG",
        "LOOM_LOCATION",
        "LOOM_MAX_PREEMPTIONS",
        "LOOM_MAX_BRANCHES",
        "LOOM_MAX_DURATION",
        "LOOM_MAX_PERMUTATIONS",
        "LOOM_CHECKPOINT_FILE",
        "LOOM_CHECKPOINT_INTERVAL",
    ] {
        command.env_remove(variable);
    }
    for (name, value) in env {
        command.env(name, value);
    }
    output_within(
        command,
        DEADLINE,
        &format!(
            "`cargo test {}` of the loom-direct template",
            args.join(" ")
        ),
    )
}

const LOOM: (&str, &str) = ("RUSTFLAGS", "--cfg loom");

/// Its stdout and stderr, as one text with what changes from run to run
/// (thread ids, timings, paths of this machine) replaced.
fn printed(output: &Output) -> String {
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    text.lines().map(normalise).collect::<Vec<_>>().join("\n")
}

fn normalise(line: &str) -> String {
    let mut line = line.to_string();
    // `thread 'name' (12345) panicked`: the id differs each run.
    if let Some(at) = line.find("' (")
        && let Some(end) = line[at..].find(") ")
    {
        line.replace_range(at + 1..at + end + 1, "");
    }
    // `finished in 0.02s`
    if let Some(at) = line.find("; finished in ") {
        line.truncate(at);
    }
    // Paths of this machine's registry and toolchain.
    for (marker, end) in [
        ("/.cargo/registry/src/", "/loom-"),
        ("/rustc/", "/library/"),
    ] {
        if let Some(at) = line.find(marker)
            && let Some(stop) = line[at + marker.len()..].find(end)
        {
            let start = line[..at].rfind([' ', '=']).map_or(0, |i| i + 1);
            let kept = if marker == "/rustc/" {
                "/rustc/<commit>"
            } else {
                "~/.cargo/registry/src/<index>"
            };
            line.replace_range(start..at + marker.len() + stop, kept);
        }
    }
    line
}

/// The lines of `text` from the first containing `from` to the one before
/// the first blank line after it.
fn paragraph<'a>(text: &'a str, from: &str) -> Vec<&'a str> {
    text.lines()
        .skip_while(|line| !line.contains(from))
        .take_while(|line| !line.trim().is_empty())
        .collect()
}

/// Keeps `book/src/loom-direct/<name>` current: the commands, each
/// followed by what it printed.
fn in_book(name: &str, content: &str) {
    harness::book::keep_current(&Path::new("book/src/loom-direct").join(name), content);
}

#[test]
fn the_loom_direct_template_builds_alone_and_its_models_pass_and_fail_as_the_book_shows() {
    let root = std::env::temp_dir().join(format!("loom-direct-{}", std::process::id()));
    let _remove = TempFolder(root.clone());
    let _ = fs::remove_dir_all(&root);
    copy_sources(&template(), &root);
    fs::copy(course().join("Cargo.lock"), root.join("Cargo.lock")).unwrap();

    // On std: the crate compiles without loom, and tests/loom.rs is empty.
    let std = cargo_test(&root, &[], &[]);
    assert!(std.status.success(), "on std:\n{}", printed(&std));

    // On shuttle: the same models, seeded random schedules; a deadlock is a
    // panic there, so all six run together.
    let shuttle = cargo_test(
        &root,
        &[("RUSTFLAGS", "--cfg shuttle")],
        &["--test", "shuttle"],
    );
    let text = printed(&shuttle);
    assert!(shuttle.status.success(), "on shuttle:\n{text}");
    assert!(text.contains("6 passed"), "{text}");
    in_book(
        "shuttle.txt",
        &format!(
            "$ RUSTFLAGS=\"--cfg shuttle\" cargo test -q --test shuttle\n{}\n",
            text.lines()
                .skip_while(|l| !l.starts_with("running"))
                .take_while(|l| !l.starts_with("test result"))
                .chain(text.lines().filter(|l| l.starts_with("test result")))
                .collect::<Vec<_>>()
                .join("\n")
        ),
    );

    // On loom: every model passes, or fails as its `should_panic` says. The
    // deadlock is left out: loom aborts the whole test binary on one.
    let deadlock = "a_waker_stored_after_the_check_misses_the_wakeup";
    let args = [
        "--test",
        "loom",
        "--",
        "--test-threads",
        "1",
        "--skip",
        deadlock,
    ];
    let all = cargo_test(&root, &[LOOM], &args);
    let text = printed(&all);
    assert!(all.status.success(), "on loom:\n{text}");
    assert!(text.contains("6 passed"), "{text}");
    in_book(
        "tests.txt",
        &format!(
            "$ RUSTFLAGS=\"--cfg loom\" cargo test -q --test loom -- --skip {deadlock}\n{}\n",
            text.trim()
        ),
    );

    // The deadlock, alone: loom names where main is blocked (LOOM_LOCATION).
    let args = ["--test", "loom", "--", "--exact", deadlock];
    let alone = cargo_test(&root, &[LOOM, ("LOOM_LOCATION", "1")], &args);
    let text = printed(&alone);
    assert!(
        !alone.status.success(),
        "the deadlock was not found:\n{text}"
    );
    let found = paragraph(&text, "panicked at");
    let models = fs::read_to_string(template().join("tests/models/mod.rs")).unwrap();
    let block_on = 1 + models
        .lines()
        .position(|l| l.trim_start().starts_with("block_on("))
        .expect("tests/models/mod.rs calls block_on");
    let place = format!("file: \"tests/models/mod.rs\", line: {block_on},");
    assert!(
        found
            .iter()
            .any(|l| l.starts_with("deadlock; threads =") && l.contains(&place)),
        "loom did not name the line of the `block_on` call ({place}):\n{text}"
    );
    let mut deadlock_book = format!(
        "$ LOOM_LOCATION=1 RUSTFLAGS=\"--cfg loom\" cargo test -q --test loom -- --exact {deadlock}\n{}\n",
        found.join("\n")
    );

    // The checkpoint: written before each execution, so after the failure
    // it holds the failing one; run again from it, loom starts there.
    let checkpoint = root.join("failing.json");
    let file = checkpoint.to_str().unwrap();
    let first = cargo_test(
        &root,
        &[
            LOOM,
            ("LOOM_CHECKPOINT_FILE", file),
            ("LOOM_CHECKPOINT_INTERVAL", "1"),
            ("LOOM_LOG", "info"),
        ],
        &["--test", "loom", "--", "--exact", deadlock, "--nocapture"],
    );
    let text = printed(&first);
    assert!(!first.status.success(), "{text}");
    // The execution that failed: the last `iter{N}` loom logged.
    let executions = text
        .rsplit("iter{")
        .next()
        .and_then(|rest| rest.split('}').next())
        .and_then(|n| n.parse::<usize>().ok())
        .unwrap_or_else(|| panic!("loom logged no execution:\n{text}"));
    assert!(
        executions > 1,
        "the deadlock was found in the first execution: a checkpoint shows nothing\n{text}"
    );
    assert!(checkpoint.is_file(), "loom wrote no checkpoint file");
    let again = cargo_test(
        &root,
        &[
            LOOM,
            ("LOOM_CHECKPOINT_FILE", file),
            ("LOOM_LOG", "trace"),
            ("LOOM_LOCATION", "1"),
        ],
        &["--test", "loom", "--", "--exact", deadlock, "--nocapture"],
    );
    let text = printed(&again);
    assert!(!again.status.success(), "{text}");
    assert!(
        text.contains("iter{1}") && !text.contains("iter{2}"),
        "from the checkpoint, loom ran more than the failing execution:\n{text}"
    );
    let log: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with(" INFO") || l.starts_with("TRACE"))
        .collect();
    deadlock_book.push_str(&format!(
        "\n$ LOOM_CHECKPOINT_FILE=failing.json LOOM_CHECKPOINT_INTERVAL=1 LOOM_LOG=info \
         RUSTFLAGS=\"--cfg loom\" cargo test -q --test loom -- --exact {deadlock} --nocapture \
         2>&1 | grep -o 'iter{{[0-9]*}}' | tail -1\niter{{{executions}}}\n\
         $ LOOM_CHECKPOINT_FILE=failing.json LOOM_LOG=trace LOOM_LOCATION=1 \
         RUSTFLAGS=\"--cfg loom\" cargo test -q --test loom -- --exact {deadlock} --nocapture\n{}\n{}\n",
        log.join("\n"),
        paragraph(&text, "deadlock; threads").join("\n"),
    ));
    in_book("deadlock.txt", &deadlock_book);

    // The racy counter, logged: loom's own account of the failing execution.
    let racy = "the_racy_counter_loses_an_update";
    let logged = cargo_test(
        &root,
        &[LOOM, ("LOOM_LOG", "trace"), ("LOOM_LOCATION", "1")],
        &["--test", "loom", "--", "--exact", racy, "--nocapture"],
    );
    let text = printed(&logged);
    assert!(logged.status.success(), "{text}");
    // stdout: loom's log; stderr: the panic (one after the other here,
    // interleaved on a terminal).
    let mut shown: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with(" INFO") || l.starts_with("TRACE"))
        .collect();
    shown.extend(
        paragraph(&text, "panicked at")
            .into_iter()
            .filter(|l| !l.starts_with("note: run with `RUST_BACKTRACE")),
    );
    assert!(
        shown
            .iter()
            .any(|l| l.contains("two increments, but the count is 1")),
        "{text}"
    );
    in_book(
        "racy-counter-log.txt",
        &format!(
            "$ LOOM_LOG=trace LOOM_LOCATION=1 RUSTFLAGS=\"--cfg loom\" cargo test -q --test loom -- \
             --exact {racy} --nocapture\n{}\n",
            shown.join("\n").trim_end()
        ),
    );

    // The preemption bound: how many executions the signal's model takes.
    let signal = "looking_again_after_storing_the_waker_never_misses_it";
    let mut counts = String::new();
    let mut last = 0;
    for bound in ["0", "1", "2", "3", ""] {
        let mut env = vec![LOOM, ("LOOM_LOG", "info")];
        let shown_bound = if bound.is_empty() {
            String::new()
        } else {
            env.push(("LOOM_MAX_PREEMPTIONS", bound));
            format!("LOOM_MAX_PREEMPTIONS={bound} ")
        };
        let run = cargo_test(
            &root,
            &env,
            &["--test", "loom", "--", "--exact", signal, "--nocapture"],
        );
        let text = printed(&run);
        assert!(run.status.success(), "{text}");
        let completed = text
            .lines()
            .find(|l| l.contains("Completed in"))
            .unwrap_or_else(|| panic!("loom did not say how many executions:\n{text}"));
        let number: usize = completed
            .split_whitespace()
            .find_map(|w| w.parse().ok())
            .expect("a number of executions");
        assert!(number > last, "a larger bound explored no more:\n{text}");
        last = number;
        counts.push_str(&format!(
            "$ {shown_bound}LOOM_LOG=info RUSTFLAGS=\"--cfg loom\" cargo test -q --test loom -- \
             --exact {signal} --nocapture 2>&1 | grep Completed\n{completed}\n"
        ));
    }
    in_book("preemptions.txt", &counts);
}
