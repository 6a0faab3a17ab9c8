//! An echo server, written twice: a thread per connection (std), and a
//! task per connection (tokio). Same protocol: each line a client sends
//! (up to [`MAX_LINE`] bytes, UTF-8, ending in `\n`) comes back; anything
//! else gets one `error: ...` line and the connection is closed. A client
//! that disconnects mid-line is simply gone. Neither ever takes the
//! server down. A third, bare server (a task that echoes bytes, no lines)
//! is the floor the C10k tool reads the others' memory against.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::thread;
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt};

/// The longest line a client may send, newline included.
pub const MAX_LINE: usize = 1024;

/// What the server makes of what it read up to a newline (or the limit).
#[derive(Debug, PartialEq, Eq)]
pub enum Received {
    /// A line to echo.
    Line,
    /// The client closed the connection mid-line (or between lines).
    Gone,
    /// Not a line we serve: the reply says why.
    Refused(&'static str),
}

// ANCHOR: protocol
/// Judges `bytes`, read with `read_until(b'\n')` from at most
/// `MAX_LINE + 1` bytes of input.
pub fn judge(bytes: &[u8]) -> Received {
    if !bytes.ends_with(b"\n") {
        if bytes.len() > MAX_LINE {
            return Received::Refused("line too long");
        }
        return Received::Gone; // end of stream before the newline
    }
    if std::str::from_utf8(bytes).is_err() {
        return Received::Refused("not UTF-8");
    }
    Received::Line
}
// ANCHOR_END: protocol

// ANCHOR: threads
/// Serves every connection on a thread of its own, for ever.
pub fn serve_with_threads(listener: TcpListener) -> io::Result<()> {
    for stream in listener.incoming() {
        let stream = match stream {
            Ok(stream) => stream,
            Err(error) => {
                // Out of file descriptors, or a connection reset before we
                // took it: tell, wait a moment, keep serving.
                eprintln!("echo (threads): accept failed: {error}");
                thread::sleep(Duration::from_millis(10));
                continue;
            }
        };
        // Answers go out as they are written: see `serve_with_tasks`.
        let _ = stream.set_nodelay(true);
        let spawned = thread::Builder::new()
            .name("connection".into())
            .spawn(move || serve_connection(stream));
        if let Err(error) = spawned {
            eprintln!("echo (threads): cannot start a thread for a connection: {error}");
        }
    }
    Ok(())
}

fn serve_connection(stream: TcpStream) -> io::Result<()> {
    loop {
        // Idle, the thread holds no buffer: it waits for a byte (or the
        // end) without taking it. Both servers read a line the same way,
        // through a 1 KiB buffer made when a line starts to arrive: the
        // models' memory differs by how they run, not by what they read into.
        if stream.peek(&mut [0])? == 0 {
            return Ok(()); // the client closed the connection
        }
        let mut reader = BufReader::with_capacity(MAX_LINE, &stream);
        let mut line = Vec::new();
        loop {
            line.clear();
            (&mut reader)
                .take(MAX_LINE as u64 + 1)
                .read_until(b'\n', &mut line)?;
            match judge(&line) {
                Received::Line => (&stream).write_all(&line)?,
                Received::Gone => return Ok(()),
                Received::Refused(why) => return refuse(&stream, why),
            }
            if reader.buffer().is_empty() {
                break; // every line that arrived is served: idle again
            }
        }
    }
}
// ANCHOR_END: threads

/// Sends the one-line refusal in one write, says we send no more, and
/// reads (a bounded amount of) what the client is still sending, so that
/// closing does not reset the connection and destroy the reply in flight.
fn refuse(mut stream: &TcpStream, why: &str) -> io::Result<()> {
    stream.write_all(format!("error: {why}\n").as_bytes())?;
    stream.shutdown(std::net::Shutdown::Write)?;
    stream.set_read_timeout(Some(Duration::from_secs(1)))?;
    let _ = io::copy(&mut stream.take(1 << 20), &mut io::sink());
    Ok(())
}

// ANCHOR: tasks
/// Serves every connection on a tokio task of its own, for ever.
pub async fn serve_with_tasks(listener: tokio::net::TcpListener) -> io::Result<()> {
    loop {
        match listener.accept().await {
            Ok((stream, _)) => {
                // A client may send its next line before our answer to the
                // last is acknowledged; Nagle's algorithm would then hold
                // the answer back until the ACK (delayed up to 40 ms on
                // Linux) or the next request arrives. An echo answers at
                // once: no Nagle.
                let _ = stream.set_nodelay(true);
                tokio::spawn(serve_connection_async(stream));
            }
            Err(error) => {
                eprintln!("echo (tasks): accept failed: {error}");
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
        }
    }
}

async fn serve_connection_async(mut stream: tokio::net::TcpStream) -> io::Result<()> {
    loop {
        // Idle, the task holds its socket and no buffer: it waits until
        // the socket is readable (a line starts to arrive, or the end).
        // `poll_read_ready` rather than `readable()`, whose future (152
        // bytes: a place in a queue of readers, where this task is the
        // only one) every idle connection's task would carry.
        std::future::poll_fn(|cx| stream.poll_read_ready(cx)).await?;
        let mut reader = tokio::io::BufReader::with_capacity(MAX_LINE, &mut stream);
        let mut line = Vec::new();
        loop {
            line.clear();
            (&mut reader)
                .take(MAX_LINE as u64 + 1)
                .read_until(b'\n', &mut line)
                .await?;
            match judge(&line) {
                Received::Line => reader.write_all(&line).await?, // to the socket
                Received::Gone => return Ok(()),
                // Boxed: the refusal's timer and copy live on the heap
                // only when a client is refused, not in every task.
                Received::Refused(why) => return Box::pin(refuse_async(reader, why)).await,
            }
            if reader.buffer().is_empty() {
                break; // every line that arrived is served: idle again
            }
        }
    }
}

/// Sends the refusal, says we send no more, and reads what the client
/// still sends, for at most a second and a megabyte, so that closing does
/// not reset the connection and destroy the reply in flight.
async fn refuse_async(
    mut reader: tokio::io::BufReader<&mut tokio::net::TcpStream>,
    why: &str,
) -> io::Result<()> {
    reader
        .write_all(format!("error: {why}\n").as_bytes())
        .await?;
    reader.shutdown().await?;
    let (mut rest, mut sink) = (reader.take(1 << 20), tokio::io::sink());
    let drain = tokio::io::copy(&mut rest, &mut sink);
    let _ = tokio::time::timeout(Duration::from_secs(1), drain).await;
    Ok(())
}
// ANCHOR_END: tasks

// ANCHOR: bare
/// The least a connection can cost on tokio, to read the others against:
/// a task per connection that holds its socket and a 64-byte array, and
/// echoes whatever bytes come (no lines, no limit, no refusal).
pub async fn serve_bare(listener: tokio::net::TcpListener) -> io::Result<()> {
    loop {
        match listener.accept().await {
            Ok((stream, _)) => {
                tokio::spawn(echo_bytes(stream));
            }
            Err(error) => {
                eprintln!("echo (bare): accept failed: {error}");
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
        }
    }
}

async fn echo_bytes(mut stream: tokio::net::TcpStream) -> io::Result<()> {
    let mut chunk = [0; 64];
    loop {
        let read = stream.read(&mut chunk).await?;
        if read == 0 {
            return Ok(()); // the client closed the connection
        }
        stream.write_all(&chunk[..read]).await?;
    }
}
// ANCHOR_END: bare

// ANCHOR: future_sizes
/// The bytes of state a connection's task carries, `size_of_val` of the
/// future it runs: `(tasks, bare)`. Tokio's task adds its own header and
/// trailer around it, in a block aligned to 128 bytes.
pub fn future_sizes() -> io::Result<(usize, usize)> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .build()?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let address = listener.local_addr()?;
        let _clients = (
            tokio::net::TcpStream::connect(address).await?,
            tokio::net::TcpStream::connect(address).await?,
        );
        let (for_tasks, for_bare) = (listener.accept().await?.0, listener.accept().await?.0);
        // Made, measured and dropped, never run.
        let tasks = std::mem::size_of_val(&serve_connection_async(for_tasks));
        let bare = std::mem::size_of_val(&echo_bytes(for_bare));
        Ok((tasks, bare))
    })
}
// ANCHOR_END: future_sizes

