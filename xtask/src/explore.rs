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
use std::process::Command;

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
/// explorations whose title contains `check` (all if `None`). `quiet`
/// hides the tests' output unless they fail: `schedule` must not print
/// the race's trace above the game that asks the learner to find it.
fn record(
    root: &Path,
    lab: &str,
    check: Option<&str>,
    quiet: bool,
) -> Result<Vec<Exploration>, String> {
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
    let mut tests = cargo(root);
    tests
        .args([
            "test", "-q", "-p", &package, "--test", "loom", "--test", "exercise",
        ])
        .env("RACE_HARNESS_EXPLORE", &folder);
    if quiet {
        run_hidden(&mut tests)
    } else {
        run(&mut tests)
    }
    .map_err(|e| format!("{e}: the lab's tests must pass first"))?;
    let lab_folder = labs(root)
        .into_iter()
        .find(|(n, _)| *n == number)
        .map(|(_, path)| path)
        .unwrap_or_default();
    let read = |file: &str| std::fs::read_to_string(lab_folder.join(file)).unwrap_or_default();
    if answer_edited(&read("tests/exercise.rs"), &read("src/exercise.rs")) {
        println!(
            "\nYou have edited src/exercise.rs: running the exercise's check on your answer \
             too (`cargo xtask exercise {number}` runs the same):"
        );
        // A failing answer fails this run: its executions, the failing one
        // among them, are what the learner came to see.
        if crate::test::run_filtered(
            cargo(root)
                .args(["test", "-q", "-p", &package, "--test", "exercise"])
                .args(["--", "--ignored"])
                .env("RACE_HARNESS_EXPLORE", &folder),
            crate::test::exercise_noise,
        )
        .is_err()
        {
            println!(
                "(Your answer fails its check: its executions are below, the failing one among them.)"
            );
        }
    }
    let mut found = Vec::new();
    let entries = std::fs::read_dir(folder.join(&package))
        .map_err(|e| format!("{package} recorded nothing: {e}"))?;
    let mut paths: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    // The learner's own answer first, then the course's checks by title.
    paths.sort_by_key(|path| {
        let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned());
        let own = stem.as_deref().is_some_and(|s| s.starts_with(OWN_SLUG));
        (!own, path.clone())
    });
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

/// Runs `command` with its output hidden, saying so; shows the output
/// only if it fails.
fn run_hidden(command: &mut Command) -> Result<(), String> {
    println!(
        "> {} (its output is hidden: it shows the traces you are about to find)",
        crate::shown(command)
    );
    let output = command
        .output()
        .map_err(|e| format!("could not start {:?}: {e}", command.get_program()))?;
    if output.status.success() {
        return Ok(());
    }
    std::io::stdout().write_all(&output.stdout).ok();
    std::io::stderr().write_all(&output.stderr).ok();
    Err(format!(
        "`{}` failed ({})",
        crate::shown(command),
        output.status
    ))
}

/// The title the harness gives the exercise's check run on the learner's
/// own answer (`exercise: your answer, two consumers`), and its file's name.
const OWN_TITLE: &str = "exercise: your answer";
const OWN_SLUG: &str = "exercise-your-answer";

/// Whether the learner has edited the exercise: `exercise` (the text of
/// `src/exercise.rs`) is not the starter whose fingerprint `tests` (the
/// lab's `tests/exercise.rs`) records. Then `explore` runs the exercise's
/// check on their answer too.
fn answer_edited(tests: &str, exercise: &str) -> bool {
    crate::progress::starter_fingerprint(tests)
        .is_some_and(|starter| crate::fingerprint::fingerprint(exercise) != starter)
}

/// `1 execution`, `2 executions`, `1,449 executions`.
fn plural(n: usize, word: &str) -> String {
    let n_shown = crate::doctor::thousands(n as u64);
    format!("{n_shown} {word}{}", if n == 1 { "" } else { "s" })
}

fn bound(exploration: &Exploration) -> String {
    match exploration.preemption_bound {
        Some(bound) => format!("preemption bound {bound}"),
        None => String::from("no preemption bound: every interleaving"),
    }
}

