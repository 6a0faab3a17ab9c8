//! What reliability costs per job: one worker connection claims, counts
//! and acknowledges jobs, with the naive protocol (`RPOP`) and the
//! reliable one (`BLMOVE`, then `LREM`). `lab-12 measure` runs whole
//! worker processes against `redis-benchmark`.
//! `cargo bench -p lab-12` prints criterion's report, then the table.

use criterion::{BenchmarkId, Throughput};
use harness::bench::Table;
use lab_12::on_std::fixed::ReliableQueue;
use lab_12::on_std::racy::NaiveQueue;
use lab_12::real::{RealRedis, RedisServer};
use lab_12::{Commands, JOBS, Protocol};

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
        functions: &["naive (RPOP)", "reliable (BLMOVE, LREM)"],
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
        group.finish();
        // ANCHOR_END: bench
    });
    let left: u64 = redis.query(redis::cmd("LLEN").arg(JOBS)).unwrap_or(0);
    assert_eq!(left, 0, "every job pushed was claimed");
}
