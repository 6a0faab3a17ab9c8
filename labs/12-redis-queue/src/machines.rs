//! Machines, simulated: each "machine" a Linux network namespace of its
//! own, linked to the Redis server's namespace by a virtual cable (a veth
//! pair), with a delay of the lab's own on the way (this kernel has no
//! `netem`). Workers started in a machine's namespace reach the server
//! only through its cable: cut the cable (`ip link set … down`) and the
//! machine is cut off; kill every worker of a machine and the machine is
//! dead. Nothing leaves the namespaces made here: the server listens only
//! inside its own, and the test's own connections are made from a thread
//! moved into it. Every namespace is removed when the [`Network`] is
//! dropped. Needs root (or `CAP_SYS_ADMIN`) and `ip` (iproute2).
//!
//! Addresses: machine `m` (from 1) is `10.77.m.2`, and reaches the server
//! at `10.77.m.1`, its end of the cable in the server's namespace.

use crate::real::{Here, Launch, Queue, RedisServer, Run, RunReport, run_queue_launched};
use std::collections::BTreeSet;
use std::fs::File;
use std::io::{self, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::os::fd::AsFd;
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

/// A server's namespace and its machines', removed when dropped.
pub struct Network {
    /// The prefix of every namespace's name: unique to this process and
    /// network, so that tests at once do not meet.
    prefix: String,
    /// How many machines.
    pub machines: usize,
}

/// Why no network of namespaces could be made here.
#[derive(Debug)]
pub struct NoNamespaces(pub String);

impl std::fmt::Display for NoNamespaces {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "no network namespaces here ({}): they need root (or CAP_SYS_ADMIN) and `ip` \
             (iproute2)",
            self.0
        )
    }
}

/// Runs `ip ARGS...`; its error output if it failed.
fn ip(args: &[&str]) -> Result<(), String> {
    let output = Command::new("ip")
        .args(args)
        .stdin(Stdio::null())
        .output()
        .map_err(|error| format!("ip: {error}"))?;
    if output.status.success() {
        Ok(())
    } else {
        Err(format!(
            "ip {}: {}",
            args.join(" "),
            String::from_utf8_lossy(&output.stderr).trim()
        ))
    }
}

impl Network {
    /// The server's namespace and `machines` machines, each linked to it.
    pub fn create(machines: usize) -> Result<Self, NoNamespaces> {
        static NETWORKS: AtomicUsize = AtomicUsize::new(0);
        let network = Self {
            prefix: format!(
                "l12-{}-{}",
                std::process::id(),
                NETWORKS.fetch_add(1, Ordering::Relaxed)
            ),
            machines,
        };
        // From here, dropping `network` removes whatever was made.
        let server = network.namespace(0);
        ip(&["netns", "add", &server]).map_err(NoNamespaces)?;
        ip(&["-n", &server, "link", "set", "lo", "up"]).map_err(NoNamespaces)?;
        for machine in 1..=machines {
            let name = network.namespace(machine);
            let (near, far) = (
                format!("10.77.{machine}.1/24"),
                format!("10.77.{machine}.2/24"),
            );
            let cable = format!("m{machine}");
            let steps: [&[&str]; 7] = [
                &["netns", "add", &name],
                &["-n", &name, "link", "set", "lo", "up"],
                // One end in the server's namespace, one in the machine's.
                &[
                    "link", "add", &cable, "netns", &server, "type", "veth", "peer", "name",
                    "cable", "netns", &name,
                ],
                &["-n", &server, "addr", "add", &near, "dev", &cable],
                &["-n", &name, "addr", "add", &far, "dev", "cable"],
                &["-n", &server, "link", "set", &cable, "up"],
                &["-n", &name, "link", "set", "cable", "up"],
            ];
            for step in steps {
                ip(step).map_err(NoNamespaces)?;
            }
        }
        Ok(network)
    }

    /// Namespace `0` is the server's; `1..=machines` are the machines'.
    pub fn namespace(&self, which: usize) -> String {
        match which {
            0 => format!("{}-srv", self.prefix),
            machine => format!("{}-m{machine}", self.prefix),
        }
    }

    /// The server's address as machine `machine` reaches it.
    pub fn server_address(machine: usize) -> String {
        format!("10.77.{machine}.1")
    }

