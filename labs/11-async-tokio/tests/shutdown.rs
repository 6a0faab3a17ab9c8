//! Graceful shutdown, tested for real: clients are mid-request when the
//! server is told to stop, in this process (a `CancellationToken`) and in a
//! server process of its own (a real SIGTERM). The right shutdown answers
//! every one of them; the abrupt one, the wrong version, must lose them.
//!
//! No test depends on how long anything takes: the right server's
//! requests take 300 ms against a grace of 30 s, so it answers on any
//! machine not stalled for half a minute; the wrong server's requests take
//! 10 s, far longer than it takes to stop it, and the test never waits for
//! them. Every read has a timeout that names what it waited for.

use lab_11::shutdown::{Stopped, serve_abruptly, serve_gracefully};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::Duration;
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;

/// How long any one read may wait: far beyond a 300 ms request.
const READ_LIMIT: Duration = Duration::from_secs(20);

/// Clients mid-request at the shutdown.
const CLIENTS: usize = 4;

/// A client that has sent `work <ms>` and read `started`: its request is in
/// flight on the server.
struct InFlight {
    name: String,
    lines: BufReader<TcpStream>,
}

fn start_request(address: SocketAddr, name: &str, ms: u64) -> InFlight {
    let mut stream = TcpStream::connect(address)
        .unwrap_or_else(|e| panic!("{name}: cannot connect to {address}: {e}"));
    stream.set_read_timeout(Some(READ_LIMIT)).unwrap();
    stream
        .write_all(format!("work {ms}\n").as_bytes())
        .unwrap_or_else(|e| panic!("{name}: cannot send its request: {e}"));
    let mut lines = BufReader::new(stream);
    let first = read_line(&mut lines, name, "`started`");
    assert_eq!(first, "started", "{name}");
    InFlight {
        name: name.to_string(),
        lines,
    }
}

/// One line, or "" at the end of the stream; panics, saying what it waited
/// for, if nothing comes within the limit.
fn read_line(lines: &mut BufReader<TcpStream>, name: &str, waiting_for: &str) -> String {
    let mut line = String::new();
    match lines.read_line(&mut line) {
        Ok(_) => line.trim_end().to_string(),
        Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => String::new(),
        Err(e) => panic!(
            "{name} waited {READ_LIMIT:?} for {waiting_for} and got nothing ({e}): \
             the server neither answered nor closed"
        ),
    }
}

/// The answers of the clients in flight: `Err` lists those that got none.
fn answers(clients: Vec<InFlight>, ms: u64) -> Result<(), String> {
    let mut lost = Vec::new();
    for mut client in clients {
        let line = read_line(&mut client.lines, &client.name, "its answer");
        if line != format!("done {ms}") {
            lost.push(format!("{} got {line:?}", client.name));
        }
    }
    if lost.is_empty() {
        Ok(())
    } else {
        Err(format!("requests in flight lost: {}", lost.join("; ")))
    }
}

/// Runs `serve` in this process; puts `CLIENTS` requests in flight, plus
/// a client that sends garbage and one that leaves mid-request; cancels;
/// returns what the server said it did and whether every request in
/// flight was answered.
fn shut_down_mid_request<F, Fut>(serve: F, ms: u64) -> (Stopped, Result<(), String>)
where
    F: FnOnce(TcpListener, CancellationToken) -> Fut + Send + 'static,
    Fut: std::future::Future<Output = Stopped> + Send + 'static,
{
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let listener = runtime.block_on(TcpListener::bind("127.0.0.1:0")).unwrap();
    let address = listener.local_addr().unwrap();
    let shutdown = CancellationToken::new();
    let server = runtime.spawn(serve(listener, shutdown.clone()));

    // Bad input first: garbage gets an error and the connection goes on...
    let mut garbage = TcpStream::connect(address).unwrap();
    garbage.set_read_timeout(Some(READ_LIMIT)).unwrap();
    garbage.write_all(b"hello?\n").unwrap();
    let mut garbage = BufReader::new(garbage);
    let said = read_line(&mut garbage, "the garbage client", "an error");
    assert!(said.starts_with("error: expected `work <ms>`"), "{said}");
    garbage.get_mut().write_all(b"work 1\n").unwrap();
    let then = [
        read_line(&mut garbage, "the garbage client", "`started`"),
        read_line(&mut garbage, "the garbage client", "`done 1`"),
    ];
    assert_eq!(
        then,
        ["started", "done 1"],
        "after an error, the connection goes on"
    );
    // ...and a client that leaves mid-request harms no one else.
    drop(start_request(address, "the client that leaves", 300));

    let clients: Vec<InFlight> = (1..=CLIENTS)
        .map(|n| start_request(address, &format!("client {n}"), ms))
        .collect();
    shutdown.cancel();
    let answered = answers(clients, ms);
    let stopped = runtime
        .block_on(async { tokio::time::timeout(READ_LIMIT * 2, server).await })
        .expect("the server returns after its shutdown")
        .expect("the server does not panic");
    // Stopped: a new client is refused.
    assert!(
        TcpStream::connect(address).is_err(),
        "the server stopped, yet a new client was accepted"
    );
    (stopped, answered)
}

