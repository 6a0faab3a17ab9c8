//! Real decisions on a recorded exploration's shortest winning path, for
//! the tests of the puzzle trail (`tests/puzzles.rs`) and of the chapters'
//! challenges (`tests/book.rs`): a real decision is a branch point where
//! one choice leads only to passing ends and another can still fail, so
//! the learner must pick right.

use harness::Exploration;
use harness::explore::Node;

/// How many executions under `node` failed.
pub fn failing_under(e: &Exploration, node: &Node) -> usize {
    let Node(_, executions, outcome, children) = node;
    let through: usize = children.iter().map(|c| c.1).sum();
    let ending_here = usize::try_from(*outcome)
        .ok()
        .and_then(|o| e.outcomes.get(o))
        .is_some_and(|o| o.failed);
    children.iter().map(|c| failing_under(e, c)).sum::<usize>()
        + if ending_here { executions - through } else { 0 }
}

/// The nodes of the shortest path from the root to a failing end, as the
/// stepper finds it (breadth first, children in order): the root first,
/// the failing leaf last.
pub fn shortest_win(e: &Exploration) -> Vec<&Node> {
    let mut queue: Vec<(&Node, usize)> = vec![(&e.tree, usize::MAX)];
    let mut i = 0;
    while i < queue.len() {
        let node = queue[i].0;
        let failed = usize::try_from(node.2)
            .ok()
            .and_then(|o| e.outcomes.get(o))
            .is_some_and(|o| o.failed);
        if node.3.is_empty() && failed {
            let mut path = vec![node];
            let mut at = queue[i].1;
            while at != usize::MAX {
                path.push(queue[at].0);
                at = queue[at].1;
            }
            path.reverse();
            return path;
        }
        queue.extend(node.3.iter().map(|child| (child, i)));
        i += 1;
    }
    panic!("{}: no failing end", e.title)
}

/// The real decisions on the shortest winning path.
pub fn real_decisions(e: &Exploration) -> usize {
    let path = shortest_win(e);
    path[..path.len() - 1]
        .iter()
        .filter(|node| {
            let fails: Vec<usize> = node.3.iter().map(|c| failing_under(e, c)).collect();
            fails.contains(&0) && fails.iter().any(|&f| f > 0)
        })
        .count()
}