    /// Runs `f` on a thread moved into namespace `which`: every socket it
    /// opens, every process and thread it starts, is in there.
    pub fn inside<T: Send>(&self, which: usize, f: impl FnOnce() -> T + Send) -> io::Result<T> {
        let path = format!("/run/netns/{}", self.namespace(which));
        let file =
            File::open(&path).map_err(|e| io::Error::new(e.kind(), format!("{path}: {e}")))?;
        thread::scope(|scope| {
            scope
                .spawn(move || {
                    rustix::thread::move_into_link_name_space(
                        file.as_fd(),
                        Some(rustix::thread::LinkNameSpaceType::Network),
                    )
                    .map_err(|e| io::Error::other(format!("setns into {path}: {e}")))?;
                    Ok(f())
                })
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
        })
    }

    /// Cuts machine `machine`'s cable (its end goes down): its workers
    /// live on, and reach nothing.
    pub fn cut(&self, machine: usize) -> io::Result<()> {
        ip(&[
            "-n",
            &self.namespace(machine),
            "link",
            "set",
            "cable",
            "down",
        ])
        .map_err(io::Error::other)
    }

    /// Plugs machine `machine`'s cable back in.
    pub fn restore(&self, machine: usize) -> io::Result<()> {
        ip(&["-n", &self.namespace(machine), "link", "set", "cable", "up"])
            .map_err(io::Error::other)
    }
}

impl Drop for Network {
    fn drop(&mut self) {
        // Removing a namespace removes its end of each cable, and so the
        // cable. A namespace that was never made: nothing to remove.
        for which in 0..=self.machines {
            let _ = ip(&["netns", "del", &self.namespace(which)]);
        }
    }
}

// ANCHOR: delay
/// Forwards every connection to `listener` on to `to`, each byte
/// `one_way` later in each direction (a round trip `2 * one_way` longer),
/// without slowing the flow: bytes read are stamped and written when due,
/// so a pipeline of commands stays a pipeline. Runs until the process
/// ends.
pub fn delay(listener: TcpListener, to: SocketAddr, one_way: Duration) {
    thread::spawn(move || {
        for client in listener.incoming().map_while(Result::ok) {
            let Ok(server) = TcpStream::connect(to) else {
                continue; // the client sees its connection closed
            };
            for (from, into) in [(&client, &server), (&server, &client)] {
                let (from, into) = (from.try_clone(), into.try_clone());
                if let (Ok(from), Ok(into)) = (from, into) {
                    pump(from, into, one_way);
                }
            }
        }
    });
}

/// Copies `from` into `into`, each chunk `one_way` after it was read.
fn pump(mut from: TcpStream, mut into: TcpStream, one_way: Duration) {
    let (stamped, due) = mpsc::channel::<(Instant, Vec<u8>)>();
    thread::spawn(move || {
        let mut buffer = vec![0; 64 * 1024];
        while let Ok(read @ 1..) = from.read(&mut buffer) {
            if stamped
                .send((Instant::now() + one_way, buffer[..read].to_vec()))
                .is_err()
            {
                break;
            }
        }
    });
    thread::spawn(move || {
        for (when, bytes) in due {
            thread::sleep(when.saturating_duration_since(Instant::now()));
            if into.write_all(&bytes).is_err() {
                break;
            }
        }
        let _ = into.shutdown(Shutdown::Write); // the other side ended
    });
}
// ANCHOR_END: delay

/// Workers placed on the machines in turn (skipping dead ones), each
/// started inside its machine's namespace, connecting to the server
/// through its own cable (or through a delaying forwarder, at `urls`).
pub struct OnMachines<'a> {
    network: &'a Network,
    here: Here<'a>,
    /// The URL each machine's workers connect to, machine 1 first.
    urls: Vec<String>,
    placed: Mutex<Vec<(usize, u32)>>,
    dead: Mutex<BTreeSet<usize>>,
    next: AtomicUsize,
}