/// The check's verdict, in the harness's words: a pass within a bound
/// says so.
fn verdict(exploration: &Exploration) -> String {
    if exploration.outcomes.iter().any(|o| o.failed) {
        return String::from("loom found a failing interleaving");
    }
    match exploration.preemption_bound {
        Some(bound) => format!("no failing execution within preemption bound {bound}"),
        None => String::from("no failing interleaving"),
    }
}

/// What `explore` prints of one check: its verdict, how much loom
/// explored, and each outcome whole; with `show`, each outcome's shortest
/// execution below.
fn render(exploration: &Exploration, show: bool) -> String {
    let mut out = format!("\n{} · {}\n", exploration.title, verdict(exploration));
    if exploration.title.starts_with(OWN_TITLE) {
        out.push_str(
            "(your own answer: the exercise's check, run on src/exercise.rs as you edited it)\n",
        );
    }
    out.push_str(&format!(
        "explored {} ({}):\n",
        plural(exploration.executions, "execution"),
        bound(exploration)
    ));
    out.push_str("  executions  verdict  outcome\n");
    for outcome in &exploration.outcomes {
        let mut lines = outcome.outcome.lines();
        out.push_str(&format!(
            "  {:>10}  {}   {}\n",
            outcome.executions,
            if outcome.failed { "FAILED" } else { "passed" },
            lines.next().unwrap_or_default()
        ));
        for more in lines {
            out.push_str(&format!("  {:>10}  {:6}   {more}\n", "", ""));
        }
    }
    if show {
        for outcome in &exploration.outcomes {
            let ending = match outcome.outcome.as_str() {
                "passed" => String::from("that passed"),
                text => format!("ending `{}`", first_line(text)),
            };
            out.push_str(&format!(
                "\n  the shortest execution {ending}:\n\n{}",
                outcome.shortest
            ));
        }
    }
    out
}

/// `cargo xtask explore NN [CHECK] [--show] [--real [RUNS]]`.
pub fn explore(
    root: &Path,
    lab: &str,
    check: Option<&str>,
    show: bool,
    real: Option<Option<u64>>,
) -> Result<(), String> {
    for exploration in record(root, lab, check, false)? {
        print!("{}", render(&exploration, show));
        let counted: usize = exploration.outcomes.iter().map(|o| o.executions).sum();
        if counted != exploration.executions {
            return Err(format!(
                "{}: the outcomes count {counted} executions, the check {}",
                exploration.title, exploration.executions
            ));
        }
    }
    if let Some(runs) = real {
        // `record` took the number: it is a lab's.
        let number: u32 = lab.parse().unwrap_or_default();
        observe(root, &format!("lab-{number:02}"), check, runs)?;
    }
    if !show {
        println!("\n(`--show` prints the shortest execution of each outcome.)");
    }
    Ok(())
}

/// `cargo xtask schedule NN [CHECK]`: pick which thread runs next;
/// `cargo xtask schedule puzzle-NN [fixed]`: the same on a level of the
/// puzzle trail.
pub fn schedule(root: &Path, lab: &str, check: Option<&str>) -> Result<(), String> {
    if let Some(number) = lab.to_ascii_lowercase().strip_prefix("puzzle-") {
        return play_puzzle(root, number, check);
    }
    if lab.parse::<u32>().is_err() {
        return Err(format!(
            "`{lab}` names no lab nor level: try `cargo xtask schedule 01` (a chapter's race) \
             or `cargo xtask schedule --list` (the puzzle levels)"
        ));
    }
    let explorations = record(root, lab, check, true)?;
    // The chapter's race: a check that can fail, not the exercise's, the
    // smallest; else the first.
    let exploration = explorations
        .iter()
        .filter(|e| e.outcomes.iter().any(|o| o.failed))
        .min_by_key(|e| (e.title.starts_with("exercise"), e.executions))
        .unwrap_or(&explorations[0]);
    play(exploration, None, None)
}

/// A level of the puzzle trail, as its page in the book poses it.
struct Level {
    /// `01`.
    number: String,
    /// The page's heading: `Level 1: the ticket lock`.
    name: String,
    /// The page, as mdBook writes it: `puzzle-01-channel-close.html`.
    page: String,
    /// The level's recorded executions, relative to book/src.
    json: String,
    /// What the learner is to make happen.
    challenge: String,
}

