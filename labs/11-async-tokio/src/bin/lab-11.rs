//! `lab-11`: the echo servers, and the C10k tool that measures them.
//!
//! - `lab-11 serve --model threads|tasks`: an echo server on 127.0.0.1;
//! - `lab-11 c10k`: starts each server in a process of its own, opens 100,
//!   1,000 and 10,000 idle connections to it, and prints, side by side,
//!   the server's memory per connection and echo latency across them.

use clap::{Parser, Subcommand, ValueEnum};
use lab_11::echo::{serve_with_tasks, serve_with_threads};
use std::io::{self, BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::{Child, Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

#[derive(Parser)]
#[command(
    name = "lab-11",
    about = "Echo servers, and the C10k tool that measures them."
)]
struct Cli {
    #[command(subcommand)]
    command: Commands,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum Model {
    /// A thread per connection.
    Threads,
    /// A tokio task per connection, on a multi-threaded runtime.
    Tasks,
}

#[derive(Subcommand)]
enum Commands {
    /// Runs an echo server on 127.0.0.1 and prints the address.
    Serve {
        /// How connections are served.
        #[arg(long, value_enum)]
        model: Model,
    },
    /// Measures both servers with idle connections; prints a table.
    C10k {
        /// How many idle connections, in rising order.
        #[arg(long, value_delimiter = ',', default_values_t = [100, 1_000, 10_000])]
        connections: Vec<usize>,
        /// Echo round trips timed at each step (1 or more).
        #[arg(long, default_value_t = 1_000, value_parser = clap::value_parser!(u32).range(1..))]
        round_trips: u32,
    },
}

fn main() -> ExitCode {
    let result = match Cli::parse().command {
        Commands::Serve { model } => serve(model),
        Commands::C10k {
            connections,
            round_trips,
        } => c10k(&connections, round_trips as usize),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("lab-11: {error}");
            ExitCode::FAILURE
        }
    }
}

fn serve(model: Model) -> io::Result<()> {
    raise_file_limit();
    let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    println!("listening on {}", listener.local_addr()?);
    io::stdout().flush()?;
    match model {
        Model::Threads => serve_with_threads(listener),
        Model::Tasks => {
            listener.set_nonblocking(true)?;
            let runtime = tokio::runtime::Runtime::new()?;
            runtime.block_on(async {
                serve_with_tasks(tokio::net::TcpListener::from_std(listener)?).await
            })
        }
    }
}

/// Raises this process's open-file limit to the most it may; returns it.
/// Children (the servers) inherit it.
fn raise_file_limit() -> u64 {
    use rustix::process::{Resource, getrlimit, setrlimit};
    let mut limit = getrlimit(Resource::Nofile);
    limit.current = limit.maximum;
    let _ = setrlimit(Resource::Nofile, limit);
    getrlimit(Resource::Nofile).current.unwrap_or(u64::MAX)
}

/// A server in a child process, killed when dropped.
struct Server {
    process: Child,
    address: SocketAddr,
}

impl Server {
    fn start(model: Model) -> io::Result<Self> {
        let model = format!("{model:?}").to_lowercase();
        let mut process = Command::new(std::env::current_exe()?)
            .args(["serve", "--model", &model])
            .stdout(Stdio::piped())
            .spawn()?;
        let mut line = String::new();
        BufReader::new(process.stdout.take().expect("piped")).read_line(&mut line)?;
        let address = line
            .trim()
            .strip_prefix("listening on ")
            .and_then(|a| a.parse().ok())
            .ok_or_else(|| io::Error::other(format!("the server said {line:?}")))?;
        Ok(Self { process, address })
    }

    /// The server's resident memory, from `/proc` (Linux).
    fn resident_bytes(&self) -> io::Result<u64> {
        kib_field(&format!("/proc/{}/status", self.process.id()), "VmRSS:")
    }
}

/// The memory the kernel holds for every thread's kernel-side stack, all
/// processes together (`KernelStack` in `/proc/meminfo`): not in any
/// process's RSS, but a cost of each thread all the same.
fn kernel_stacks() -> io::Result<u64> {
    kib_field("/proc/meminfo", "KernelStack:")
}

/// The bytes a `/proc` file gives, in kB, on the line starting with `field`.
fn kib_field(file: &str, field: &str) -> io::Result<u64> {
    let text = std::fs::read_to_string(file)?;
    let kb = text
        .lines()
        .find_map(|line| line.strip_prefix(field))
        .and_then(|rest| {
            rest.trim()
                .trim_end_matches("kB")
                .trim()
                .parse::<u64>()
                .ok()
        })
        .ok_or_else(|| io::Error::other(format!("no {field} in {file}")))?;
    Ok(kb * 1024)
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}

