//! `cargo xtask explore NN [CHECK]`: every outcome loom reached in a lab's
//! checks, how many executions reached each, and the shortest one;
//! `cargo xtask schedule NN [CHECK]`: be the scheduler yourself, among the
//! continuations loom explored.
//!
//! Both run the lab's tests once with `RACE_HARNESS_EXPLORE` set, which
//! makes each check record every execution (see `harness/src/explore.rs`),
//! then read what they wrote under `target/explore/lab-NN/`.

use crate::{cargo, labs, run};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};

/// What `harness::explore::Exploration` writes; only what is read here.
#[derive(Deserialize)]
pub struct Exploration {
    title: String,
    preemption_bound: Option<usize>,
    executions: usize,
    threads: Vec<String>,
    code: BTreeMap<String, String>,
    steps: Vec<Step>,
    outcomes: Vec<Outcome>,
    tree: Node,
}

#[derive(Deserialize)]
struct Step {
    thread: usize,
    text: String,
    at: String,
}

#[derive(Deserialize)]
struct Outcome {
    outcome: String,
    failed: bool,
    executions: usize,
    shortest: String,
}

/// `[step, executions, outcome, children]`.
#[derive(Deserialize)]
struct Node(i64, usize, i64, Vec<Node>);

/// Runs lab `lab`'s tests, recording every execution; returns its
/// explorations whose title contains `check` (all if `None`).
fn record(root: &Path, lab: &str, check: Option<&str>) -> Result<Vec<Exploration>, String> {
    let number: u32 = lab
        .parse()
        .map_err(|_| format!("`{lab}` is not a lab number: try `cargo xtask explore 01`"))?;
    let number = format!("{number:02}");
    if !labs(root).iter().any(|(n, _)| *n == number) {
        return Err(format!("there is no lab {number}"));
    }
    let package = format!("lab-{number}");
    let folder = root.join("target").join("explore");
    let _ = std::fs::remove_dir_all(folder.join(&package));
    println!("Running {package}'s checks once, recording every execution loom explores:");
    run(cargo(root)
        .args([
            "test", "-q", "-p", &package, "--test", "loom", "--test", "exercise",
        ])
        .env("RACE_HARNESS_EXPLORE", &folder))
    .map_err(|e| format!("{e}: the lab's tests must pass first"))?;
    let mut found = Vec::new();
    let entries = std::fs::read_dir(folder.join(&package))
        .map_err(|e| format!("{package} recorded nothing: {e}"))?;
    let mut paths: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    paths.sort();
    for path in paths {
        let text =
            std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let exploration: Exploration =
            serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
        let wanted = check.is_none_or(|c| exploration.title.contains(c));
        if wanted {
            found.push(exploration);
        }
    }
    if found.is_empty() {
        let titles = std::fs::read_dir(folder.join(&package))
            .into_iter()
            .flatten()
            .flatten()
            .filter_map(|e| {
                e.path()
                    .file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
            })
            .collect::<Vec<_>>()
            .join(", ");
        return Err(format!(
            "no check of {package} has `{}` in its title; its checks: {titles}",
            check.unwrap_or_default()
        ));
    }
    Ok(found)
}

fn bound(exploration: &Exploration) -> String {
    match exploration.preemption_bound {
        Some(bound) => format!("preemption bound {bound}"),
        None => String::from("no preemption bound: every interleaving"),
    }
}

/// `cargo xtask explore NN [CHECK] [--show]`.
pub fn explore(root: &Path, lab: &str, check: Option<&str>, show: bool) -> Result<(), String> {
    for exploration in record(root, lab, check)? {
        println!(
            "\n{} · {} executions ({})",
            exploration.title,
            exploration.executions,
            bound(&exploration)
        );
        let width = exploration
            .outcomes
            .iter()
            .map(|o| first_line(&o.outcome).chars().count().min(70))
            .max()
            .unwrap_or(0)
            .max("outcome".len());
        println!("  {:<width$}  executions  verdict", "outcome");
        for outcome in &exploration.outcomes {
            let text: String = first_line(&outcome.outcome).chars().take(70).collect();
            println!(
                "  {text:<width$}  {:>10}  {}",
                outcome.executions,
                if outcome.failed { "FAILED" } else { "passed" }
            );
        }
        let counted: usize = exploration.outcomes.iter().map(|o| o.executions).sum();
        if counted != exploration.executions {
            return Err(format!(
                "{}: the outcomes count {counted} executions, the check {}",
                exploration.title, exploration.executions
            ));
        }
        if show {
            for outcome in &exploration.outcomes {
                println!("\n  the shortest execution ending `{}`:\n", outcome.outcome);
                print!("{}", outcome.shortest);
            }
        }
    }
    if !show {
        println!("\n(`--show` prints the shortest execution of each outcome.)");
    }
    Ok(())
}

