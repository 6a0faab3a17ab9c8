//! The in-memory Redis (`src/store.rs`) command by command, as the real
//! server answers each: the loom models are only as good as the server
//! they run on. (Mutation testing found these answers unchecked: the
//! models never read an entry's ID from `XADD` or a delivery count, and a
//! `peek` answering nothing still failed the exercise's starter.)

use lab_12::on_std::store::MemoryRedis;
use lab_12::{Commands, JOBS};

#[test]
fn peek_shows_the_tail_job_and_leaves_it_there() {
    let redis = MemoryRedis::new();
    assert_eq!(redis.peek(JOBS), None);
    redis.lpush(JOBS, 1);
    redis.lpush(JOBS, 2);
    assert_eq!(redis.peek(JOBS), Some(1), "the tail is the oldest job");
    assert_eq!(redis.llen(JOBS), 2, "a peek takes nothing");
    assert_eq!(redis.rpop(JOBS), Some(1));
}

#[test]
fn the_stream_hands_entries_out_in_order_and_claims_only_another_consumer_s() {
    let redis = MemoryRedis::new();
    assert_eq!((redis.xadd(7), redis.xadd(8)), (0, 1), "IDs in order");
    assert_eq!(redis.unfinished(), 2, "two entries not yet handed out");
    assert_eq!(redis.read_new("w1"), Some((0, 7)));
    assert_eq!(redis.unfinished(), 2, "one pending, one not handed out");
    assert_eq!(redis.claim_stale("w1"), None, "never a worker's own entry");
    assert_eq!(
        redis.claim_stale("w2"),
        Some((0, 7, 2)),
        "a second delivery"
    );
    assert_eq!(redis.claim_stale("w3"), Some((0, 7, 3)), "a third");
    assert_eq!(redis.read_new("w2"), Some((1, 8)));
    assert_eq!(redis.read_new("w2"), None, "each entry handed out once");
    redis.xack(0);
    assert_eq!(redis.unfinished(), 1);
    redis.xack(1);
    assert_eq!(redis.unfinished(), 0);
    assert_eq!(redis.claim_stale("w4"), None, "acknowledged: gone");
}
