//! `cargo xtask prepare`: everything that needs the network, done once.
//!
//! It fetches every crate the lock file names, builds what every chapter's
//! commands run (tests, examples and programs in debug and release,
//! benchmarks) and installs the pinned mdbook. After it, every command in
//! the book works with the network off (`.ci/run` proves a sample of them
//! with `CARGO_NET_OFFLINE=true`). What cargo cannot install (redis-server,
//! a file limit) it lists, from the doctor's findings.
//!
//! The labs are built one package at a time, as the chapters' commands
//! (`cargo test -p lab-01`, `cargo run -p lab-01 --example … --release`)
//! build them: cargo resolves a dependency's features for the packages a
//! command selects, so a workspace-wide build alone would leave each
//! lab's first command rebuilding its dependencies (a minute or more).

use crate::doctor::{self, Status};
use crate::{cargo, run};
use std::path::Path;

/// The cargo commands `prepare` runs, in order: the first needs the
/// network, the rest only the disk. `labs` are the labs' numbers, with
/// whether each has programs (`src/bin/`).
pub fn steps(labs: &[(String, bool)]) -> Vec<Vec<String>> {
    let words = |line: &str| {
        line.split_whitespace()
            .map(String::from)
            .collect::<Vec<_>>()
    };
    // Every crate, then what `cargo xtask test` builds.
    let mut steps = vec![
        words("fetch --locked"),
        words("test --workspace --no-run --locked"),
    ];
    for (lab, has_programs) in labs {
        let package = format!("-p lab-{lab}");
        // Its tests and debug examples (`cargo test`, `cargo xtask exercise`, `cargo run --example`).
        steps.push(words(&format!("test {package} --no-run --locked")));
        steps.push(words(&format!(
            "build {package} --release --examples --locked"
        )));
        if *has_programs {
            // `cargo run -p lab-NN -- …`, with and without --release.
            steps.push(words(&format!("build {package} --bins --locked")));
            steps.push(words(&format!("build {package} --release --bins --locked")));
        }
        steps.push(words(&format!("bench {package} --no-run --locked")));
    }
    // The book's loom-and-shuttle comparison, run optimised.
    steps.push(words(
        "build -p shuttle-vs-loom --release --examples --locked",
    ));
    steps
}

/// Runs every step, installs mdbook, then says what is left.
pub fn prepare(root: &Path) -> Result<(), String> {
    println!(
        "Fetching and building everything the course runs, so that it works offline. \
         From nothing this takes about {} minutes on 2 cores, plus downloading crates.",
        doctor::PREPARE_MINUTES_ON_2_CORES
    );
    let labs: Vec<(String, bool)> = crate::labs(root)
        .into_iter()
        .map(|(lab, folder)| (lab, folder.join("src/bin").is_dir()))
        .collect();
    for step in steps(&labs) {
        run(cargo(root).args(&step))?;
    }
    // Offline (a copy with vendored crates), mdbook cannot be installed:
    // say so, and go on to what is left; the doctor lists it.
    if let Err(why) = crate::mdbook(root) {
        println!(
            "{why}: without mdbook, read the book as HTML built elsewhere \
             (`cargo xtask book` writes book/build/index.html)."
        );
    }
    println!("\nEverything cargo can fetch and build is here: the labs now work offline.");
    let facts = doctor::facts(root, crate::find_mdbook(), crate::pinned_mdbook());
    let left: Vec<doctor::Finding> = doctor::verdict(&facts)
        .into_iter()
        .filter(|f| f.status == Status::Todo)
        .collect();
    if left.is_empty() {
        println!(
            "Nothing is left: `cargo xtask doctor` finds this machine ready for every chapter."
        );
    } else {
        println!("Left to do, outside cargo (`cargo xtask doctor` checks again):");
        for (n, finding) in left.iter().enumerate() {
            println!(
                "  {}. {} ({}): {}",
                n + 1,
                finding.found,
                finding.blocks,
                finding.todo
            );
        }
    }
    println!(
        "To hand this copy out without the network, see the instructor's guide, \
         \"A copy on a USB stick\" (book/src/instructors.md)."
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_network_is_needed_first_then_each_lab_is_built_as_its_chapter_runs_it() {
        let labs = [(String::from("01"), false), (String::from("08"), true)];
        let steps: Vec<String> = steps(&labs).iter().map(|s| s.join(" ")).collect();
        assert_eq!(steps[0], "fetch --locked");
        assert_eq!(steps[1], "test --workspace --no-run --locked");
        assert!(steps.contains(&String::from("test -p lab-01 --no-run --locked")));
        assert!(steps.contains(&String::from(
            "build -p lab-01 --release --examples --locked"
        )));
        assert!(steps.contains(&String::from("bench -p lab-01 --no-run --locked")));
        assert!(steps.contains(&String::from(
            "build -p shuttle-vs-loom --release --examples --locked"
        )));
        assert!(!steps.iter().any(|s| s.contains("lab-01 --bins")));
        assert!(steps.contains(&String::from("build -p lab-08 --bins --locked")));
        assert!(steps.contains(&String::from("build -p lab-08 --release --bins --locked")));
        assert!(
            steps
                .iter()
                .skip(1)
                .all(|s| s.contains("--no-run") || s.starts_with("build"))
        );
    }
}
