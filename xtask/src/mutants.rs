//! `cargo xtask mutants NN`: cargo-mutants over a lab's fixes, its
//! exercise's solution and its protocol code; `cargo xtask mutants
//! puzzles`: over the puzzle trail's fixes and models.
//!
//! A mutant is the code with one small change (`+=` becomes `-=`, a body
//! becomes `()`, `&&` becomes `||`). A mutant the lab's tests still pass is
//! a change the tests cannot see: either it is equivalent (the same
//! behaviour, written differently) or the tests are too weak. Each lab's
//! README lists its survivors and says which.

use crate::{PinnedTool, cargo, labs, run};
use std::path::Path;

/// The cargo-mutants release the READMEs' figures were measured with.
pub const CARGO_MUTANTS: PinnedTool = PinnedTool {
    name: "cargo-mutants",
    version: "27.1.0",
    version_prefix: "cargo-mutants ",
    takes: "about 4 minutes on 2 cores",
};

/// The files mutated in every lab: the fixes, and the exercise's answer.
const ALWAYS: [&str; 2] = ["fixed.rs", "solution.rs"];

/// Each lab's protocol code, beside its fixes: the code whose correctness
/// the chapter argues and the lab's tests are meant to pin down. (Demos,
/// the racy versions and the starter are not mutated: their tests show a
/// failure, which a mutant would only change.)
fn protocol_files(lab: &str) -> &'static [&'static str] {
    match lab {
        "02" => &["maps.rs"],
        "03" => &["channels.rs"],
        "04" => &["lazy.rs"],
        "05" => &["readers.rs", "independent.rs"],
        "06" => &["channels.rs"],
        "07" => &["work.rs"],
        "08" => &["model.rs"],
        "09" => &["pools.rs", "ledger.rs", "fs.rs"],
        "10" => &["executor.rs", "handshake.rs"],
        "11" => &[
            "cache.rs",
            "cancel.rs",
            "shutdown.rs",
            "select_loop.rs",
            "structured.rs",
            "backpressure.rs",
            "fan_out.rs",
            "bridging.rs",
            "stuck.rs",
        ],
        "12" => &["store.rs"],
        _ => &[],
    }
}

/// Runs cargo-mutants on lab `lab` (or on the puzzle trail, `puzzles`), on
/// `only` if given (file names in its `src/`), else on every file the
/// lab's README's figures cover.
pub fn mutants(root: &Path, lab: &str, only: &[String]) -> Result<(), String> {
    if lab == "puzzles" {
        return puzzles(root, only);
    }
    let number: u32 = lab.parse().map_err(|_| {
        format!("`{lab}` is not a lab number: try `cargo xtask mutants 01` (or `puzzles`)")
    })?;
    let number = format!("{number:02}");
    let folder = labs(root)
        .into_iter()
        .find(|(n, _)| *n == number)
        .map(|(_, path)| path)
        .ok_or_else(|| format!("there is no lab {number}"))?;
    let files: Vec<String> = if only.is_empty() {
        ALWAYS
            .iter()
            .chain(protocol_files(&number))
            .map(|file| file.to_string())
            .collect()
    } else {
        only.to_vec()
    };
    let package = format!("lab-{number}");
    mutate(root, &folder, &package, &files, None)?;
    println!(
        "Each lab's README lists its survivors and why each is harmless or what now catches it."
    );
    Ok(())
}

/// The puzzle trail: every level's file, but not the code that must stay
/// broken (see [`kept_broken`]).
fn puzzles(root: &Path, only: &[String]) -> Result<(), String> {
    let folder = root.join("puzzles");
    let src = folder.join("src");
    let files: Vec<String> = if only.is_empty() {
        let mut files: Vec<String> = std::fs::read_dir(&src)
            .map_err(|e| format!("could not read {}: {e}", src.display()))?
            .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
            .filter(|name| name.ends_with(".rs") && name != "lib.rs")
            .collect();
        files.sort();
        files
    } else {
        only.to_vec()
    };
    let mut broken = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(src.join(file))
            .map_err(|e| format!("could not read puzzles/src/{file}: {e}"))?;
        broken.extend(kept_broken(&text));
    }
    // A mutant inside `<impl Once for StartedFlag>` is named so; the
    // `Debug` impls only name values in traces, which no test of
    // `puzzles` compares (`cargo xtask test` does, but is not run here).
    // (A generic type's impl is named with its parameters: `TaggedBy<R>>`.)
    let exclude = format!("for ({})(<[^>]*>)?>|std::fmt::Debug", broken.join("|"));
    mutate(root, &folder, "puzzles", &files, Some(&exclude))?;
    println!(
        "puzzles/README.md lists the survivors and why each is harmless or what now catches it."
    );
    Ok(())
}