// ANCHOR: graceful_test
#[test]
fn a_graceful_shutdown_answers_every_request_in_flight() {
    let (stopped, answered) =
        shut_down_mid_request(|l, s| serve_gracefully(l, s, Duration::from_secs(30)), 300);
    answered.unwrap();
    // The client that left was served too, with no one to read it.
    assert_eq!(stopped.cut, 0, "{stopped:?}");
    assert!(stopped.answered >= CLIENTS as u64, "{stopped:?}");
}

#[test]
fn an_abrupt_shutdown_loses_the_requests_in_flight() {
    let (stopped, answered) = shut_down_mid_request(serve_abruptly, 10_000);
    let lost = answered.expect_err("the abrupt shutdown answered every request");
    assert!(lost.contains("client 1 got \"\""), "{lost}");
    assert!(stopped.cut >= CLIENTS as u64, "{stopped:?}");
}
// ANCHOR_END: graceful_test

#[test]
fn a_request_longer_than_the_grace_is_cut_and_counted_and_the_server_still_stops() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let listener = runtime.block_on(TcpListener::bind("127.0.0.1:0")).unwrap();
    let address = listener.local_addr().unwrap();
    let shutdown = CancellationToken::new();
    // A grace of 50 ms against a request of 10 s.
    let server = runtime.spawn(serve_gracefully(
        listener,
        shutdown.clone(),
        Duration::from_millis(50),
    ));
    let client = start_request(address, "the long request", 10_000);
    shutdown.cancel();
    let stopped = runtime
        .block_on(async { tokio::time::timeout(READ_LIMIT, server).await })
        .expect("the server stops when its grace is over, not when the work is")
        .unwrap();
    assert_eq!(
        stopped,
        Stopped {
            answered: 0,
            cut: 1
        }
    );
    // Cut for real: the connection closes with no answer (not `done 10000`
    // ten seconds later).
    let lost = answers(vec![client], 10_000).expect_err("the cut request was answered");
    assert!(lost.contains("got \"\""), "{lost}");
}

/// The lab's binary serving until a signal; its address.
fn server_process(abrupt: bool) -> (Child, SocketAddr, BufReader<std::process::ChildStdout>) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_lab-11"));
    command.args(["serve-until-signal", "--grace-ms", "30000"]);
    if abrupt {
        command.arg("--abrupt");
    }
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the lab-11 binary starts");
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    stdout.read_line(&mut first).unwrap();
    let address = first
        .trim()
        .strip_prefix("listening on ")
        .unwrap_or_else(|| panic!("the server printed {first:?}, not its address"))
        .parse()
        .unwrap();
    (child, address, stdout)
}

/// Sends SIGTERM to `child`, as a service manager does.
fn terminate(child: &Child) {
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(status.success(), "kill -TERM failed: {status}");
}

/// Waits for `child` to exit, for at most `READ_LIMIT`; kills it and
/// fails, saying so, if it does not.
fn exits(mut child: Child) -> (std::process::ExitStatus, String) {
    let deadline = std::time::Instant::now() + READ_LIMIT;
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("the server process did not exit within {READ_LIMIT:?} of SIGTERM: killed");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    (status, stderr)
}

// ANCHOR: signal_test
#[test]
fn sigterm_to_a_real_server_process_loses_no_request() {
    let (child, address, mut stdout) = server_process(false);
    let clients: Vec<InFlight> = (1..=3)
        .map(|n| start_request(address, &format!("client {n}"), 300))
        .collect();
    terminate(&child);
    answers(clients, 300).unwrap();
    let (status, stderr) = exits(child);
    assert!(status.success(), "{status}: {stderr}");
    assert!(stderr.contains("SIGTERM: shutting down"), "{stderr}");
    let mut last = String::new();
    stdout.read_line(&mut last).unwrap();
    assert_eq!(
        last.trim(),
        "stopped: 3 requests answered, 0 connections cut"
    );
}

#[test]
fn sigterm_to_the_abrupt_server_process_loses_its_requests() {
    let (child, address, _stdout) = server_process(true);
    let clients: Vec<InFlight> = (1..=3)
        .map(|n| start_request(address, &format!("client {n}"), 10_000))
        .collect();
    terminate(&child);
    let lost = answers(clients, 10_000).expect_err("the abrupt server answered every request");
    assert!(lost.contains("client 1"), "{lost}");
    let (status, stderr) = exits(child);
    assert!(status.success(), "{status}: {stderr}");
}
// ANCHOR_END: signal_test
