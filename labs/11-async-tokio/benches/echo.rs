//! The C3 side of chapter 11: with a handful of connections, is a thread
//! per connection any worse than a task? Ten clients, each one echo at a
//! time, against each server, on loopback. (The C10k tool, `cargo run
//! --release -p lab-11 -- c10k`, measures the other end of the scale.)
//! `cargo bench -p lab-11` prints criterion's report, then the table.

use criterion::{BenchmarkId, Throughput};
use harness::bench::Table;
use lab_11::echo::{start_tasks_server, start_threads_server};
use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;

const GROUP: &str = "a handful of connections";
const CLIENTS: usize = 10;

/// Each client sends a line and waits for it, in turn: `CLIENTS` round trips.
fn one_round(clients: &mut [BufReader<TcpStream>]) {
    let mut line = String::new();
    for client in clients {
        client.get_ref().write_all(b"ping\n").unwrap();
        line.clear();
        client.read_line(&mut line).unwrap();
    }
}

fn main() {
    let table = Table {
        group: GROUP,
        parameter: "clients",
        element: "round trip",
        functions: &["thread per connection", "task per connection"],
        columns: &[],
    };
    harness::bench::run(&table, |criterion| {
        // ANCHOR: bench
        let mut group = criterion.benchmark_group(GROUP);
        group.throughput(Throughput::Elements(CLIENTS as u64));
        for (name, address) in [
            ("thread per connection", start_threads_server().unwrap()),
            ("task per connection", start_tasks_server().unwrap()),
        ] {
            let mut clients: Vec<_> = (0..CLIENTS)
                .map(|_| BufReader::new(TcpStream::connect(address).unwrap()))
                .collect();
            for client in &clients {
                client.get_ref().set_nodelay(true).unwrap();
            }
            group.bench_function(BenchmarkId::new(name, CLIENTS), |b| {
                b.iter(|| one_round(&mut clients))
            });
        }
        group.finish();
        // ANCHOR_END: bench
    });
}