/// The types in a level's file that must stay broken: its puzzle (in the
/// `racy` anchor) and its wrong fixes (in the `wrong_fix` anchor, or with
/// "wrong fix" in their doc). Their tests show them failing; a mutant that
/// still fails proves nothing, and one that mends them is no defect.
fn kept_broken(text: &str) -> Vec<String> {
    let mut names = Vec::new();
    let (mut in_anchor, mut said_wrong) = (false, false);
    for line in text.lines().map(str::trim) {
        if line == "// ANCHOR: racy" || line == "// ANCHOR: wrong_fix" {
            in_anchor = true;
        } else if line.starts_with("// ANCHOR_END:") {
            in_anchor = false;
        } else if let Some(doc) = line.strip_prefix("///") {
            said_wrong |= doc.to_lowercase().contains("wrong fix");
        } else if let Some(rest) = line.strip_prefix("pub struct ") {
            if in_anchor || said_wrong {
                let name = rest
                    .split(|c: char| !c.is_alphanumeric() && c != '_')
                    .next();
                names.extend(name.map(String::from));
            }
            said_wrong = false;
        } else if !line.starts_with("#[") && !line.starts_with("//") {
            said_wrong = false;
        }
    }
    names
}

/// Runs cargo-mutants on `files` of `folder`'s `src/`, testing `package`,
/// skipping the mutants whose names match `exclude`.
fn mutate(
    root: &Path,
    folder: &Path,
    package: &str,
    files: &[String],
    exclude: Option<&str>,
) -> Result<(), String> {
    let relative = folder.strip_prefix(root).unwrap_or(folder).to_path_buf();
    for file in files {
        if !folder.join("src").join(file).is_file() {
            return Err(format!("{} has no src/{file}", relative.display()));
        }
    }
    let tool = CARGO_MUTANTS.install(root)?;
    let output = root.join("target").join("mutants").join(package);
    std::fs::create_dir_all(&output)
        .map_err(|e| format!("could not create {}: {e}", output.display()))?;
    println!(
        "Mutating {} in {} and running `cargo test -p {package}` on each mutant, one at a time,\n\
         in a copy of the workspace (your files are not touched). Expect about 10 s per mutant.",
        files.join(", "),
        relative.display()
    );
    let mut command = cargo(root);
    command.arg("mutants");
    // `cargo mutants` finds the pinned binary through PATH.
    if let Some(bin) = tool.parent().filter(|bin| !bin.as_os_str().is_empty()) {
        let path = std::env::var_os("PATH").unwrap_or_default();
        let mut paths = vec![bin.to_path_buf()];
        paths.extend(std::env::split_paths(&path));
        command.env(
            "PATH",
            std::env::join_paths(paths).map_err(|e| format!("PATH: {e}"))?,
        );
    }
    command
        .args(["--package", package, "--jobs", "1"])
        .arg("--output")
        .arg(&output);
    if let Some(exclude) = exclude {
        command.args(["--exclude-re", exclude]);
    }
    for file in files {
        command.arg("--file").arg(relative.join("src").join(file));
    }
    // One build folder for every run: the dependencies are built once.
    command.env(
        "CARGO_TARGET_DIR",
        root.join("target").join("mutants").join("build"),
    );
    let result = run(&mut command);
    let missed = output.join("mutants.out").join("missed.txt");
    if !missed.is_file() {
        return result.and(Err(String::from("cargo-mutants wrote no results")));
    }
    println!(
        "\nEvery mutant's outcome is in {}; the ones the tests missed are in {}.",
        output.join("mutants.out").display(),
        missed.display()
    );
    // cargo-mutants exits 2 when some mutants survive: that is a finding to
    // read, not a failure of this command.
    result.or(Ok(()))
}

#[cfg(test)]
mod tests {
    use super::kept_broken;

    #[test]
    fn the_puzzle_and_its_wrong_fixes_are_kept_broken_and_the_fix_is_mutated() {
        let level = "/// The puzzle.\n// ANCHOR: racy\npub struct Racy {\n}\n// ANCHOR_END: racy\n\
            // ANCHOR: fixed\n/// The fix.\npub struct Fixed;\n// ANCHOR_END: fixed\n\
            // ANCHOR: wrong_fix\n/// A wrong fix.\npub struct Wrong(u8);\n// ANCHOR_END: wrong_fix\n\
            /// Another wrong fix, for the tests.\n#[derive(Debug)]\npub struct AlsoWrong;\n\
            /// For the wrong fixes the tests run.\npub struct Generic<R> {\n}\n\
            /// A helper.\npub struct Helper;\n";
        assert_eq!(
            kept_broken(level),
            ["Racy", "Wrong", "AlsoWrong", "Generic"]
        );
    }

    #[test]
    fn every_level_keeps_its_puzzle_broken_and_mutates_its_fix() {
        let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../puzzles/src");
        let mut levels = 0;
        for entry in std::fs::read_dir(&src).unwrap() {
            let path = entry.unwrap().path();
            if path.file_name().is_some_and(|name| name == "lib.rs") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let broken = kept_broken(&text);
            // The fix: the first type in the `fixed` anchor.
            let fixed = text
                .split("// ANCHOR: fixed")
                .nth(1)
                .and_then(|rest| rest.split("pub struct ").nth(1))
                .and_then(|rest| rest.split(|c: char| !c.is_alphanumeric()).next())
                .unwrap();
            assert!(
                !broken.is_empty(),
                "{}: no puzzle kept broken",
                path.display()
            );
            assert!(
                !broken.iter().any(|name| name == fixed),
                "{}: its fix {fixed} would not be mutated",
                path.display()
            );
            levels += 1;
        }
        assert_eq!(levels, 15);
    }
}
