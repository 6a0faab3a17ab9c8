//! Graceful shutdown, as every tokio service needs it: on SIGTERM or
//! Ctrl-C, stop accepting, tell the connections through a
//! `CancellationToken` (tokio-util), let the requests in flight finish
//! within a deadline, and lose none of them.
//!
//! The protocol, one request per line: a client sends `work <ms>`; the
//! server answers `started` at once, then `done <ms>` after `ms`
//! milliseconds of work (a sleep standing for a database call). Anything
//! else gets `error: ...` and the connection goes on.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

/// The longest request a client may ask for, in milliseconds.
pub const MAX_WORK_MS: u64 = 10_000;

/// What a server did by the time it stopped.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stopped {
    /// Requests answered `done`.
    pub answered: u64,
    /// Connections still busy when the deadline passed, cut off.
    pub cut: u64,
}

/// `work 250` → 250.
fn parse(line: &str) -> Result<u64, String> {
    let ms = line
        .strip_prefix("work ")
        .and_then(|n| n.trim().parse::<u64>().ok())
        .ok_or_else(|| format!("expected `work <ms>`, got `{}`", line.trim()))?;
    if ms > MAX_WORK_MS {
        return Err(format!("{ms} ms is more than {MAX_WORK_MS}"));
    }
    Ok(ms)
}

// ANCHOR: connection
/// Serves one connection until the client closes it, or until shutdown
/// is asked *between* requests: a request already read is answered, unless
/// `cut_off` says the grace period is over.
async fn connection(
    stream: TcpStream,
    shutdown: CancellationToken,
    cut_off: CancellationToken,
    answered: Arc<AtomicU64>,
) {
    let (reader, mut writer) = stream.into_split();
    let mut lines = BufReader::new(reader).lines();
    loop {
        // `biased`: a request already here is read before the shutdown is
        // looked at; `next_line` is cancel safe (tokio's documentation says
        // so), so losing this race to the shutdown drops no half-read line.
        let line = tokio::select! {
            biased;
            line = lines.next_line() => line,
            _ = shutdown.cancelled() => return, // idle between requests: stop here
        };
        let Ok(Some(line)) = line else {
            return; // the client closed, or its connection broke
        };
        let ms = match parse(&line) {
            Ok(ms) => ms,
            Err(why) => {
                if writer
                    .write_all(format!("error: {why}\n").as_bytes())
                    .await
                    .is_err()
                {
                    return;
                }
                continue;
            }
        };
        if writer.write_all(b"started\n").await.is_err() {
            return;
        }
        tokio::select! {
            _ = tokio::time::sleep(Duration::from_millis(ms)) => {} // the work
            _ = cut_off.cancelled() => return, // the grace is over: cut
        }
        if writer
            .write_all(format!("done {ms}\n").as_bytes())
            .await
            .is_err()
        {
            return; // the client left before its answer: nobody to tell
        }
        answered.fetch_add(1, Ordering::Relaxed);
    }
}
// ANCHOR_END: connection

// ANCHOR: graceful
/// Accepts until `shutdown` is cancelled; then stops accepting, and waits
/// up to `grace` for the connections to finish the requests they are
/// serving. No request in flight is lost unless the deadline passes.
pub async fn serve_gracefully(
    listener: TcpListener,
    shutdown: CancellationToken,
    grace: Duration,
) -> Stopped {
    let answered = Arc::new(AtomicU64::new(0));
    let cut_off = CancellationToken::new();
    let connections = TaskTracker::new();
    loop {
        tokio::select! {
            _ = shutdown.cancelled() => break,
            accepted = listener.accept() => {
                if let Ok((stream, _)) = accepted {
                    let (shutdown, cut_off) = (shutdown.clone(), cut_off.clone());
                    connections.spawn(connection(stream, shutdown, cut_off, Arc::clone(&answered)));
                }
                // An accept error (out of file descriptors) is this
                // client's: the server goes on.
            }
        }
    }
    drop(listener); // new clients are refused from here
    connections.close(); // no more will be spawned: `wait` can end
    let finished = tokio::time::timeout(grace, connections.wait()).await;
    let cut = if finished.is_ok() {
        0
    } else {
        // The grace is over: cut the rest, and wait for them to go.
        let late = connections.len() as u64;
        cut_off.cancel();
        connections.wait().await;
        late
    };
    Stopped {
        answered: answered.load(Ordering::Relaxed),
        cut,
    }
}
// ANCHOR_END: graceful

