//! What reliability costs per job: one worker connection claims, counts
//! and acknowledges jobs, with the naive protocol (`RPOP`), the reliable
//! one (`BLMOVE`, then `LREM`), and the reliable one as the real worker
//! sends it (each job's count and ack pipelined with the next claim).
//! `lab-12 measure` runs whole worker processes against `redis-benchmark`.
//! `cargo bench -p lab-12` prints criterion's report, then the table.

use criterion::{BenchmarkId, Throughput};
use harness::bench::Table;
use lab_12::on_std::fixed::ReliableQueue;
use lab_12::on_std::racy::NaiveQueue;
use lab_12::real::{RealRedis, RedisServer};
use lab_12::{Commands, JOBS, Pipelined, Protocol};

const GROUP: &str = "claim and ack";
const JOBS_PER_ITERATION: u64 = 100;

/// Pushes a batch of jobs, then claims, counts and acks each: exactly as
/// many claims as jobs, so no claim ever waits on an empty queue.
fn drain<P: Protocol>(redis: &RealRedis) {
    redis.push_jobs(JOBS_PER_ITERATION).unwrap();
    for _ in 0..JOBS_PER_ITERATION {
        let job = P::claim(redis, "w1").expect("a job was pushed for each claim");
        redis.count_done(job);
        P::ack(redis, "w1", job);
    }
}

/// The same for the reliable queue, as the real worker sends it: a job's
/// count and ack go out with the next claim, one round trip a job (the
/// last job's with its own ack, there being nothing more to claim).
fn drain_pipelined(redis: &RealRedis) {
    redis.push_jobs(JOBS_PER_ITERATION).unwrap();
    let next = |redis: &RealRedis| ReliableQueue::claim(redis, "w1").expect("a job was pushed");
    let mut job = next(redis);
    for _ in 1..JOBS_PER_ITERATION {
        redis.pipelined(|redis| {
            redis.count_done(job);
            ReliableQueue::ack(redis, "w1", job);
        });
        job = next(redis);
    }
    redis.pipelined(|redis| redis.count_done(job));
    ReliableQueue::ack(redis, "w1", job);
}

fn main() {
    let server = match RedisServer::start() {
        Ok(server) => server,
        Err(why) => {
            println!("skipped: {why}");
            return;
        }
    };
    let redis = RealRedis::connect(&server.url).expect("the server answers");
    let table = Table {
        group: GROUP,
        parameter: "workers",
        element: "job",
        functions: &[
            "naive (RPOP)",
            "reliable (BLMOVE, LREM)",
            "reliable, pipelined",
        ],
        columns: &[],
    };
    harness::bench::run(&table, |criterion| {
        // ANCHOR: bench
        let mut group = criterion.benchmark_group(GROUP);
        group.throughput(Throughput::Elements(JOBS_PER_ITERATION));
        group.bench_function(BenchmarkId::new("naive (RPOP)", 1), |b| {
            b.iter(|| drain::<NaiveQueue>(&redis))
        });
        group.bench_function(BenchmarkId::new("reliable (BLMOVE, LREM)", 1), |b| {
            b.iter(|| drain::<ReliableQueue>(&redis))
        });
        group.bench_function(BenchmarkId::new("reliable, pipelined", 1), |b| {
            b.iter(|| drain_pipelined(&redis))
        });
        group.finish();
        // ANCHOR_END: bench
    });
    let left: u64 = redis.query(redis::cmd("LLEN").arg(JOBS)).unwrap_or(0);
    assert_eq!(left, 0, "every job pushed was claimed");
}
