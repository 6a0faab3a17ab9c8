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
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::fs::File;
use std::io::{self, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::os::fd::AsFd;
use std::path::PathBuf;
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

/// What `lab-12 machines` measured, as it saves it (JSON) for lab-13's
/// scoreboard, which judges claim C17 from it.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct MachinesReport {
    /// Jobs a run, at least (a setting's own count is in its row).
    pub jobs: u64,
    /// Measured runs of each setting, taking turns (after a warm-up run of
    /// each, not counted).
    pub rounds: usize,
    /// Cores this program could use.
    pub cores: usize,
    /// Cores' worth of CPU a spinning thread per core was given, before
    /// the first run and after the last (the lower of the two).
    pub cores_free: f64,
    /// Whether this program was built optimised (`--release`).
    pub optimised: bool,
    /// Jobs a second, each setting's runs in the order they ran.
    pub throughput: Vec<Throughput>,
    /// Machine 1 killed, all its workers at once.
    pub machine_killed: Fault,
    /// Machine 2 cut off and plugged back in.
    pub cut_off: Fault,
    /// How long the whole measurement took, in seconds.
    pub seconds: f64,
}

/// One setting's throughput.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Throughput {
    /// Round-trip time added between each machine and the server.
    pub rtt_ms: u64,
    /// Workers on each of the two machines.
    pub per_machine: usize,
    /// Jobs a run of this setting: at least the run's `jobs`, more where
    /// a warm-up run ended in under [`LONG_ENOUGH`].
    pub jobs: u64,
    /// Jobs a second, one figure a round.
    pub jobs_per_second: Vec<f64>,
}

/// What a fault did to a run.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fault {
    /// Jobs pushed.
    pub jobs: u64,
    /// Jobs gone: neither done nor anywhere in the queue.
    pub lost: u64,
    /// Jobs still queued or held when the run gave up.
    pub unfinished: u64,
    /// Jobs the reaper took back.
    pub requeued: u64,
    /// Extra times jobs were done.
    pub done_twice: u64,
    /// Workers the fault killed at once (a machine killed; 0 for a cut).
    pub workers_killed: usize,
    /// For a cut: whether the cable was back before the run ended.
    pub restored: Option<bool>,
}

impl Fault {
    fn from(report: &RunReport) -> Self {
        Self {
            jobs: report.jobs,
            lost: report.lost,
            unfinished: report.unfinished,
            requeued: report.requeued,
            done_twice: report.done_twice,
            ..Self::default()
        }
    }
}

/// The settings measured: added round trip, then workers per machine.
pub const SETTINGS: [(u64, usize); 6] = [(0, 1), (0, 4), (1, 1), (1, 4), (5, 1), (5, 4)];

/// How long a measured run lasts at least. The run's end is seen by a
/// loop that looks every 20 ms, and its clock includes starting the
/// workers: a run of 0.1 s would be a fifth polling. Each setting's
/// warm-up run sizes its job count to last this long.
pub const LONG_ENOUGH: Duration = Duration::from_secs(1);

impl MachinesReport {
    /// Whether the run can carry a verdict on speed, or why not.
    pub fn judged(&self) -> Result<(), String> {
        if !self.optimised {
            return Err(String::from("a debug build: build with --release"));
        }
        if harness::machine::is_busy(self.cores_free, self.cores) {
            return Err(format!(
                "a busy machine: about {:.1} of {} cores were free",
                self.cores_free, self.cores
            ));
        }
        Ok(())
    }

    /// The setting's runs, in the order they ran.
    pub fn rates(&self, rtt_ms: u64, per_machine: usize) -> Option<&[f64]> {
        self.throughput
            .iter()
            .find(|t| t.rtt_ms == rtt_ms && t.per_machine == per_machine)
            .map(|t| t.jobs_per_second.as_slice())
    }

    /// The same report with only run `k` of each setting (lab-13 judges
    /// each run alone too, to tell a margin from the noise).
    pub fn round(&self, k: usize) -> Self {
        let mut alone = self.clone();
        alone.rounds = 1;
        for setting in &mut alone.throughput {
            setting.jobs_per_second = setting
                .jobs_per_second
                .get(k)
                .copied()
                .into_iter()
                .collect();
        }
        alone
    }
}

/// Where `lab-12 machines` saves its figures unless told otherwise, and
/// where lab-13 looks for them: `lab-12/machines.json` in the `target`
/// folder the running program was built in (so `sudo
/// ./target/release/lab-12 machines` and `cargo run -p lab-13` meet).
pub fn default_json() -> PathBuf {
    let target = std::env::current_exe()
        .ok()
        .and_then(|exe| {
            exe.ancestors()
                .find(|dir| dir.file_name().is_some_and(|n| n == "target"))
                .map(std::path::Path::to_path_buf)
        })
        .unwrap_or_else(|| PathBuf::from("target"));
    target.join("lab-12").join("machines.json")
}

