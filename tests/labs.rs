//! Checks that every lab has the parts every lab must have (see
//! ../shared/CURRICULUM.md): a bug and its fix side by side, an exercise
//! whose starter is proven to fail its check and whose reference solution
//! is proven to pass it, loom tests, a demo on real threads, a benchmark.
//!
//! The proofs themselves run in each lab's `tests/exercise.rs`, as part of
//! the same `cargo test --workspace`; this file checks that every lab has them.

use std::fs;
use std::path::PathBuf;

fn labs() -> Vec<PathBuf> {
    let mut labs: Vec<PathBuf> =
        fs::read_dir(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("labs"))
            .unwrap()
            .flatten()
            .map(|entry| entry.path())
            .collect();
    labs.sort();
    assert!(!labs.is_empty(), "the course has no lab");
    labs
}

fn read(path: PathBuf) -> String {
    fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn every_lab_folder_is_nn_slug_and_its_package_is_lab_nn() {
    let workspace = read(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml"));
    for lab in labs() {
        let folder = lab.file_name().unwrap().to_string_lossy().into_owned();
        let (number, slug) = folder.split_at(2);
        assert!(
            number.chars().all(|c| c.is_ascii_digit()) && slug.starts_with('-'),
            "{folder}"
        );
        let manifest = read(lab.join("Cargo.toml"));
        assert!(
            manifest.contains(&format!("name = \"lab-{number}\"")),
            "{folder}: package must be lab-{number}"
        );
        assert!(
            workspace.contains(&format!("\"labs/{folder}\"")),
            "{folder} is not a workspace member"
        );
    }
}

#[test]
fn every_lab_has_its_bug_its_fix_an_exercise_a_demo_and_a_benchmark() {
    for lab in labs() {
        for file in [
            "src/racy.rs",
            "src/fixed.rs",
            "src/exercise.rs",
            "src/solution.rs",
            "README.md",
        ] {
            assert!(lab.join(file).is_file(), "{} has no {file}", lab.display());
        }
        for folder in ["tests", "examples", "benches"] {
            let files = fs::read_dir(lab.join(folder))
                .map(|d| d.count())
                .unwrap_or(0);
            assert!(files > 0, "{} has nothing in {folder}/", lab.display());
        }
    }
}

#[test]
fn every_exercise_is_proven_unsolved_and_its_solution_proven_correct() {
    for lab in labs() {
        let tests = read(lab.join("tests/exercise.rs"));
        for proof in [
            "Exercise::new(\"src/exercise.rs\", 0x",
            "fn the_starter_fails_the_exercise_check",
            ".prove_starter_fails(",
            "fn the_reference_solution_passes_the_exercise_check",
            ".prove_solution_passes(",
            ".prove_wrong_answer_fails(",
            ".check_answer(",
        ] {
            assert!(
                tests.contains(proof),
                "{}/tests/exercise.rs lacks `{proof}`",
                lab.display()
            );
        }
        // The learner's checks are the ignored tests `cargo xtask exercise
        // NN` runs: one model each (lab-12's exercise has two).
        let ignored = tests
            .matches("#[ignore = \"the exercise: run `cargo xtask exercise")
            .count();
        assert!(ignored >= 1, "{}: no ignored exercise check", lab.display());
    }
}

#[test]
fn every_lab_checks_with_loom_through_the_harness() {
    for lab in labs() {
        let tests: String = fs::read_dir(lab.join("tests"))
            .unwrap()
            .flatten()
            .map(|entry| read(entry.path()))
            .collect();
        assert!(
            tests.contains(".must_fail("),
            "{}: no race is shown to be found",
            lab.display()
        );
        assert!(
            tests.contains(".must_pass("),
            "{}: no fix is shown to hold",
            lab.display()
        );
        assert!(
            tests.contains(".in_book()"),
            "{}: the chapter shows no trace",
            lab.display()
        );
    }
}
