//! `lab-13 advise`, run as a reader runs it: with every answer as a flag,
//! with answers piped in (stdin not a terminal), with bad answers and bad
//! flags, and with runs of `compare` that may or may not be quoted.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A file no run of compare has written: the advice then quotes the
/// reference run, whatever the reader's target/lab-13 holds.
fn no_run() -> PathBuf {
    std::env::temp_dir().join(format!("lab-13-advise-no-run-{}.json", std::process::id()))
}

fn advise_with(args: &[&str], typed: &str, json: &Path) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_lab-13"))
        .arg("advise")
        .args(args)
        .arg("--json")
        .arg(json)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("lab-13 starts");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(typed.as_bytes())
        .unwrap(); // dropped here: the input ends after what was typed
    child.wait_with_output().unwrap()
}

fn advise(args: &[&str], typed: &str) -> Output {
    advise_with(args, typed, &no_run())
}

fn all_flags<'a>(changes: &[(&'a str, &'a str)]) -> Vec<&'a str> {
    let mut flags = vec![
        ("--machines", "1"),
        ("--runs-other-programs", "no"),
        ("--isolation", "no"),
        ("--crash", "abort"),
        ("--bound", "cpu"),
        ("--tasks", "8"),
        ("--data", "independent"),
        ("--event-loop", "no"),
    ];
    for (flag, value) in changes {
        flags.iter_mut().find(|(f, _)| f == flag).unwrap().1 = value;
    }
    flags.into_iter().flat_map(|(f, v)| [f, v]).collect()
}

