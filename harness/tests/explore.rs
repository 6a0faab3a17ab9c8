//! The recorded executions agree with the check that recorded them: as
//! many as it counted, the failing one among them, every path in the tree
//! a whole execution, and the tree's counts adding up.

use harness::explore::Node;
use harness::sync::loom::atomic::{AtomicUsize, Ordering};
use harness::sync::loom::{Arc, thread};
use harness::{Check, Exploration, Failure, Verdict, WentOn};

/// Two threads load then store: a lost update in some executions. The
/// count at the end, named as the execution's outcome.
fn two_increments() -> usize {
    let count = Arc::new(AtomicUsize::new(0));
    let other = Arc::clone(&count);
    let spawned = thread::spawn(move || {
        let seen = other.load(Ordering::SeqCst);
        other.store(seen + 1, Ordering::SeqCst);
    });
    let seen = count.load(Ordering::SeqCst);
    count.store(seen + 1, Ordering::SeqCst);
    spawned.join().unwrap();
    let total = count.load(Ordering::SeqCst);
    harness::outcome(format!("count = {total}"));
    total
}

/// Two threads add one each with `fetch_add`: no update lost. The count
/// at the end.
fn two_fetch_adds() -> usize {
    let count = Arc::new(AtomicUsize::new(0));
    let other = Arc::clone(&count);
    let spawned = thread::spawn(move || {
        other.fetch_add(1, Ordering::SeqCst);
    });
    count.fetch_add(1, Ordering::SeqCst);
    spawned.join().unwrap();
    count.load(Ordering::SeqCst)
}

/// The lost update, judged with `assert!`.
fn racy_increments() {
    assert_eq!(two_increments(), 2, "an update was lost");
}

/// Every execution that reaches `node` goes on to a child or ends there:
/// its count is its children's plus the executions ending at it, which
/// then have an outcome. Returns the node's count.
fn check_counts(node: &Node, exploration: &Exploration) -> usize {
    let Node(_, executions, outcome, children) = node;
    let below: usize = children.iter().map(|c| check_counts(c, exploration)).sum();
    assert!(
        *executions >= below,
        "more executions below a node than through it"
    );
    if *executions > below {
        assert!(*outcome >= 0, "executions end at a node without an outcome");
        assert!((*outcome as usize) < exploration.outcomes.len());
    }
    for child in children {
        assert!(child.0 >= 0 && (child.0 as usize) < exploration.steps.len());
    }
    *executions
}

#[test]
fn the_recorded_executions_are_the_ones_the_check_counted() {
    let (verdict, exploration) = Check::new("racy increments, recorded")
        .every_interleaving()
        .quiet()
        .run_recorded(racy_increments);
    let Verdict::Failed(failure) = verdict else {
        panic!("the racy model passed: {verdict:?}");
    };
    assert_eq!(exploration.executions, failure.explored.executions);
    let counted: usize = exploration.outcomes.iter().map(|o| o.executions).sum();
    assert_eq!(
        counted, exploration.executions,
        "outcomes count every execution once"
    );
    let through_root = check_counts(&exploration.tree, &exploration);
    assert_eq!(
        through_root, exploration.executions,
        "every execution is in the tree"
    );
    // The failing execution is among them, named by the model, and its
    // table is the one the failure printed.
    let failed: Vec<_> = exploration.outcomes.iter().filter(|o| o.failed).collect();
    assert_eq!(failed.len(), 1, "{:?}", exploration.outcomes);
    assert_eq!(failed[0].outcome, "count = 1");
    let printed = harness::render("harness", &Verdict::Failed(failure));
    assert!(
        printed.contains(failed[0].shortest.trim_end()),
        "the failing outcome's execution is not the failure's:\n{}\n---\n{printed}",
        failed[0].shortest
    );
}

#[test]
fn a_passing_check_records_only_allowed_outcomes() {
    let (verdict, exploration) = Check::new("fetch_add increments, recorded")
        .every_interleaving()
        .quiet()
        .run_recorded(|| {
            let total = two_fetch_adds();
            harness::outcome(format!("count = {total}"));
            assert_eq!(total, 2);
        });
    assert!(matches!(verdict, Verdict::Passed(_)), "{verdict:?}");
    assert_eq!(exploration.outcomes.len(), 1, "{:?}", exploration.outcomes);
    assert_eq!(exploration.outcomes[0].outcome, "count = 2");
    assert!(!exploration.outcomes[0].failed);
    assert_eq!(exploration.outcomes[0].executions, exploration.executions);
    assert_eq!(
        check_counts(&exploration.tree, &exploration),
        exploration.executions
    );
}