/// The levels of the puzzle trail, in order: one page each,
/// `book/src/puzzle-NN-slug.md`, whose first stepper with a challenge is
/// the level.
fn levels(root: &Path) -> Result<Vec<Level>, String> {
    let folder = root.join("book/src");
    let entries = std::fs::read_dir(&folder).map_err(|e| format!("{}: {e}", folder.display()))?;
    let mut pages: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            let name = p.file_name().map(|n| n.to_string_lossy().into_owned());
            name.is_some_and(|n| n.starts_with("puzzle-") && n.ends_with(".md"))
        })
        .collect();
    pages.sort();
    let attribute = |tag: &str, name: &str| {
        let start = tag.find(&format!(" {name}=\""))? + name.len() + 3;
        Some(tag[start..start + tag[start..].find('"')?].to_string())
    };
    pages
        .iter()
        .map(|page| {
            let text =
                std::fs::read_to_string(page).map_err(|e| format!("{}: {e}", page.display()))?;
            let name = text
                .lines()
                .find_map(|l| l.strip_prefix("# "))
                .unwrap_or_default()
                .to_string();
            let (json, challenge) = text
                .lines()
                .filter(|l| l.starts_with("<div class=\"stepper\""))
                .find_map(|tag| {
                    Some((
                        attribute(tag, "data-explore")?,
                        attribute(tag, "data-challenge")?,
                    ))
                })
                .ok_or_else(|| format!("{}: no stepper with a challenge", page.display()))?;
            // `puzzle-01-ticket-lock.md` → `01`.
            let number = page
                .file_name()
                .and_then(|n| n.to_string_lossy().get(7..9).map(str::to_string))
                .unwrap_or_default();
            let html = page.with_extension("html");
            Ok(Level {
                number,
                name,
                page: html
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default(),
                json,
                challenge: decode(&challenge),
            })
        })
        .collect()
}