/// One client connection, which has had one echo (so the server has
/// accepted it and started serving it).
struct Client {
    stream: BufReader<TcpStream>,
}

impl Client {
    fn connect(address: SocketAddr) -> io::Result<Self> {
        let stream = TcpStream::connect(address)?;
        stream.set_read_timeout(Some(Duration::from_secs(10)))?;
        stream.set_nodelay(true)?;
        // One descriptor per connection: writes go through `&TcpStream`.
        let mut client = Self {
            stream: BufReader::with_capacity(64, stream),
        };
        client.round_trip()?;
        Ok(client)
    }

    fn round_trip(&mut self) -> io::Result<Duration> {
        let start = Instant::now();
        self.stream.get_ref().write_all(b"ping\n")?;
        let mut line = String::new();
        self.stream.read_line(&mut line)?;
        if line != "ping\n" {
            return Err(io::Error::other(format!("the server answered {line:?}")));
        }
        Ok(start.elapsed())
    }
}

/// A row of the table.
struct Row {
    model: Model,
    connections: usize,
    per_connection: f64,
    kernel_per_connection: f64,
    p50: Duration,
    p99: Duration,
}

// ANCHOR: c10k
fn c10k(steps: &[usize], round_trips: usize) -> io::Result<()> {
    if steps.is_empty() || steps[0] == 0 || steps.windows(2).any(|w| w[0] >= w[1]) {
        let error = "--connections must be rising numbers above 0, like 100,1000,10000";
        return Err(io::Error::new(io::ErrorKind::InvalidInput, error));
    }
    let limit = raise_file_limit();
    println!("open files allowed: {limit}; round trips timed per step: {round_trips}\n");
    let mut rows = Vec::new();
    for model in [Model::Threads, Model::Tasks] {
        // A model that fails stops where it failed; the table keeps the
        // steps it finished, and the other model still runs.
        if let Err(error) = measure(model, steps, round_trips, limit, &mut rows) {
            println!("{model:?}: stopped: {error}");
        }
    }
    print_table(&rows);
    Ok(())
}

/// Measures one model at each step, adding a row per step it completes.
fn measure(
    model: Model,
    steps: &[usize],
    round_trips: usize,
    limit: u64,
    rows: &mut Vec<Row>,
) -> io::Result<()> {
    // Each connection costs this process one descriptor and the server one.
    let most = limit.saturating_sub(64) as usize;
    let server = Server::start(model)?;
    let (idle, idle_kernel) = (server.resident_bytes()?, kernel_stacks()?);
    let mut clients: Vec<Client> = Vec::new();
    for &target in steps {
        if target > most {
            let needed = target + 64;
            let error = format!(
                "{target} connections need {needed} open files, and {limit} are allowed: \
                 run `ulimit -n {needed}` in this shell first (as root if the hard limit, \
                 `ulimit -Hn`, is lower)"
            );
            return Err(io::Error::other(error));
        }
        while clients.len() < target {
            let client = Client::connect(server.address).map_err(|error| {
                io::Error::other(format!("connection {}: {error}", clients.len() + 1))
            })?;
            clients.push(client);
        }
        let grown = server.resident_bytes()?.saturating_sub(idle);
        let kernel = kernel_stacks()?.saturating_sub(idle_kernel);
        let mut times: Vec<Duration> = (0..round_trips)
            .map(|i| clients[i * 7919 % target].round_trip()) // spread over all
            .collect::<io::Result<_>>()?;
        times.sort();
        rows.push(Row {
            model,
            connections: target,
            per_connection: grown as f64 / target as f64,
            kernel_per_connection: kernel as f64 / target as f64,
            p50: times[times.len() / 2],
            p99: times[times.len() * 99 / 100],
        });
    }
    Ok(())
}
// ANCHOR_END: c10k

fn print_table(rows: &[Row]) {
    println!(
        "\n{:<8} {:>12} {:>15} {:>15} {:>11} {:>11}",
        "model", "connections", "RSS/conn", "kernel/conn", "echo p50", "echo p99"
    );
    for row in rows {
        let kib = |bytes: f64| format!("{:.1} KiB", bytes / 1024.0);
        println!(
            "{:<8} {:>12} {:>15} {:>15} {:>11.1?} {:>11.1?}",
            format!("{:?}", row.model).to_lowercase(),
            row.connections,
            kib(row.per_connection),
            kib(row.kernel_per_connection),
            row.p50,
            row.p99
        );
    }
    println!(
        "\nRSS/conn: the server's resident memory, grown, per connection. kernel/conn:\n\
         the kernel's thread stacks (all processes), grown, per connection: not in RSS."
    );
}