impl<'a> OnMachines<'a> {
    /// Workers `program args…` on `network`'s machines, machine `m`'s
    /// connecting to `urls[m - 1]`.
    pub fn new(
        network: &'a Network,
        program: &'a std::path::Path,
        args: &'a [&'a str],
        urls: Vec<String>,
    ) -> Self {
        Self {
            network,
            here: Here {
                program,
                args,
                url: "",
            },
            urls,
            placed: Mutex::new(Vec::new()),
            dead: Mutex::new(BTreeSet::new()),
            next: AtomicUsize::new(0),
        }
    }

    /// Kills every worker on machine `machine` at once with `SIGKILL`, and
    /// starts none there again: the machine is dead. How many it killed.
    pub fn kill_machine(&self, machine: usize) -> usize {
        self.dead.lock().expect("no panic holds it").insert(machine);
        let placed = self.placed.lock().expect("no panic holds it");
        placed
            .iter()
            .filter(|(on, _)| *on == machine)
            .filter_map(|(_, pid)| rustix::process::Pid::from_raw(*pid as i32))
            .filter(|pid| {
                rustix::process::kill_process(*pid, rustix::process::Signal::KILL).is_ok()
            })
            .count()
    }
}

impl Launch for OnMachines<'_> {
    fn launch(&self, name: &str) -> io::Result<Child> {
        let dead = self.dead.lock().expect("no panic holds it").clone();
        let machine = (0..self.network.machines)
            .map(|_| self.next.fetch_add(1, Ordering::Relaxed) % self.network.machines + 1)
            .find(|machine| !dead.contains(machine))
            .ok_or_else(|| io::Error::other("every machine is dead"))?;
        let name = format!("m{machine}-{name}");
        let mut command = self.here.command(&name, &self.urls[machine - 1]);
        let child = self.network.inside(machine, move || command.spawn())??;
        self.placed
            .lock()
            .expect("no panic holds it")
            .push((machine, child.id()));
        Ok(child)
    }

    fn describe(&self) -> String {
        format!("{} on a machine", self.here.program.display())
    }
}

// ANCHOR: scenarios
/// A run of the lists' queue on `network`'s two machines, 2 workers each,
/// each job `work_ms` of work; `during` is called with the count done.
fn on_two_machines(
    network: &Network,
    server: &RedisServer,
    program: &std::path::Path,
    jobs: u64,
    work_ms: &str,
    during: &mut (dyn FnMut(&OnMachines, u64) -> io::Result<()> + Send),
) -> io::Result<RunReport> {
    let args = ["worker", "--work-ms", work_ms];
    let urls = (1..=2)
        .map(|machine| {
            format!(
                "redis://{}:{}/",
                Network::server_address(machine),
                server.port
            )
        })
        .collect();
    let machines = OnMachines::new(network, program, &args, urls);
    let run = Run {
        workers: 4,
        jobs,
        kill_every: None,
        patience: Duration::from_secs(60),
    };
    network.inside(0, || {
        let mut during = |done| during(&machines, done);
        run_queue_launched(Queue::Lists, &machines, &server.url, run, &mut during)
    })?
}

/// Machine 1 dies, both its workers at once, when a third of the jobs
/// are done (each 1 ms of work); how many workers it killed.
pub fn kill_a_machine(
    network: &Network,
    server: &RedisServer,
    program: &std::path::Path,
    jobs: u64,
) -> io::Result<(RunReport, usize)> {
    let mut killed = 0;
    let report = on_two_machines(
        network,
        server,
        program,
        jobs,
        "1",
        &mut |machines, done| {
            if killed == 0 && done >= jobs / 3 {
                killed = machines.kill_machine(1);
            }
            Ok(())
        },
    )?;
    Ok((report, killed))
}

/// Machine 2's cable is cut when a third of the jobs are done (each 2 ms
/// of work), and plugged back in `cut_for` later; whether it was back
/// before the run ended.
pub fn cut_a_machine_off(
    network: &Network,
    server: &RedisServer,
    program: &std::path::Path,
    jobs: u64,
    cut_for: Duration,
) -> io::Result<(RunReport, bool)> {
    let mut cut: Option<Instant> = None;
    let mut restored = false;
    let report = on_two_machines(network, server, program, jobs, "2", &mut |_, done| {
        match cut {
            None if done >= jobs / 3 => {
                network.cut(2)?;
                cut = Some(Instant::now());
            }
            Some(at) if !restored && at.elapsed() >= cut_for => {
                network.restore(2)?;
                restored = true;
            }
            _ => {}
        }
        Ok(())
    })?;
    Ok((report, restored))
}
// ANCHOR_END: scenarios