fn stdout(output: &Output) -> String {
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// What it printed, its lines joined: what it says, wherever it wraps.
fn said(output: &Output) -> String {
    stdout(output)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn first_line(output: &Output) -> String {
    stdout(output)
        .lines()
        .next()
        .unwrap_or_default()
        .to_string()
}

#[test]
fn cpu_work_gets_rayon_ten_thousand_waits_get_tokio_and_another_program_gets_command() {
    let rayon = advise(&all_flags(&[]), "");
    assert_eq!(
        first_line(&rayon),
        "Use: data parallelism, one thread per core (rayon)."
    );
    let server = all_flags(&[
        ("--bound", "io"),
        ("--tasks", "10000"),
        ("--event-loop", "yes"),
    ]);
    assert_eq!(
        first_line(&advise(&server, "")),
        "Use: async tasks (tokio)."
    );
    let other = all_flags(&[("--runs-other-programs", "yes")]);
    assert_eq!(
        first_line(&advise(&other, "")),
        "Use: a child process (std::process::Command)."
    );
    let async_other = all_flags(&[("--runs-other-programs", "yes"), ("--event-loop", "yes")]);
    assert_eq!(
        first_line(&advise(&async_other, "")),
        "Use: a child process, awaited (tokio::process::Command)."
    );
}

#[test]
fn a_panic_is_caught_by_threads_and_an_abort_needs_processes() {
    let panic = all_flags(&[("--isolation", "yes"), ("--crash", "panic")]);
    assert!(first_line(&advise(&panic, "")).contains("lab-09's thread pool"));
    let abort = all_flags(&[("--isolation", "yes")]);
    assert_eq!(
        first_line(&advise(&abort, "")),
        "Use: a pool of worker processes (the process pool (lab-09's, or a crate like it))."
    );
    let connections = all_flags(&[
        ("--isolation", "yes"),
        ("--bound", "io"),
        ("--tasks", "5000"),
    ]);
    assert!(first_line(&advise(&connections, "")).contains("prefork"));
}

#[test]
fn the_answer_names_its_figure_its_source_and_the_chapters_in_the_served_book() {
    let text = said(&advise(&all_flags(&[("--data", "shared")]), ""));
    assert!(text.contains("Backed by shared · threads: "), "{text}");
    assert!(
        text.contains("(from the book's reference run, as you have no compare run at "),
        "{text}"
    );
    assert!(
        text.contains(
            "chapter 5, Immutable and independent data: \
             http://127.0.0.1:3000/05-immutable-data.html"
        ),
        "{text}"
    );
    assert!(text.contains("`cargo xtask serve` serves it"), "{text}");
}

/// The reference run, with every speed-up 9.99 and `change` made: a run
/// of the reader's whose figures differ from the book's.
fn a_run(change: impl FnOnce(&mut serde_json::Value), name: &str) -> PathBuf {
    let text = std::fs::read_to_string(root().join("book/src/lab-13/reference.json")).unwrap();
    let mut run: serde_json::Value = serde_json::from_str(&text).unwrap();
    // A quiet machine, whatever the reference run's was: judged.
    let cores = run["machine"]["cores"].clone();
    run["load"] = serde_json::json!({ "cores_free": cores, "busy": false });
    for table in run["tables"].as_array_mut().unwrap() {
        for row in table["rows"].as_array_mut().unwrap() {
            if row.get("speedup").is_some_and(|s| !s.is_null()) {
                row["speedup"] = serde_json::json!(9.99);
            }
        }
    }
    change(&mut run);
    let path =
        std::env::temp_dir().join(format!("lab-13-advise-{name}-{}.json", std::process::id()));
    std::fs::write(&path, serde_json::to_string(&run).unwrap()).unwrap();
    path
}

#[test]
fn the_readers_last_run_is_quoted_only_when_it_was_judged() {
    let judged = a_run(|_| {}, "judged");
    let text = said(&advise_with(&all_flags(&[]), "", &judged));
    assert!(
        text.contains("Backed by cpu · rayon: 9.99× sequential"),
        "{text}"
    );
    assert!(text.contains("(from your last compare run, "), "{text}");

    let tiny = a_run(|run| run["size"] = serde_json::json!("tiny"), "tiny");
    let text = said(&advise_with(&all_flags(&[]), "", &tiny));
    assert!(!text.contains("9.99"), "{text}");
    assert!(
        text.contains("is not judged: --size tiny is a smoke test"),
        "{text}"
    );

    let garbage =
        std::env::temp_dir().join(format!("lab-13-advise-bad-{}.json", std::process::id()));
    std::fs::write(&garbage, "not json").unwrap();
    let text = said(&advise_with(&all_flags(&[]), "", &garbage));
    assert!(text.contains("is not a compare run"), "{text}");
    for file in [judged, tiny, garbage] {
        let _ = std::fs::remove_file(file);
    }
}

#[test]
fn answers_piped_in_are_asked_for_and_a_bad_one_is_asked_again() {
    let output = advise(&["--bound", "io"], "1\nno\nperhaps\nno\n20000\n");
    assert_eq!(first_line(&output), "Use: async tasks (tokio).");
    let asked = String::from_utf8_lossy(&output.stderr);
    // Piped answers are echoed, so the transcript reads as typed.
    let complaint = "crashes? (yes or no) perhaps\n  \"perhaps\" is not yes or no: please answer \
                     yes or no\nMust the other jobs go on when one crashes? (yes or no) no";
    assert!(asked.contains(complaint), "{asked}");
    for not_on_the_way in ["What do the tasks share", "What must they survive"] {
        assert!(
            !asked.contains(not_on_the_way),
            "asked more than needed: {asked}"
        );
    }
    assert!(
        !asked.contains("CPU-bound, I/O-bound"),
        "a flag's question is not asked: {asked}"
    );
}

#[test]
fn input_that_ends_too_soon_is_an_error_with_exit_code_2() {
    let ended = advise(&[], "1\n");
    assert_eq!(ended.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&ended.stderr).contains("the input ended"));
}

#[test]
fn every_bad_flag_is_an_error_with_exit_code_2_that_says_the_valid_values() {
    let cases = [
        ("--machines", "0", "is not a whole number of 1 or more"),
        ("--runs-other-programs", "perhaps", "is not yes or no"),
        ("--isolation", "maybe", "is not yes or no"),
        ("--crash", "segfault", "[possible values: panic, abort]"),
        ("--bound", "gpu", "[possible values: cpu, io, mixed]"),
        ("--tasks", "many", "is not a whole number of 1 or more"),
        (
            "--data",
            "some",
            "[possible values: independent, immutable, shared]",
        ),
        ("--event-loop", "2", "is not yes or no"),
    ];
    // Every flag of the guide has a case.
    let flags = all_flags(&[]);
    for flag in flags.iter().step_by(2) {
        assert!(
            cases.iter().any(|(f, _, _)| f == flag),
            "no case for {flag}"
        );
    }
    for (flag, bad, valid) in cases {
        let output = advise(&[flag, bad], "");
        assert_eq!(output.status.code(), Some(2), "{flag} {bad}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains("error: invalid value"), "{flag}: {stderr}");
        assert!(stderr.contains(valid), "{flag}: {stderr}");
        assert!(!stderr.contains("panicked"), "{flag}: {stderr}");
    }
}

#[test]
fn help_lists_every_flag() {
    let help = Command::new(env!("CARGO_BIN_EXE_lab-13"))
        .args(["advise", "--help"])
        .output()
        .unwrap();
    assert!(help.status.success());
    let help = String::from_utf8_lossy(&help.stdout);
    // The flags as clap knows them, not a list kept by hand.
    let given = <lab_13::advise::Given as clap::Args>::augment_args(clap::Command::new("advise"));
    let flags: Vec<String> = given
        .get_arguments()
        .filter_map(|arg| arg.get_long())
        .map(|long| format!("--{long}"))
        .chain([String::from("--json")])
        .collect();
    assert_eq!(flags.len(), 9, "{flags:?}");
    for flag in flags {
        assert!(
            help.contains(&format!("  {flag} ")),
            "{flag} missing from:\n{help}"
        );
    }
    // A value enum's values are listed, each with what it means.
    for value in ["- panic: ", "- abort: ", "- cpu: ", "- shared: "] {
        assert!(help.contains(value), "{value} missing from:\n{help}");
    }
}