/// The lost update again, judged with `require!` rather than `assert!`:
/// a check exploring past failures goes on after it.
fn judged_increments() {
    let total = two_increments();
    harness::require!(total == 2, "an update was lost: count = {total}");
}

/// The leaves under `node` whose execution failed, and those that passed.
fn leaves(node: &Node, exploration: &Exploration) -> (usize, usize) {
    let Node(_, _, outcome, children) = node;
    if children.is_empty() {
        let failed = exploration.outcomes[*outcome as usize].failed;
        return (usize::from(failed), usize::from(!failed));
    }
    children.iter().fold((0, 0), |(f, p), child| {
        let (cf, cp) = leaves(child, exploration);
        (f + cf, p + cp)
    })
}

#[test]
fn a_check_exploring_past_failures_records_every_failing_execution_and_reports_the_first() {
    // The same model (and title), stopping at its first failure and going
    // on past it. (One recorded check per test: a check run again in a
    // child process replays the earlier ones' verdicts, not their trees.)
    let stopped = Check::new("judged increments")
        .every_interleaving()
        .quiet()
        .run(judged_increments);
    let (verdict, whole) = Check::new("judged increments")
        .every_interleaving()
        .explore_past_failures()
        .quiet()
        .run_recorded(judged_increments);
    let (Verdict::Failed(first), Verdict::Failed(failure)) = (&stopped, &verdict) else {
        panic!("the racy model passed: {stopped:?} / {verdict:?}");
    };
    // The verdict is the first failure's, exactly as a check stopping there
    // reports it, and says how far loom went on after it: what is printed
    // gains that one line.
    assert_eq!(first.went_on, None);
    let went_on = failure.went_on.expect("how far loom went on");
    assert_eq!(
        &Failure {
            went_on: None,
            ..failure.clone()
        },
        first
    );
    let said = format!(
        "\nloom went on past it: {} executions in all, {} of them failing",
        went_on.executions, went_on.failed
    );
    assert_eq!(
        harness::render("harness", &verdict).replacen(&said, "", 1),
        harness::render("harness", &stopped)
    );
    assert_eq!(failure.line, first.line);
    assert!(failure.message.contains("count = 1"), "{}", failure.message);
    // The stopping check ran up to its failure; the other ran every
    // execution, several failing, each a marked leaf.
    assert!(whole.past_failures);
    let (failing, passing) = leaves(&whole.tree, &whole);
    assert!(
        failing >= 2 && passing >= 1,
        "{failing} failing and {passing} passing leaves: {:?}",
        whole.outcomes
    );
    assert!(whole.executions > first.explored.executions);
    assert_eq!(check_counts(&whole.tree, &whole), whole.executions);
    let counted: usize = whole.outcomes.iter().map(|o| o.executions).sum();
    assert_eq!(
        counted, whole.executions,
        "outcomes count every execution once"
    );
    let failed: Vec<_> = whole.outcomes.iter().filter(|o| o.failed).collect();
    assert_eq!(failed.len(), 1, "{:?}", whole.outcomes);
    assert_eq!(failed[0].outcome, "count = 1");
    assert!(failed[0].executions >= 2);
    assert_eq!(
        went_on,
        WentOn {
            executions: whole.executions,
            failed: failed[0].executions
        }
    );
    assert!(
        whole
            .outcomes
            .iter()
            .any(|o| !o.failed && o.outcome == "count = 2")
    );
}

#[test]
fn a_check_exploring_past_failures_passes_a_model_with_none() {
    let (verdict, exploration) = Check::new("fetch_add increments, past failures")
        .every_interleaving()
        .explore_past_failures()
        .quiet()
        .run_recorded(|| {
            let total = two_fetch_adds();
            harness::require!(total == 2, "count = {total}");
        });
    assert!(matches!(verdict, Verdict::Passed(_)), "{verdict:?}");
    assert!(exploration.outcomes.iter().all(|o| !o.failed));
    assert_eq!(
        check_counts(&exploration.tree, &exploration),
        exploration.executions
    );
}

#[test]
fn outside_a_check_exploring_past_failures_require_panics_as_assert_does() {
    let panicked = std::panic::catch_unwind(|| harness::require!(1 + 1 == 3, "two is {}", 2));
    let payload = panicked.expect_err("require! let a false condition by");
    assert_eq!(
        payload.downcast_ref::<String>().map(String::as_str),
        Some("two is 2")
    );
}
