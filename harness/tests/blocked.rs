//! A model that blocks outside loom (here on a std channel no one sends
//! on, as a learner's `static std::sync::Mutex` would) must end with a
//! failure that says so, not hang the test suite.

use harness::Check;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::time::Duration;

#[test]
fn a_model_blocked_outside_loom_is_stopped_with_a_hint() {
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        Check::new("blocks on a std channel")
            .every_interleaving()
            .quiet()
            .stall_limit(Duration::from_secs(1))
            .run(|| {
                let (_keep, never) = std::sync::mpsc::channel::<()>();
                let _ = never.recv();
            })
    }));
    let message = match outcome {
        Ok(verdict) => panic!("a blocked model returned a verdict: {verdict:?}"),
        Err(payload) => payload
            .downcast_ref::<String>()
            .cloned()
            .unwrap_or_default(),
    };
    assert!(
        message.contains("blocked outside loom") && message.contains("super::sync"),
        "the failure does not say what blocked: {message}"
    );
    assert!(
        message.contains("execution 1 made no progress for 1 s"),
        "the failure does not say which execution stalled, or after how long: {message}"
    );
}
