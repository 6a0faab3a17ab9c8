//! Support for the labs' exercises.

use crate::check::{Check, show_to_learner};
use crate::verdict::{FailureKind, Verdict};

/// A lab's exercise: the file the learner edits, the fingerprint of its
/// starter, and the bound its check explores. Each lab's
/// `tests/exercise.rs` runs the learner's check (ignored, for `cargo xtask
/// exercise NN`) and proves, with the very same check, that the starter
/// fails it, the reference solution passes it, and wrong answers fail it.
pub struct Exercise {
    file: &'static str,
    starter: u64,
    preemption_bound: Option<usize>,
}

impl Exercise {
    /// The exercise in `file` (relative to the lab's folder), whose starter
    /// has the [`fingerprint`] `starter`; its check explores every
    /// interleaving.
    pub fn new(file: &'static str, starter: u64) -> Self {
        Self {
            file,
            starter,
            preemption_bound: None,
        }
    }

    /// Explores executions with at most `bound` preemptions, for models too
    /// big to explore whole.
    pub fn preemption_bound(mut self, bound: usize) -> Self {
        self.preemption_bound = Some(bound);
        self
    }

    /// The check, titled `exercise: <what>`.
    fn check(&self, what: &str) -> Check {
        let check = Check::new(format!("exercise: {what}"));
        match self.preemption_bound {
            Some(bound) => check.preemption_bound(bound),
            None => check.every_interleaving(),
        }
    }

    /// The learner's check: passes only if `model` passes every interleaving.
    ///
    /// Its title names the model, so that of two checks the learner knows
    /// which one failed: the model function's name, or else the test's.
    pub fn check_answer<F: Fn() + Send + Sync + 'static>(&self, model: F) {
        let model_name = model_name::<F>()
            .or_else(|| std::thread::current().name().map(str::to_string))
            .map(|name| format!("your answer, {}", name.replace('_', " ")))
            .unwrap_or_else(|| String::from("your answer"));
        self.check(&model_name).must_pass(model);
    }

    /// Proves the starter fails the check, showing the failure in the book;
    /// skipped (and said so) while the learner is working on the file.
    pub fn prove_starter_fails<F: Fn() + Send + Sync + 'static>(&self, model: F) {
        if !starter_untouched(self.file, self.starter) {
            return;
        }
        self.check("the starter").in_book().quiet().must_fail(model);
    }

    /// Proves the reference solution passes the check. Titled after the
    /// model (`the reference solution, increments`), so that a lab that
    /// proves it on two models records two explorations, not one twice.
    pub fn prove_solution_passes<F: Fn() + Send + Sync + 'static>(&self, model: F) {
        let title = match model_name::<F>() {
            Some(name) => format!("the reference solution, {name}"),
            None => String::from("the reference solution"),
        };
        self.check(&title).quiet().must_pass(model);
    }

    /// Proves the check catches a plausible wrong answer, named `what`: loom
    /// finds an interleaving in which the model fails (an assertion or a
    /// deadlock, not merely loom's limits).
    pub fn prove_wrong_answer_fails<F: Fn() + Send + Sync + 'static>(&self, what: &str, model: F) {
        let verdict = self.check(what).quiet().run(model);
        assert!(
            matches!(verdict, Verdict::Failed(ref f) if f.kind != FailureKind::LoomLimit),
            "the exercise's check passed a wrong answer ({what}): {verdict:?}"
        );
    }
}

/// Whether `file` (a path relative to the lab's folder) is still the
/// exercise's starter as the course ships it, whose [`fingerprint`] is
/// `starter`.
///
/// The course's tests prove that each exercise's starter fails its check.
/// Once a learner has started on the exercise (edited, or even committed
/// their answer) that proof has nothing to say: the test skips itself, and
/// says so. In CI (where `CI` is set) it never skips: a changed starter
/// fails, with the fingerprint to record if the change was meant.
pub fn starter_untouched(file: &str, starter: u64) -> bool {
    let text = std::fs::read_to_string(file).unwrap_or_else(|e| panic!("{file}: {e}"));
    let found = fingerprint(&text);
    if found == starter {
        return true;
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "{file} is not the starter this test proves unsolved (its fingerprint is {found:#018x}, \
         the test expects {starter:#018x}). If you changed the starter on purpose, put \
         {found:#018x} in the test."
    );
    show_to_learner(&edited_note(
        file,
        &crate::place::lab_name(),
        std::env::var_os(AUTHOR).is_some().then_some(found),
    ));
    false
}

/// Set by a course author changing a starter: the note on an edited
/// exercise then gives the file's new fingerprint, to put in the test.
/// (In CI a changed starter fails, with the fingerprint, anyway.)
pub const AUTHOR: &str = "RACE_HARNESS_AUTHOR";

/// The note printed when the exercise's file is not the starter: for the
/// learner, with the command that checks their answer; the fingerprint
/// only for an author who asked for it (`fingerprint`).
fn edited_note(file: &str, package: &str, fingerprint: Option<u64>) -> String {
    let command = match package.strip_prefix("lab-") {
        Some(number) => format!("`cargo xtask exercise {number}`"),
        None => String::from("the exercise's command"),
    };
    let mut note = format!(
        "note: {file} is not the starter the course ships (you are working on it), so the \
         check that the starter fails is skipped. Check your answer with {command}."
    );
    if let Some(found) = fingerprint {
        note.push_str(&format!(
            " ({AUTHOR} is set: the file's fingerprint is now {found:#018x}.)"
        ));
    }
    note
}

pub use crate::fingerprint::fingerprint;

/// The name of the model function `F`, as in `two_consumers` for
/// `checks::two_consumers::<exercise::Mailbox>`; `None` for a closure.
fn model_name<F>() -> Option<String> {
    let full = std::any::type_name::<F>();
    if full.contains("{{closure}}") {
        return None;
    }
    let path = full.split('<').next()?;
    path.rsplit("::").next().map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::{edited_note, model_name};

    #[test]
    fn the_note_on_an_edited_exercise_names_the_command_and_no_fingerprint() {
        let note = edited_note("src/exercise.rs", "lab-13", None);
        assert!(note.contains("`cargo xtask exercise 13`"), "{note}");
        assert!(
            !note.contains("fingerprint") && !note.contains("0x"),
            "a note for course authors in the learner's output: {note}"
        );
        let for_author = edited_note("src/exercise.rs", "lab-13", Some(0x0ef7_6b57_8f1d_a69e));
        assert!(
            for_author.contains("0x0ef76b578f1da69e"),
            "an author who asked gets no fingerprint: {for_author}"
        );
    }

    fn two_consumers<T>() {}

    #[test]
    fn a_model_is_named_by_its_function_and_a_closure_is_not() {
        fn name_of<F: Fn()>(_: F) -> Option<String> {
            model_name::<F>()
        }
        assert_eq!(
            name_of(two_consumers::<u32>).as_deref(),
            Some("two_consumers")
        );
        assert_eq!(name_of(|| ()), None);
    }
}
