//! `cargo xtask mutants NN`: cargo-mutants over a lab's fixes, its
//! exercise's solution and its protocol code.
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

/// Runs cargo-mutants on lab `lab`, on `only` if given (file names in the
/// lab's `src/`), else on every file the lab's README's figures cover.
pub fn mutants(root: &Path, lab: &str, only: &[String]) -> Result<(), String> {
    let number: u32 = lab
        .parse()
        .map_err(|_| format!("`{lab}` is not a lab number: try `cargo xtask mutants 01`"))?;
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
    let relative = folder.strip_prefix(root).unwrap_or(&folder).to_path_buf();
    for file in &files {
        if !folder.join("src").join(file).is_file() {
            return Err(format!("{} has no src/{file}", relative.display()));
        }
    }
    let tool = CARGO_MUTANTS.install(root)?;
    let output = root
        .join("target")
        .join("mutants")
        .join(format!("lab-{number}"));
    std::fs::create_dir_all(&output)
        .map_err(|e| format!("could not create {}: {e}", output.display()))?;
    println!(
        "Mutating {} in {} and running `cargo test -p lab-{number}` on each mutant, one at a time,\n\
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
        .args(["--package", &format!("lab-{number}"), "--jobs", "1"])
        .arg("--output")
        .arg(&output);
    for file in &files {
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
        "\nEvery mutant's outcome is in {}; the ones the tests missed are in {}.\n\
         Each lab's README lists its survivors and why each is harmless or what now catches it.",
        output.join("mutants.out").display(),
        missed.display()
    );
    // cargo-mutants exits 2 when some mutants survive: that is a finding to
    // read, not a failure of this command.
    result.or(Ok(()))
}