/// An HTML attribute's text as the reader sees it.
fn decode(text: &str) -> String {
    text.replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// `cargo xtask schedule --list`: the puzzle trail's levels.
pub fn list_puzzles(root: &Path) -> Result<(), String> {
    println!("The puzzle trail (the book's part \"Puzzles\"), easy to hard:\n");
    for level in levels(root)? {
        // The level's name as the terminal shows it: no Markdown.
        let name = level.name.replace('`', "");
        println!(
            "  puzzle-{}  {name}\n             goal: {}",
            level.number, level.challenge
        );
    }
    println!(
        "\nPlay one with `cargo xtask schedule puzzle-01`; `cargo xtask schedule puzzle-01 fixed`\n\
         plays its fix, where loom found no failing execution."
    );
    Ok(())
}

/// `cargo xtask schedule puzzle-NN [fixed]`: plays the executions the book
/// recorded for the level (kept current by `cargo xtask traces` and checked
/// by `cargo xtask test`), so nothing is built or run first.
fn play_puzzle(root: &Path, number: &str, check: Option<&str>) -> Result<(), String> {
    let levels = levels(root)?;
    let wanted: u32 = number.parse().map_err(|_| {
        format!("`puzzle-{number}` names no level: try `cargo xtask schedule --list`")
    })?;
    let level = levels
        .iter()
        .find(|l| l.number.parse() == Ok(wanted))
        .ok_or_else(|| {
            format!("there is no puzzle-{wanted:02}: `cargo xtask schedule --list` lists them")
        })?;
    let json = match check {
        None => level.json.clone(),
        Some("fixed") => level.json.replace(".json", "-fixed.json"),
        Some(other) => {
            return Err(format!(
                "a puzzle plays as posed, or `fixed` for its fix, not `{other}`"
            ));
        }
    };
    let path = root.join("book/src").join(&json);
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let exploration: Exploration =
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    println!("{}", level.name);
    let challenge = check.is_none().then_some(level.challenge.as_str());
    // After a win: where the explanation is, and the fix to play.
    let next = format!(
        "Why, and the fix: the level's page, under \"Show me the answer\" \
         (`cargo xtask serve`, then http://127.0.0.1:3000/{}). \
         Play the fix: `cargo xtask schedule puzzle-{} fixed`.",
        level.page, level.number
    );
    play(&exploration, challenge, challenge.map(|_| next.as_str()))
}

/// Lets the learner schedule `exploration`'s threads, step by step, until
/// an execution fails (a win, scored by the moves made, the ones taken
/// back included, as the book's stepper scores it; then `after_win` is
/// printed) or, where none fails, ends; `challenge`, if given, is the goal
/// (a level's). At a passing end of a check that can fail, the learner
/// goes on: a move back, or `q`.
fn play(
    exploration: &Exploration,
    challenge: Option<&str>,
    after_win: Option<&str>,
) -> Result<(), String> {
    let stdin = std::io::stdin();
    play_with(
        exploration,
        challenge,
        after_win,
        &mut stdin.lock(),
        &mut std::io::stdout(),
    )
    .map_err(|e| format!("the game's output: {e}"))
}

/// [`play`], reading the learner's moves from `input` and writing to `out`.
fn play_with(
    exploration: &Exploration,
    challenge: Option<&str>,
    after_win: Option<&str>,
    input: &mut impl BufRead,
    out: &mut impl Write,
) -> std::io::Result<()> {
    writeln!(
        out,
        "\nYou are the scheduler of `{}`: at each step, pick the thread that runs next.\n\
         Loom explored {} ({}); you can follow {}. \
         Type a number, `b` to go back, `q` to stop.",
        exploration.title,
        plural(exploration.executions, "execution"),
        bound(exploration),
        if exploration.executions == 1 {
            "it"
        } else {
            "any of them"
        }
    )?;
    match challenge {
        Some(challenge) => writeln!(out, "Your goal: {challenge}")?,
        None => writeln!(out, "{}", goal(exploration))?,
    }
    let can_fail = exploration.outcomes.iter().any(|o| o.failed);
    let mut moves = 0;
    let mut lines = input.lines();
    let mut path: Vec<usize> = Vec::new(); // child indices from the root
    loop {
        let node = path.iter().fold(&exploration.tree, |node, &i| &node.3[i]);
        writeln!(out)?;
        for step in 0..path.len() {
            let node = path[..=step]
                .iter()
                .fold(&exploration.tree, |node, &i| &node.3[i]);
            print_step(exploration, node.0, step + 1, out)?;
        }
        if node.3.is_empty() {
            let outcome = &exploration.outcomes[node.2.max(0) as usize];
            writeln!(out, "\n{}", ending(exploration, outcome))?;
            if outcome.failed {
                writeln!(
                    out,
                    "You won in {}; the fewest that reach a failing end: {}.",
                    plural(moves, "move"),
                    fewest_to_a_failure(&exploration.tree, exploration)
                )?;
                if let Some(next) = after_win {
                    writeln!(out, "{next}")?;
                }
                return Ok(());
            }
            if !can_fail {
                return Ok(());
            }
            writeln!(out, "Not a win: `b` takes a move back, `q` stops.")?;
        } else {
            offer(exploration, node, &path, out)?;
        }
        write!(out, "> ")?;
        out.flush()?;
        let answer = match lines.next() {
            Some(Ok(answer)) => answer,
            Some(Err(error)) => {
                writeln!(out, "\n(could not read the input: {error}; stopped)")?;
                return Ok(());
            }
            None => {
                writeln!(out, "\n(no more input: stopped)")?;
                return Ok(());
            }
        };
        let answer = answer.trim();
        writeln!(out, "{answer}")?;
        match answer {
            "q" => return Ok(()),
            "b" => {
                if path.pop().is_none() {
                    writeln!(out, "Nothing to take back: this is the start.")?;
                }
            }
            _ => match answer.parse::<usize>() {
                Ok(n) if (1..=node.3.len()).contains(&n) => {
                    path.push(n - 1);
                    moves += 1;
                }
                _ if node.3.is_empty() => writeln!(out, "The execution has ended: `b` or `q`.")?,
                _ if node.3.len() == 1 => writeln!(out, "Type 1, `b` or `q`.")?,
                _ => writeln!(out, "Type a number from 1 to {}, `b` or `q`.", node.3.len())?,
            },
        }
    }
}

/// The choices at `node`: each next step loom explored, numbered, and each
/// live thread it did not run from here, with why.
fn offer(
    exploration: &Exploration,
    node: &Node,
    path: &[usize],
    out: &mut impl Write,
) -> std::io::Result<()> {
    writeln!(out, "\nWhich thread runs next?")?;
    for (n, child) in node.3.iter().enumerate() {
        let step = &exploration.steps[child.0 as usize];
        writeln!(
            out,
            "  {}) {:<10} {}   ({})",
            n + 1,
            exploration.threads[step.thread],
            step.text,
            continuing(child.1)
        )?;
    }
    for (t, name) in exploration.threads.iter().enumerate() {
        let offered = node
            .3
            .iter()
            .any(|c| exploration.steps[c.0 as usize].thread == t);
        if !offered && alive(exploration, path, t) {
            if runs_below(exploration, node, t) {
                writeln!(out, "     {name:<10} (not explored by loom from here)")?;
            } else {
                writeln!(
                    out,
                    "     {name:<10} (it runs no more steps in the executions loom ran from here)"
                )?;
            }
        }
    }
    Ok(())
}

/// Whether thread `t` takes a step anywhere below `node`.
fn runs_below(exploration: &Exploration, node: &Node, t: usize) -> bool {
    node.3
        .iter()
        .any(|c| exploration.steps[c.0 as usize].thread == t || runs_below(exploration, c, t))
}

/// The fewest moves from `node` to a failing end.
fn fewest_to_a_failure(node: &Node, exploration: &Exploration) -> usize {
    let mut level = vec![node];
    let mut depth = 0;
    while !level.is_empty() {
        if level
            .iter()
            .any(|n| n.3.is_empty() && n.2 >= 0 && exploration.outcomes[n.2 as usize].failed)
        {
            return depth;
        }
        level = level.iter().flat_map(|n| n.3.iter()).collect();
        depth += 1;
    }
    depth
}

/// What the scheduler is asked to do: make the check fail, or, where
/// loom found no failure, see why none is there.
fn goal(exploration: &Exploration) -> String {
    match exploration.outcomes.iter().find(|o| o.failed) {
        Some(goal) => format!("Your goal: make it fail: {}", goal.outcome),
        None => format!(
            "Loom found no failing execution here ({}): every path you can follow passes. \
             Follow one to see why.",
            bound(exploration)
        ),
    }
}

/// What the scheduler is told when the execution it followed ends.
fn ending(exploration: &Exploration, outcome: &Outcome) -> String {
    let count = format!(
        "{} of loom's {} {} so",
        crate::doctor::thousands(outcome.executions as u64),
        plural(exploration.executions, "execution"),
        if outcome.executions == 1 {
            "ends"
        } else {
            "end"
        }
    );
    match (outcome.failed, outcome.outcome.as_str()) {
        (true, text) => format!(
            "The execution ends: {text} (the check FAILS here: you found the race; {count})."
        ),
        (false, "passed") => format!("The execution ends, and the check passes ({count})."),
        (false, text) => format!("The execution ends: {text} (the check passes; {count})."),
    }
}

/// `1 execution continues this way`, `3 executions continue this way`.
fn continuing(executions: usize) -> String {
    format!(
        "{} {} this way",
        plural(executions, "execution"),
        if executions == 1 {
            "continues"
        } else {
            "continue"
        }
    )
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

fn print_step(
    exploration: &Exploration,
    step: i64,
    number: usize,
    out: &mut impl Write,
) -> std::io::Result<()> {
    let step = &exploration.steps[step as usize];
    let code = exploration.code.get(&step.at).map_or("", String::as_str);
    writeln!(
        out,
        "  {number:>3}  {:<10} {:<40} {}  {code}",
        exploration.threads[step.thread], step.text, step.at
    )
}

fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or_default()
}

/// Whether `package` has models to run on real threads (its
/// `examples/observe.rs`); labs whose race is between processes or with a
/// server show it with their own commands instead.
fn observable(root: &Path, package: &str) -> bool {
    let number = package.trim_start_matches("lab-");
    labs(root)
        .into_iter()
        .any(|(n, path)| n == number && path.join("examples/observe.rs").is_file())
}

/// Runs `package`'s models on real threads (its `observe` example, built
/// optimised: real programs ship optimised), `runs` times each or the
/// default budget; the example prints each beside loom's outcomes, read
/// from what `record` just wrote.
fn observe(
    root: &Path,
    package: &str,
    check: Option<&str>,
    runs: Option<u64>,
) -> Result<(), String> {
    if !observable(root, package) {
        println!(
            "\n{package} has no models to run on real threads: its race is between processes \
             or with a server, and its chapter's own commands show it happening."
        );
        return Ok(());
    }
    println!(
        "\nThe same models on real threads ({}), optimised:",
        match runs {
            Some(n) => format!("{n} runs each"),
            None => String::from("up to 100,000 runs or 3 s each"),
        }
    );
    let mut command = cargo(root);
    command.args([
        "run",
        "-q",
        "--release",
        "-p",
        package,
        "--example",
        "observe",
        "--",
    ]);
    command
        .arg("--beside")
        .arg(root.join("target/explore").join(package));
    if let Some(n) = runs {
        command.args(["--runs", &n.to_string()]);
    }
    if let Some(check) = check {
        command.args(["--only", check]);
    }
    run(&mut command)
}

/// `cargo xtask observed`: every lab's models on real threads, kept as the
/// book's reference run, then the chapters' quotes of it regenerated.
pub fn record_observed(root: &Path) -> Result<(), String> {
    let folder = root.join("book/src/observed");
    std::fs::create_dir_all(&folder).map_err(|e| format!("{}: {e}", folder.display()))?;
    let mut packages = Vec::new();
    for (number, _) in labs(root) {
        let package = format!("lab-{number}");
        if !observable(root, &package) {
            continue;
        }
        let json = folder.join(format!("{package}.json"));
        run(cargo(root)
            .args([
                "run",
                "-q",
                "--release",
                "-p",
                &package,
                "--example",
                "observe",
                "--",
            ])
            .arg("--json")
            .arg(&json))?;
        packages.push(package);
    }
    println!("\nThe chapters' quotes of the reference run:");
    let mut test = cargo(root);
    test.arg("test");
    for package in &packages {
        test.args(["-p", package]);
    }
    run(test
        .args(["--test", "loom", "--", "real_threads_agree_with_loom"])
        .env("RACE_HARNESS_BOOK", "write"))
}

#[cfg(test)]
mod tests {
    use super::{
        Exploration, Node, answer_edited, continuing, decode, ending, goal, levels, play_with,
        render,
    };
    use crate::fingerprint::fingerprint;

    /// An exploration of `executions` executions, one per outcome given
    /// as `(outcome, failed, executions)`.
    fn exploration(
        title: &str,
        bound: Option<usize>,
        outcomes: &[(&str, bool, usize)],
    ) -> Exploration {
        let executions: usize = outcomes.iter().map(|o| o.2).sum();
        let outcomes: Vec<serde_json::Value> = outcomes
            .iter()
            .map(|(outcome, failed, executions)| {
                serde_json::json!({"outcome": outcome, "failed": failed,
                    "executions": executions, "shortest": " step │ main\n"})
            })
            .collect();
        serde_json::from_value(serde_json::json!({
            "title": title, "preemption_bound": bound, "executions": executions,
            "threads": ["main"], "code": {}, "steps": [], "outcomes": outcomes,
            "tree": [-1, executions, -1, []],
        }))
        .expect("an exploration")
    }

    /// Level 1's recorded executions, as the terminal game plays them.
    fn level_1() -> Exploration {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let json = root.join("book/src/explore/puzzles/puzzle-01-channel-close.json");
        serde_json::from_str(&std::fs::read_to_string(json).expect("level 1's JSON"))
            .expect("level 1's exploration")
    }

    /// The choices (1-based) down to the shortest end whose failing is
    /// `failed`, found here apart from the game's own search.
    fn shortest_path(e: &Exploration, node: &Node, failed: bool) -> Option<Vec<usize>> {
        if node.3.is_empty() {
            return (node.2 >= 0 && e.outcomes[node.2 as usize].failed == failed).then(Vec::new);
        }
        node.3
            .iter()
            .enumerate()
            .filter_map(|(i, child)| {
                let mut path = vec![i + 1];
                path.extend(shortest_path(e, child, failed)?);
                Some(path)
            })
            .min_by_key(Vec::len)
    }

    /// What the game prints for `input`, a line per move.
    fn game(e: &Exploration, input: &[u8]) -> String {
        let mut out = Vec::new();
        play_with(
            e,
            Some("lose the message"),
            Some("AFTER THE WIN"),
            &mut &input[..],
            &mut out,
        )
        .expect("the game writes to memory");
        String::from_utf8(out).expect("the game prints text")
    }

    #[test]
    fn the_terminal_game_goes_on_past_a_passing_end_and_scores_a_win_with_the_moves_taken_back() {
        let e = level_1();
        let passing = shortest_path(&e, &e.tree, false).expect("a passing end");
        let failing = shortest_path(&e, &e.tree, true).expect("a failing end");
        let mut input: Vec<String> = passing.iter().map(usize::to_string).collect();
        input.push("9".into()); // at the end: no choice is left
        input.extend(std::iter::repeat_n("b".to_string(), passing.len() + 1));
        input.extend(failing.iter().map(usize::to_string));
        let text = game(&e, (input.join("\n") + "\n").as_bytes());
        for said in [
            "Not a win: `b` takes a move back, `q` stops.",
            "The execution has ended: `b` or `q`.",
            "Nothing to take back: this is the start.",
            "you found the race",
            &format!(
                "You won in {} moves; the fewest that reach a failing end: {}.",
                passing.len() + failing.len(),
                failing.len()
            ),
            "AFTER THE WIN",
        ] {
            assert!(text.contains(said), "the game never said {said:?}:\n{text}");
        }
        // A passing end is no win; nothing after the win is read.
        assert_eq!(text.matches("You won").count(), 1, "{text}");
    }

    #[test]
    fn the_terminal_game_names_the_keys_it_takes_and_stops_at_the_end_of_its_input() {
        let e = level_1();
        let first = e.tree.3.len();
        let asked = if first == 1 {
            "Type 1, `b` or `q`.".to_string()
        } else {
            format!("Type a number from 1 to {first}, `b` or `q`.")
        };
        for (input, said) in [
            (&b"x\n"[..], asked.as_str()),
            (&b"0\n"[..], asked.as_str()),
            (&b""[..], "(no more input: stopped)"),
            (&b"\xff\xfe\n"[..], "(could not read the input: "),
        ] {
            let text = game(&e, input);
            assert!(
                text.contains(said),
                "after {input:?} the game never said {said:?}:\n{text}"
            );
            assert!(!text.contains("You won"), "{text}");
        }
    }

    #[test]
    fn counts_are_singular_for_one_and_plural_otherwise() {
        let one = render(
            &exploration("one lock admits", None, &[("passed", false, 1)]),
            false,
        );
        assert!(one.contains("explored 1 execution ("), "{one}");
        assert!(!one.contains("1 executions"), "{one}");
        let two = render(
            &exploration("racy", None, &[("count = 2", false, 2)]),
            false,
        );
        assert!(two.contains("explored 2 executions ("), "{two}");

        let e = exploration(
            "racy",
            None,
            &[("count = 1", true, 1), ("passed", false, 7)],
        );
        let failed = &e.outcomes[0];
        assert!(ending(&e, failed).contains("1 of loom's 8 executions ends so"));
        let passed = &e.outcomes[1];
        assert!(ending(&e, passed).contains("7 of loom's 8 executions end so"));
        let alone = exploration("alone", None, &[("passed", false, 1)]);
        assert_eq!(
            ending(&alone, &alone.outcomes[0]),
            "The execution ends, and the check passes (1 of loom's 1 execution ends so)."
        );
        assert_eq!(continuing(1), "1 execution continues this way");
        assert_eq!(continuing(2), "2 executions continue this way");
    }

    #[test]
    fn an_outcome_is_printed_whole() {
        let long = "the client was served after shutdown_and_wait returned, and then some more \
                    words that go well past seventy characters";
        let text = render(
            &exploration(
                "wait, then stop",
                None,
                &[(long, true, 1), ("passed", false, 3)],
            ),
            false,
        );
        assert!(text.contains(long), "{text}");
        // Every line of a message, under the outcome column.
        let text = render(
            &exploration(
                "eq",
                None,
                &[("assertion failed\n  left: 1\n right: 2", true, 1)],
            ),
            false,
        );
        let column = |line: &str| {
            text.lines()
                .find(|l| l.contains(line))
                .map(|l| l.find(line))
        };
        let first = column("assertion failed")
            .flatten()
            .expect("the first line");
        assert_eq!(column("left: 1"), Some(Some(first + 2)), "{text}");
        assert_eq!(column("right: 2"), Some(Some(first + 1)), "{text}");
    }

    #[test]
    fn a_bounded_pass_says_its_bound_and_an_unbounded_one_every_interleaving() {
        let bounded = render(
            &exploration("one word", Some(4), &[("passed", false, 9)]),
            false,
        );
        assert!(
            bounded.contains("one word · no failing execution within preemption bound 4"),
            "{bounded}"
        );
        let every = render(
            &exploration("one lock", None, &[("passed", false, 9)]),
            false,
        );
        assert!(
            every.contains("one lock · no failing interleaving"),
            "{every}"
        );
        assert!(
            every.contains("(no preemption bound: every interleaving)"),
            "{every}"
        );
        let failing = render(
            &exploration("racy", Some(1), &[("count = 1", true, 1)]),
            false,
        );
        assert!(
            failing.contains("racy · loom found a failing interleaving"),
            "{failing}"
        );

        let no_failure = goal(&exploration("one word", Some(4), &[("passed", false, 9)]));
        assert!(no_failure.contains("preemption bound 4"), "{no_failure}");
        assert!(!no_failure.contains("anyway"), "{no_failure}");
    }

    #[test]
    fn only_the_learners_own_answer_is_called_theirs() {
        let own = render(
            &exploration(
                "exercise: your answer, two consumers",
                Some(3),
                &[("passed", false, 2)],
            ),
            false,
        );
        assert!(own.contains("your own answer"), "{own}");
        for title in [
            "exercise: the reference solution",
            "exercise: the starter",
            "racy",
        ] {
            let theirs = render(&exploration(title, None, &[("passed", false, 2)]), false);
            assert!(!theirs.contains("your own answer"), "{theirs}");
        }
    }

    #[test]
    fn the_answer_is_explored_only_once_the_starter_is_edited() {
        let starter = "pub fn increment() {}\n";
        let tests = format!(
            "Exercise::new(\"src/exercise.rs\", {:#018x})",
            fingerprint(starter)
        );
        assert!(!answer_edited(&tests, starter));
        assert!(!answer_edited(&tests, "pub fn increment() {}\r\n"));
        assert!(answer_edited(&tests, "pub fn increment() { todo!() }\n"));
        // No fingerprint to compare with: nothing is called the learner's.
        assert!(!answer_edited("Exercise::new(FILE, 0x1)", "anything"));
    }

    #[test]
    fn every_puzzle_page_is_a_level_numbered_in_order_whose_data_is_in_the_book() {
        let root = crate::workspace_root();
        let levels = levels(&root).expect("the trail's pages are read");
        assert!(!levels.is_empty(), "no puzzle-NN-*.md page");
        for (n, level) in levels.iter().enumerate() {
            assert_eq!(level.number, format!("{:02}", n + 1), "{}", level.name);
            assert!(
                level.name.starts_with(&format!("Level {}: ", n + 1)),
                "{}",
                level.name
            );
            assert!(!level.challenge.is_empty(), "{}", level.name);
            for json in [
                level.json.clone(),
                level.json.replace(".json", "-fixed.json"),
            ] {
                assert!(root.join("book/src").join(&json).is_file(), "{json}");
            }
        }
        assert_eq!(decode("a &lt;b&gt; &amp; &quot;c&quot;"), "a <b> & \"c\"");
    }
}