/// Starts the thread-per-connection server on a free loopback port, on a
/// thread of its own; returns its address. For tests and benchmarks.
pub fn start_threads_server() -> io::Result<std::net::SocketAddr> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let address = listener.local_addr()?;
    thread::spawn(move || serve_with_threads(listener));
    Ok(address)
}

/// Starts the task-per-connection server on a free loopback port, on a
/// tokio runtime of its own; returns its address.
pub fn start_tasks_server() -> io::Result<std::net::SocketAddr> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    listener.set_nonblocking(true)?;
    let address = listener.local_addr()?;
    let runtime = tokio::runtime::Runtime::new()?;
    thread::spawn(move || {
        runtime.block_on(async {
            serve_with_tasks(tokio::net::TcpListener::from_std(listener)?).await
        })
    });
    Ok(address)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_is_echoed_and_anything_else_is_judged() {
        assert_eq!(judge(b"hello\n"), Received::Line);
        assert_eq!(judge(b"hel"), Received::Gone);
        assert_eq!(judge(b""), Received::Gone);
        assert_eq!(judge(b"\xff\xfe\n"), Received::Refused("not UTF-8"));
        assert_eq!(
            judge(&[b'a'; MAX_LINE + 1]),
            Received::Refused("line too long")
        );
    }
}