// ANCHOR: abrupt
/// The shutdown most servers start with: stop when told, and let the
/// connections go with the server. Dropping the `JoinSet` aborts every
/// connection at the `.await` it was at, mid-request.
pub async fn serve_abruptly(listener: TcpListener, shutdown: CancellationToken) -> Stopped {
    let answered = Arc::new(AtomicU64::new(0));
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            _ = shutdown.cancelled() => break,
            accepted = listener.accept() => {
                if let Ok((stream, _)) = accepted {
                    let (shutdown, never) = (shutdown.clone(), CancellationToken::new());
                    connections.spawn(connection(stream, shutdown, never, Arc::clone(&answered)));
                }
            }
        }
    }
    let cut = connections.len() as u64;
    drop(connections); // every connection aborted, its request unanswered
    Stopped {
        answered: answered.load(Ordering::Relaxed),
        cut,
    }
}
// ANCHOR_END: abrupt

// ANCHOR: signals
/// Installs handlers for SIGTERM and Ctrl-C (SIGINT) now, so that a signal
/// from here on is caught, not fatal; the future it returns cancels
/// `shutdown` at the first one. (tokio never restores a signal's default
/// action: a second Ctrl-C during the grace period does nothing more.)
pub fn cancel_on_signal(
    shutdown: CancellationToken,
) -> std::io::Result<impl std::future::Future<Output = ()>> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut terminate = signal(SignalKind::terminate())?;
    let mut interrupt = signal(SignalKind::interrupt())?;
    Ok(async move {
        tokio::select! {
            _ = terminate.recv() => eprintln!("SIGTERM: shutting down"),
            _ = interrupt.recv() => eprintln!("Ctrl-C: shutting down"),
        }
        shutdown.cancel();
    })
}
// ANCHOR_END: signals

/// `lab-11 serve-until-signal`: serves on 127.0.0.1 (printing `listening
/// on ADDR`) until SIGTERM or Ctrl-C, then shuts down gracefully (or, with
/// `abrupt`, the way that cuts requests) and prints what it did.
pub fn serve_until_signal(grace: Duration, abrupt: bool) -> Result<(), String> {
    let runtime = tokio::runtime::Runtime::new().map_err(|e| format!("a tokio runtime: {e}"))?;
    runtime.block_on(async {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .map_err(|e| format!("cannot listen on 127.0.0.1: {e}"))?;
        let address = listener.local_addr().map_err(|e| e.to_string())?;
        let shutdown = CancellationToken::new();
        // Handlers first, then the address: a client (or a test) that
        // reads it may send SIGTERM at once, and it must be caught.
        let signalled = cancel_on_signal(shutdown.clone())
            .map_err(|e| format!("cannot catch SIGTERM and Ctrl-C: {e}"))?;
        let signals = tokio::spawn(signalled);
        println!("listening on {address}");
        let stopped = if abrupt {
            serve_abruptly(listener, shutdown).await
        } else {
            serve_gracefully(listener, shutdown, grace).await
        };
        signals.abort();
        let plural = |n: u64, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
        println!(
            "stopped: {} answered, {} cut",
            plural(stopped.answered, "request"),
            plural(stopped.cut, "connection")
        );
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::parse;

    #[test]
    fn a_request_is_work_and_a_number_of_milliseconds_within_the_limit() {
        assert_eq!(parse("work 250"), Ok(250));
        assert!(parse("work").is_err());
        assert!(parse("work -1").is_err());
        assert!(parse("sleep 5").is_err());
        assert!(parse("work 10001").unwrap_err().contains("more than"));
    }
}