/// A `lab-12 machines` run saved at `path`, if there is one; an error
/// says why a file there could not be read.
pub fn load(path: &std::path::Path) -> Result<Option<MachinesReport>, String> {
    match std::fs::read_to_string(path) {
        Ok(text) => serde_json::from_str(&text)
            .map(Some)
            .map_err(|e| format!("{}: not a `lab-12 machines` run: {e}", path.display())),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(format!("{}: {e}", path.display())),
    }
}

/// The median of `values`, if there are any.
pub fn median(values: &[f64]) -> Option<f64> {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    sorted.get(sorted.len() / 2).copied()
}

// ANCHOR: measure_machines
/// Measures the lists' queue on two machines: every setting of
/// [`SETTINGS`] `rounds` times, taking turns so that a slow moment
/// of the machine falls on every setting alike, after a warm-up run of
/// each that sizes its runs to last [`LONG_ENOUGH`] (at least `jobs`
/// jobs); then machine 1 killed and machine 2 cut off, `jobs` jobs each. `program` is this lab's
/// binary (its `worker`); `say` hears what is being run.
pub fn measure_machines(
    program: &std::path::Path,
    jobs: u64,
    rounds: usize,
    say: &mut dyn FnMut(&str),
) -> Result<MachinesReport, String> {
    if jobs == 0 || rounds == 0 {
        return Err(String::from("--jobs and --rounds must be above 0"));
    }
    let started = Instant::now();
    let cores = harness::machine::cores();
    let spin = Duration::from_millis(300);
    let free_before = harness::machine::cores_free(cores, spin);
    let network = Network::create(2).map_err(|e| e.to_string())?;
    let server = network
        .inside(0, RedisServer::start_for_machines)
        .map_err(|e| e.to_string())?
        .map_err(|e| e.to_string())?;
    let args = ["worker"];
    // Each machine's workers reach the server through a forwarder of
    // their own in the server's namespace that holds every byte rtt/2
    // each way; with no delay, straight through the cable.
    let mut urls_for = BTreeMap::new();
    for (rtt_ms, _) in SETTINGS {
        if urls_for.contains_key(&rtt_ms) {
            continue;
        }
        let urls: Vec<String> = (1..=2)
            .map(|machine| {
                let address = Network::server_address(machine);
                if rtt_ms == 0 {
                    return Ok(format!("redis://{address}:{}/", server.port));
                }
                network.inside(0, || {
                    let listener = TcpListener::bind(format!("{address}:0"))?;
                    let port = listener.local_addr()?.port();
                    let to = ([127, 0, 0, 1], server.port).into();
                    delay(listener, to, Duration::from_micros(rtt_ms * 500));
                    Ok::<_, io::Error>(format!("redis://{address}:{port}/"))
                })?
            })
            .collect::<io::Result<_>>()
            .map_err(|e| e.to_string())?;
        urls_for.insert(rtt_ms, urls);
    }
    let run_once = |rtt_ms: u64, per_machine: usize, jobs: u64| -> Result<f64, String> {
        let on = OnMachines::new(&network, program, &args, urls_for[&rtt_ms].clone());
        let run = Run {
            workers: 2 * per_machine,
            jobs,
            kill_every: None,
            patience: Duration::from_secs(120),
        };
        let report = network
            .inside(0, || {
                run_queue_launched(Queue::Lists, &on, &server.url, run, &mut |_| Ok(()))
            })
            .and_then(|report| report)
            .map_err(|e| e.to_string())?;
        if report.lost > 0 || report.unfinished > 0 {
            return Err(format!("a run with no fault lost or left jobs: {report:?}"));
        }
        Ok(jobs as f64 / report.elapsed.as_secs_f64())
    };
    // A warm-up run of each setting, not counted, which also sizes its
    // runs: enough jobs to last LONG_ENOUGH at the rate it saw.
    let mut throughput = Vec::new();
    for (rtt_ms, per_machine) in SETTINGS {
        say(&format!(
            "warm-up: {rtt_ms} ms added, {per_machine} worker(s) a machine"
        ));
        // A short run's rate is low (the polling and the workers' start
        // weigh on it), so it sizes again from the next, longer one.
        let mut sized = jobs;
        for _ in 0..4 {
            let rate = run_once(rtt_ms, per_machine, sized)?;
            if sized as f64 / rate >= LONG_ENOUGH.as_secs_f64() {
                break;
            }
            sized = sized.max((rate * LONG_ENOUGH.as_secs_f64() * 1.5).ceil() as u64);
        }
        throughput.push(Throughput {
            rtt_ms,
            per_machine,
            jobs: sized,
            jobs_per_second: Vec::new(),
        });
    }
    for round in 1..=rounds {
        say(&format!("round {round} of {rounds}"));
        for setting in &mut throughput {
            let rate = run_once(setting.rtt_ms, setting.per_machine, setting.jobs)?;
            setting.jobs_per_second.push(rate);
        }
    }
    say("machine 1 killed");
    let (report, killed) = kill_a_machine(&network, &server, program, jobs)
        .map_err(|e| format!("killing machine 1: {e}"))?;
    let machine_killed = Fault {
        workers_killed: killed,
        ..Fault::from(&report)
    };
    say("machine 2 cut off");
    let (report, restored) =
        cut_a_machine_off(&network, &server, program, jobs, Duration::from_secs(1))
            .map_err(|e| format!("cutting machine 2 off: {e}"))?;
    let cut_off = Fault {
        restored: Some(restored),
        ..Fault::from(&report)
    };
    drop(server);
    drop(network);
    let free_after = harness::machine::cores_free(cores, spin);
    Ok(MachinesReport {
        jobs,
        rounds,
        cores,
        cores_free: free_before.min(free_after),
        optimised: cfg!(not(debug_assertions)),
        throughput,
        machine_killed,
        cut_off,
        seconds: started.elapsed().as_secs_f64(),
    })
}
// ANCHOR_END: measure_machines