/// `cargo xtask schedule NN [CHECK]`: pick which thread runs next.
pub fn schedule(root: &Path, lab: &str, check: Option<&str>) -> Result<(), String> {
    let explorations = record(root, lab, check)?;
    // The chapter's race: a check that can fail, not the exercise's, the
    // smallest; else the first.
    let exploration = explorations
        .iter()
        .filter(|e| e.outcomes.iter().any(|o| o.failed))
        .min_by_key(|e| (e.title.starts_with("exercise"), e.executions))
        .unwrap_or(&explorations[0]);
    println!(
        "\nYou are the scheduler of `{}`: at each step, pick the thread that runs next.\n\
         Loom explored {} executions ({}); you can follow any of them. \
         Type a number, `b` to go back, `q` to stop.",
        exploration.title,
        exploration.executions,
        bound(exploration)
    );
    let goal: Vec<&Outcome> = exploration.outcomes.iter().filter(|o| o.failed).collect();
    match goal.first() {
        Some(goal) => println!("Your goal: make it fail: {}", goal.outcome),
        None => println!("Loom found no failing execution here: try to find one anyway."),
    }
    let stdin = std::io::stdin();
    let mut lines = stdin.lock().lines();
    let mut path: Vec<usize> = Vec::new(); // child indices from the root
    loop {
        let node = path.iter().fold(&exploration.tree, |node, &i| &node.3[i]);
        println!();
        for step in 0..path.len() {
            let node = path[..=step]
                .iter()
                .fold(&exploration.tree, |node, &i| &node.3[i]);
            print_step(exploration, node.0, step + 1);
        }
        if node.3.is_empty() {
            let outcome = &exploration.outcomes[node.2.max(0) as usize];
            println!(
                "\nThe execution ends: {} ({}; loom reached this outcome in {} of {} executions).",
                outcome.outcome,
                if outcome.failed {
                    "the check FAILS here: you found the race"
                } else {
                    "the check passes"
                },
                outcome.executions,
                exploration.executions
            );
            return Ok(());
        }
        println!("\nWhich thread runs next?");
        for (n, child) in node.3.iter().enumerate() {
            let step = &exploration.steps[child.0 as usize];
            println!(
                "  {}) {:<10} {}   ({} execution{} continue this way)",
                n + 1,
                exploration.threads[step.thread],
                step.text,
                child.1,
                if child.1 == 1 { "" } else { "s" }
            );
        }
        for (t, name) in exploration.threads.iter().enumerate() {
            let offered = node
                .3
                .iter()
                .any(|c| exploration.steps[c.0 as usize].thread == t);
            if !offered && alive(exploration, &path, t) {
                println!("     {name:<10} (not explored by loom from here)");
            }
        }
        print!("> ");
        let _ = std::io::stdout().flush();
        let Some(Ok(answer)) = lines.next() else {
            println!("\n(no more input: stopped)");
            return Ok(());
        };
        let answer = answer.trim();
        println!("{answer}");
        match answer {
            "q" => return Ok(()),
            "b" => {
                path.pop();
            }
            _ => match answer.parse::<usize>() {
                Ok(n) if (1..=node.3.len()).contains(&n) => path.push(n - 1),
                _ => println!("Type a number from 1 to {}, `b` or `q`.", node.3.len()),
            },
        }
    }
}

/// Whether thread `t` has started and not visibly ended on this path (a
/// thread that has nothing left to do is not offered).
fn alive(exploration: &Exploration, path: &[usize], t: usize) -> bool {
    let mut node = &exploration.tree;
    let mut started = t == 0;
    for &i in path {
        node = &node.3[i];
        let step = &exploration.steps[node.0 as usize];
        let name = &exploration.threads[t];
        if step.text.contains(&format!("spawn {name}")) {
            started = true;
        }
        if step.text.contains(&format!("join {name}")) {
            return false;
        }
    }
    started
}

fn print_step(exploration: &Exploration, step: i64, number: usize) {
    let step = &exploration.steps[step as usize];
    let code = exploration.code.get(&step.at).map_or("", String::as_str);
    println!(
        "  {number:>3}  {:<10} {:<40} {}  {code}",
        exploration.threads[step.thread], step.text, step.at
    );
}

fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or_default()
}
