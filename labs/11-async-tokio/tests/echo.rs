//! The echo servers on real sockets (loopback only): each keeps serving
//! its good clients while others send garbage, overlong lines, or vanish
//! mid-line; and the C10k tool runs end to end with small numbers.

use lab_11::echo::{MAX_LINE, start_tasks_server, start_threads_server};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::{Command, Stdio};
use std::time::Duration;

fn connect(address: SocketAddr) -> BufReader<TcpStream> {
    let stream = TcpStream::connect(address).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    BufReader::new(stream)
}

fn echo(client: &mut BufReader<TcpStream>, line: &str) -> String {
    client.get_ref().write_all(line.as_bytes()).unwrap();
    let mut reply = String::new();
    client.read_line(&mut reply).unwrap();
    reply
}

/// What the server says to `sent`, up to closing the connection.
fn last_words(address: SocketAddr, sent: &[u8]) -> String {
    let mut client = connect(address);
    client.get_ref().write_all(sent).unwrap();
    let mut reply = String::new();
    client.read_to_string(&mut reply).unwrap();
    reply
}

// ANCHOR: survives
fn survives_bad_clients(address: SocketAddr) {
    let mut good = connect(address);
    assert_eq!(echo(&mut good, "hello\n"), "hello\n");

    assert_eq!(last_words(address, b"\xff\xfe\n"), "error: not UTF-8\n");
    let overlong = vec![b'x'; 64 * MAX_LINE]; // more than any buffer takes in
    assert_eq!(last_words(address, &overlong), "error: line too long\n");
    for _ in 0..10 {
        let mut gone = TcpStream::connect(address).unwrap();
        gone.write_all(b"half a mess").unwrap(); // and disconnects mid-line
    }
    drop(TcpStream::connect(address).unwrap()); // and one that says nothing

    assert_eq!(echo(&mut good, "still here?\n"), "still here?\n");
    let mut newcomer = connect(address);
    assert_eq!(echo(&mut newcomer, "hi\n"), "hi\n");
}

/// Runs `survives_bad_clients` against `lab-11 serve --model <model>`, a
/// process of its own, and then checks what the server wrote to stderr:
/// a handler that panicked would have said so there (and the test above
/// would not notice: a panic ends only its own connection).
fn a_server_process_survives_bad_clients(model: &str) {
    /// The server process, killed when dropped: also when an assertion
    /// fails on the way, so no server outlives its test.
    struct Server(std::process::Child);
    impl Drop for Server {
        fn drop(&mut self) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
    let mut server = Server(
        Command::new(env!("CARGO_BIN_EXE_lab-11"))
            .args(["serve", "--model", model])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("lab-11 starts"),
    );
    let mut line = String::new();
    BufReader::new(server.0.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let address = line.trim().strip_prefix("listening on ").unwrap();
    survives_bad_clients(address.parse().unwrap());
    let mut stderr_pipe = server.0.stderr.take().unwrap();
    drop(server); // killed: its stderr ends
    let mut stderr = String::new();
    stderr_pipe.read_to_string(&mut stderr).unwrap();
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn the_thread_per_connection_server_survives_bad_clients() {
    survives_bad_clients(start_threads_server().unwrap());
    a_server_process_survives_bad_clients("threads");
}

#[test]
fn the_task_per_connection_server_survives_bad_clients() {
    survives_bad_clients(start_tasks_server().unwrap());
    a_server_process_survives_bad_clients("tasks");
}
// ANCHOR_END: survives

/// Lines sent in one write, and a line sent in pieces: each comes back
/// whole, in order. (The servers make their read buffer when a line
/// arrives and drop it once all that arrived is served: what was read
/// past a newline must be served before it is dropped.)
fn echoes_lines_however_they_arrive(address: SocketAddr) {
    let mut client = connect(address);
    client.get_ref().write_all(b"one\ntwo\nthree\n").unwrap();
    for expected in ["one\n", "two\n", "three\n"] {
        let mut reply = String::new();
        client.read_line(&mut reply).unwrap();
        assert_eq!(reply, expected);
    }
    for piece in [&b"ha"[..], b"lf a ", b"line\nand the next\n"] {
        client.get_ref().write_all(piece).unwrap();
        std::thread::sleep(Duration::from_millis(20)); // likely read apart
    }
    for expected in ["half a line\n", "and the next\n"] {
        let mut reply = String::new();
        client.read_line(&mut reply).unwrap();
        assert_eq!(reply, expected);
    }
}

#[test]
fn both_servers_echo_lines_however_they_arrive() {
    echoes_lines_however_they_arrive(start_threads_server().unwrap());
    echoes_lines_however_they_arrive(start_tasks_server().unwrap());
}

#[test]
fn the_c10k_tool_prints_its_table() {
    let output = Command::new(env!("CARGO_BIN_EXE_lab-11"))
        .args(["c10k", "--connections", "10,20", "--round-trips", "50"])
        .output()
        .expect("lab-11 starts");
    let table = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{table}");
    for model in ["threads", "tasks", "bare"] {
        for connections in [10, 20] {
            let row = table.lines().find(|line| {
                let words: Vec<&str> = line.split_whitespace().collect();
                words.first() == Some(&model)
                    && words.get(1) == Some(&connections.to_string().as_str())
            });
            assert!(
                row.is_some(),
                "no row for {model} with {connections}:\n{table}"
            );
        }
    }
}
