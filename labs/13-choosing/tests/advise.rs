//! `lab-13 advise`, run as a reader runs it: with every answer as a flag,
//! with answers piped in (stdin not a terminal), and with bad answers.

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn advise(args: &[&str], typed: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_lab-13"))
        .arg("advise")
        .args(args)
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

fn all_flags<'a>(changes: &[(&'a str, &'a str)]) -> Vec<&'a str> {
    let mut flags = vec![
        ("--bound", "cpu"),
        ("--tasks", "8"),
        ("--data", "independent"),
        ("--isolation", "no"),
        ("--runs-other-programs", "no"),
        ("--event-loop", "no"),
        ("--machines", "1"),
    ];
    for (flag, value) in changes {
        flags.iter_mut().find(|(f, _)| f == flag).unwrap().1 = value;
    }
    flags.into_iter().flat_map(|(f, v)| [f, v]).collect()
}

fn first_line(output: &Output) -> String {
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout)
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
    assert!(first_line(&advise(&other, "")).contains("std::process::Command"));
}

#[test]
fn the_answer_names_its_figure_its_source_and_the_chapters_to_read() {
    let output = advise(&all_flags(&[("--data", "shared")]), "");
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains("Backed by shared · threads: "), "{text}");
    assert!(text.contains("(from "), "{text}");
    assert!(
        text.contains("chapter 5: book/src/05-immutable-data.md"),
        "{text}"
    );
}

#[test]
fn answers_piped_in_are_asked_for_and_a_bad_one_is_asked_again() {
    let output = advise(&["--bound", "io"], "no\n1\nperhaps\nno\n20000\n");
    assert_eq!(first_line(&output), "Use: async tasks (tokio).");
    let asked = String::from_utf8_lossy(&output.stderr);
    // Piped answers are echoed, so the transcript reads as typed.
    let complaint =
        "alive? (yes or no) perhaps\n  \"perhaps\" is not yes or no: please answer yes or no";
    assert!(asked.contains(complaint), "{asked}");
    assert!(
        !asked.contains("What do the tasks share"),
        "asked more than needed: {asked}"
    );
    assert!(
        !asked.contains("CPU-bound, I/O-bound"),
        "a flag's question is not asked: {asked}"
    );
}

#[test]
fn input_that_ends_too_soon_or_a_bad_flag_is_an_error_with_exit_code_2() {
    let ended = advise(&[], "no\n");
    assert_eq!(ended.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&ended.stderr).contains("the input ended"));
    for bad in [
        &["--isolation", "maybe"][..],
        &["--tasks", "0"],
        &["--bound", "gpu"],
    ] {
        let output = advise(bad, "");
        assert_eq!(output.status.code(), Some(2), "{bad:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains("error: invalid value"), "{bad:?}: {stderr}");
    }
}
