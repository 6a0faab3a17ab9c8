//! The echo servers on real sockets (loopback only): each keeps serving
//! its good clients while others send garbage, overlong lines, or vanish
//! mid-line; and the C10k tool runs end to end with small numbers.

use lab_11::echo::{MAX_LINE, start_tasks_server, start_threads_server};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::Command;
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
    let overlong = vec![b'x'; MAX_LINE * 2];
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

#[test]
fn the_thread_per_connection_server_survives_bad_clients() {
    survives_bad_clients(start_threads_server().unwrap());
}

#[test]
fn the_task_per_connection_server_survives_bad_clients() {
    survives_bad_clients(start_tasks_server().unwrap());
}
// ANCHOR_END: survives

#[test]
fn the_c10k_tool_prints_its_table() {
    let output = Command::new(env!("CARGO_BIN_EXE_lab-11"))
        .args(["c10k", "--connections", "10,20", "--round-trips", "50"])
        .output()
        .expect("lab-11 starts");
    let table = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{table}");
    for model in ["threads", "tasks"] {
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
