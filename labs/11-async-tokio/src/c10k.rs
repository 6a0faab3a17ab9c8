//! The C10k tool: an echo server in a process of its own, idle
//! connections opened to it step by step, and at each step the server's
//! memory per connection and the echo latency across them. `lab-11 c10k`
//! runs it; chapter 13 runs it again beside its other workloads.
//!
//! The server is started as `<this program> serve --model threads|tasks|bare`:
//! a binary that uses this module must have that command, calling [`serve`].

use crate::echo::{future_sizes, serve_bare, serve_with_tasks, serve_with_threads};
use std::io::{self, BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// How the echo server serves its connections.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Model {
    /// A thread per connection.
    Threads,
    /// A tokio task per connection, on a multi-threaded runtime.
    Tasks,
    /// The least a tokio connection can cost: a task that echoes raw bytes
    /// through a 64-byte array, no lines; the floor the others are read against.
    Bare,
}

/// Serves echo on 127.0.0.1 until killed, after printing
/// `listening on ADDRESS`.
pub fn serve(model: Model) -> io::Result<()> {
    raise_file_limit();
    let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    println!("listening on {}", listener.local_addr()?);
    io::stdout().flush()?;
    match model {
        Model::Threads => serve_with_threads(listener),
        Model::Tasks | Model::Bare => {
            listener.set_nonblocking(true)?;
            let runtime = tokio::runtime::Runtime::new()?;
            runtime.block_on(async {
                let listener = tokio::net::TcpListener::from_std(listener)?;
                match model {
                    Model::Bare => serve_bare(listener).await,
                    _ => serve_with_tasks(listener).await,
                }
            })
        }
    }
}

/// Raises this process's open-file limit to the most it may; returns it.
/// Children (the servers) inherit it.
pub fn raise_file_limit() -> u64 {
    use rustix::process::{Resource, getrlimit, setrlimit};
    let mut limit = getrlimit(Resource::Nofile);
    limit.current = limit.maximum;
    let _ = setrlimit(Resource::Nofile, limit);
    getrlimit(Resource::Nofile).current.unwrap_or(u64::MAX)
}

/// A server in a child process, killed when dropped.
pub struct Server {
    process: Child,
    address: SocketAddr,
}

impl Server {
    /// The address it listens on.
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// Starts `<this program> serve --model M`; waits for its address.
    pub fn start(model: Model) -> io::Result<Self> {
        let model = format!("{model:?}").to_lowercase();
        Self::spawn(&["serve", "--model", &model])
    }

    /// Starts `<this program> ARGS...`, a server that prints `listening on
    /// ADDRESS` first; waits for that line (10 s at most).
    pub fn spawn(args: &[&str]) -> io::Result<Self> {
        Self::spawn_program(&std::env::current_exe()?, args)
    }

    /// The same with another program: `program ARGS...`.
    pub fn spawn_program(program: &std::path::Path, args: &[&str]) -> io::Result<Self> {
        let mut process = Command::new(program)
            .args(args)
            .stdout(Stdio::piped())
            .spawn()?;
        let stdout = process.stdout.take().expect("piped");
        let (said, heard) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let _ = BufReader::new(stdout).read_line(&mut line);
            let _ = said.send(line);
        });
        let line = heard
            .recv_timeout(Duration::from_secs(10))
            .unwrap_or_default();
        let address = line
            .trim()
            .strip_prefix("listening on ")
            .and_then(|a| a.parse().ok());
        match address {
            Some(address) => Ok(Self { process, address }),
            None => {
                let _ = process.kill();
                let _ = process.wait();
                let error = format!("{args:?} said {line:?} instead of its address within 10 s");
                Err(io::Error::other(error))
            }
        }
    }

    /// The server's resident memory, from `/proc` (Linux).
    pub fn resident_bytes(&self) -> io::Result<u64> {
        kib_field(&format!("/proc/{}/status", self.process.id()), "VmRSS:")
    }
}

/// The memory the kernel holds for every thread's kernel-side stack, all
/// processes together (`KernelStack` in `/proc/meminfo`): not in any
/// process's RSS, but a cost of each thread all the same.
pub fn kernel_stacks() -> io::Result<u64> {
    kib_field("/proc/meminfo", "KernelStack:")
}

/// The bytes a `/proc` file gives, in kB, on the line starting with `field`.
pub fn kib_field(file: &str, field: &str) -> io::Result<u64> {
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
pub struct Row {
    /// The server's model.
    pub model: Model,
    /// Idle connections open.
    pub connections: usize,
    /// The server's resident memory, grown, per connection (bytes).
    pub per_connection: f64,
    /// The kernel's thread stacks (all processes), grown, per connection.
    pub kernel_per_connection: f64,
    /// Median echo round trip.
    pub p50: Duration,
    /// 99th percentile echo round trip.
    pub p99: Duration,
}

// ANCHOR: c10k
/// Measures the three servers at each step, and prints the table.
pub fn c10k(steps: &[usize], round_trips: usize) -> io::Result<()> {
    if steps.is_empty() || steps[0] == 0 || steps.windows(2).any(|w| w[0] >= w[1]) {
        let error = "--connections must be rising numbers above 0, like 100,1000,10000";
        return Err(io::Error::new(io::ErrorKind::InvalidInput, error));
    }
    let limit = raise_file_limit();
    println!("open files allowed: {limit}; round trips timed per step: {round_trips}");
    let (tasks_future, bare_future) = future_sizes()?;
    println!(
        "a connection's future: {tasks_future} bytes (tasks), {bare_future} bytes (bare); \
         the tasks' 1 KiB line buffer exists only while a line arrives\n"
    );
    let mut rows = Vec::new();
    for model in [Model::Threads, Model::Tasks, Model::Bare] {
        // A model that fails stops where it failed; the table keeps the
        // steps it finished, and the other models still run.
        if let Err(error) = measure(model, steps, round_trips, limit, &mut rows) {
            println!("{model:?}: stopped: {error}");
        }
    }
    print_table(&rows);
    Ok(())
}

/// Measures one model at each step, adding a row per step it completes.
pub fn measure(
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

/// Prints the rows as a table, with what the columns mean.
pub fn print_table(rows: &[Row]) {
    println!(
        "\n{:<8} {:>12} {:>15} {:>9} {:>15} {:>11} {:>11}",
        "model", "connections", "RSS/conn", "÷ bare", "kernel/conn", "echo p50", "echo p99"
    );
    for row in rows {
        let kib = |bytes: f64| format!("{:.1} KiB", bytes / 1024.0);
        // The floor measured in this run, with as many connections.
        let bare = rows
            .iter()
            .find(|r| r.model == Model::Bare && r.connections == row.connections);
        let ratio = match bare {
            Some(bare) if bare.per_connection > 0.0 => {
                format!("{:.2}", row.per_connection / bare.per_connection)
            }
            _ => String::from("?"),
        };
        println!(
            "{:<8} {:>12} {:>15} {:>9} {:>15} {:>11.1?} {:>11.1?}",
            format!("{:?}", row.model).to_lowercase(),
            row.connections,
            kib(row.per_connection),
            ratio,
            kib(row.kernel_per_connection),
            row.p50,
            row.p99
        );
    }
    println!(
        "\nRSS/conn: the server's resident memory, grown, per connection; ÷ bare: that,\n\
         divided by the bare server's with as many connections in this run (a task\n\
         holding only its socket: the least a connection costs on tokio). kernel/conn:\n\
         the kernel's thread stacks (all processes), grown, per connection: not in RSS."
    );
}