/// `values`' median with the lowest and highest: `1,527 (1,490-1,560)`.
fn spread(values: &[f64]) -> String {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    match (median(&sorted), sorted.first(), sorted.last()) {
        (Some(mid), _, _) if sorted.len() == 1 => thousands(mid),
        (Some(mid), Some(low), Some(high)) => {
            format!(
                "{} ({}-{})",
                thousands(mid),
                thousands(*low),
                thousands(*high)
            )
        }
        _ => String::from("?"),
    }
}

/// `38711` as `38,711`.
fn thousands(value: f64) -> String {
    let digits = format!("{:.0}", value.max(0.0));
    let mut out = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// What `lab-12 machines` prints: the throughput table, then each fault.
pub fn render(report: &MachinesReport) -> String {
    let mut out = format!(
        "2 machines, each a network namespace with a cable to the server's; the lists' queue;\n\
         {}, the settings taking turns,\neach after a warm-up run that sized its runs to last \
         {} s or more\n\n",
        if report.rounds == 1 {
            String::from("each figure from one run")
        } else {
            format!(
                "each figure the median of {} runs (lowest-highest)",
                report.rounds
            )
        },
        LONG_ENOUGH.as_secs()
    );
    out.push_str(&format!(
        "{:>9}  {:>17}  {:>10}  {:>24}\n",
        "added RTT", "workers a machine", "jobs a run", "jobs/s"
    ));
    for setting in &report.throughput {
        out.push_str(&format!(
            "{:>6} ms  {:>17}  {:>10}  {:>24}\n",
            setting.rtt_ms,
            setting.per_machine,
            thousands(setting.jobs as f64),
            spread(&setting.jobs_per_second)
        ));
    }
    out.push_str(
        "\nA worker waits a round trip a job: jobs/s is at most workers / RTT, less the time\n\
         each round trip spends in the server and the forwarder.\n\n",
    );
    let killed = &report.machine_killed;
    out.push_str(&format!(
        "Machine 1 killed, its {} workers at once, a third of the way through {} jobs: {} \
         lost,\n{} left unfinished, {} taken back by the reaper once their leases ran out, {} \
         done twice.\n",
        killed.workers_killed,
        thousands(killed.jobs as f64),
        killed.lost,
        killed.unfinished,
        killed.requeued,
        killed.done_twice
    ));
    let cut = &report.cut_off;
    out.push_str(&format!(
        "Machine 2 cut off for 1 s a third of the way through {1} jobs, then {0}:\n{2} lost, \
         {3} left unfinished, {4} taken back, {5} done twice{6}.\n",
        if cut.restored == Some(true) {
            "plugged back in"
        } else {
            "the run ended before it was plugged back in"
        },
        thousands(cut.jobs as f64),
        cut.lost,
        cut.unfinished,
        cut.requeued,
        cut.done_twice,
        if cut.done_twice > 0 {
            " (at-least-once: see chapter 12)"
        } else {
            ""
        }
    ));
    let free = format!(
        "about {:.1} of {} cores were free",
        report.cores_free, report.cores
    );
    let machine = if harness::machine::is_busy(report.cores_free, report.cores) {
        format!(
            "{free}: a busy machine, so the figures may be low,\nand lab-13 judges nothing of \
             speed from this run (a lost job still counts)"
        )
    } else {
        format!("{free}: a quiet machine")
    };
    out.push_str(&format!(
        "\n{machine}.\nThe whole run took {:.0} s{}.\n",
        report.seconds,
        if report.optimised {
            ""
        } else {
            ", a debug build (build with --release)"
        }
    ));
    out
}
