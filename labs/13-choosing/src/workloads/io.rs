//! `io`: a few hundred requests to a loopback server that answers each
//! after a fixed delay, 32 in flight at a time (claim C3: for I/O-bound
//! work, threads are as good as processes). The server is this lab's own
//! binary (`lab-13 delay-server`), in a process of its own so that its CPU
//! time is not counted in any row.

use super::{Ctx, Fit, Outcome, Progress};
use crate::jobs::Task;
use crate::models::{Model, Size, Workload};
use std::io::{self, BufRead, BufReader, Write};
use std::net::SocketAddr;
use std::time::Duration;

/// How long the server waits before it answers a request.
pub const DELAY: Duration = Duration::from_millis(10);
/// Requests in flight at once, in every model that can have many.
pub const IN_FLIGHT: usize = 32;

/// The jobs: one request each.
pub fn tasks(size: Size, server: SocketAddr) -> Vec<Task> {
    (0..size.scale(200))
        .map(|n| Task::Request { server, n })
        .collect()
}

/// Every row of the table.
pub fn rows(ctx: &Ctx, progress: Progress) -> Vec<(Model, Outcome)> {
    let server = match lab_11::c10k::Server::spawn(&["delay-server"]) {
        Ok(server) => server,
        Err(error) => {
            let error = format!("the delay server did not start: {error}");
            return Workload::Io
                .models()
                .into_iter()
                .map(|model| {
                    (
                        model,
                        Outcome::Failed {
                            error: error.clone(),
                        },
                    )
                })
                .collect();
        }
    };
    let tasks = tasks(ctx.size, server.address());
    super::job_rows(
        Workload::Io,
        &tasks,
        IN_FLIGHT,
        ctx,
        progress,
        |model| match model {
            Model::EventLoop => Fit::NotApplicable(
                "lab-10's loop polls only its own wake-up pipe, not sockets (chapter 10); \
             a loop that polls sockets is tokio's: see the tokio row",
            ),
            Model::Rayon => Fit::RunsBut(
                "rayon's pool has one thread per core, and a thread waiting for an answer holds one",
            ),
            Model::TokioRayon => {
                Fit::RunsBut("a request has no CPU part: the same as the tokio row")
            }
            Model::TokioBlocking => {
                Fit::RunsBut("a request has no CPU part: the same as the tokio row")
            }
            Model::RedisQueue => Fit::RunsBut("the queue keeps each job's answer, not its latency"),
            _ => Fit::Runs,
        },
    )
}

// ANCHOR: delay_server
/// The delay server: reads a line with a number `n` from each connection,
/// waits [`DELAY`], answers `2n + 1`; anything else gets an `error:` line.
/// Many connections at once, on tokio: one task each.
pub async fn delay_server(listener: tokio::net::TcpListener) -> io::Result<()> {
    use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt};
    loop {
        let (stream, _) = match listener.accept().await {
            Ok(accepted) => accepted,
            Err(error) => {
                eprintln!("delay server: accept failed: {error}");
                tokio::time::sleep(Duration::from_millis(10)).await;
                continue;
            }
        };
        tokio::spawn(async move {
            let (reader, mut writer) = stream.into_split();
            let mut bytes = Vec::new();
            // At most 64 bytes (a number is shorter), within 10 s: a client
            // that sends no line does not hold its task for ever.
            let mut reader = tokio::io::BufReader::new(reader.take(64));
            let read = reader.read_until(b'\n', &mut bytes);
            let reply = match tokio::time::timeout(Duration::from_secs(10), read).await {
                Err(_) => String::from("error: no line within 10 s\n"),
                Ok(Err(_)) => return, // the client is gone
                Ok(Ok(_)) => match std::str::from_utf8(&bytes).map(|l| l.trim().parse::<u64>()) {
                    Ok(Ok(n)) => {
                        tokio::time::sleep(DELAY).await;
                        format!("{}\n", n.wrapping_mul(2).wrapping_add(1))
                    }
                    Ok(Err(_)) => {
                        let line = String::from_utf8_lossy(&bytes);
                        format!("error: {:?} is not a number\n", line.trim())
                    }
                    Err(_) => String::from("error: not UTF-8\n"),
                },
            };
            let _ = writer.write_all(reply.as_bytes()).await;
        });
    }
}
// ANCHOR_END: delay_server

/// `lab-13 delay-server`: binds a free loopback port, prints `listening on
/// ADDRESS`, and serves until killed.
pub fn serve_delays() -> io::Result<()> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    println!("listening on {}", listener.local_addr()?);
    io::stdout().flush()?;
    listener.set_nonblocking(true)?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async { delay_server(tokio::net::TcpListener::from_std(listener)?).await })
}

/// Reads one request by hand, for the tests: what the server answers.
pub fn ask(server: SocketAddr, line: &str) -> io::Result<String> {
    let stream = std::net::TcpStream::connect(server)?;
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    (&stream).write_all(line.as_bytes())?;
    let mut answer = String::new();
    BufReader::new(&stream).read_line(&mut answer)?;
    Ok(answer)
}
