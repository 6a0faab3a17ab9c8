//! The compare tool, end to end: `lab-13 compare --size tiny` run as a
//! learner runs it, its JSON read back. No figure is checked against a
//! time (the machine is shared and noisy): what is checked is that every
//! model × workload has a row or says why not, that every answer matched
//! the sequential one, and what the crash rows must show.

use harness::watchdog::output_within;
use lab_13::models::{Model, Workload};
use serde_json::Value;
use std::path::PathBuf;
use std::process::Command;
use std::sync::OnceLock;
use std::time::Duration;

fn lab_13() -> Command {
    Command::new(env!("CARGO_BIN_EXE_lab-13"))
}

/// One tiny run of every workload, shared by the tests below: a process
/// per workload, all at once (nothing here is timed, and most of a tiny
/// run is waiting: together they take a fraction of the time one after
/// another would). The `cpu` workload runs twice measured, for the spread;
/// the others once. Their JSONs are joined into one report, and their
/// outputs into one text.
fn tiny_run() -> &'static (Value, String) {
    static RUN: OnceLock<(Value, String)> = OnceLock::new();
    RUN.get_or_init(|| {
        let runs: Vec<(Value, String)> = std::thread::scope(|scope| {
            let each: Vec<_> = Workload::ALL
                .iter()
                .map(|workload| scope.spawn(move || tiny_run_of(*workload)))
                .collect();
            each.into_iter()
                .map(|run| run.join().expect("a tiny run's thread"))
                .collect()
        });
        let mut report = runs[0].0.clone();
        let tables: Vec<Value> = runs
            .iter()
            .flat_map(|(json, _)| json["tables"].as_array().unwrap().clone())
            .collect();
        report["tables"] = Value::Array(tables);
        let stdout = runs.iter().map(|(_, text)| text.as_str()).collect();
        (report, stdout)
    })
}

/// `compare --size tiny --workload W`, its JSON and its output.
fn tiny_run_of(workload: Workload) -> (Value, String) {
    let name = workload.name();
    let json = std::env::temp_dir().join(format!("lab-13-test-{}-{name}.json", std::process::id()));
    let runs = if workload == Workload::Cpu { "2" } else { "1" };
    let mut command = lab_13();
    command.args(["compare", "--size", "tiny", "--quiet", "--runs", runs]);
    command.args(["--workload", name, "--json"]).arg(&json);
    // Ten minutes: a tiny run takes well under one on 2 busy cores.
    let output = output_within(command, Duration::from_secs(600), "compare --size tiny");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "compare --workload {name} failed: {}\n{stdout}\n{}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    let text = std::fs::read_to_string(&json).expect("the JSON was written");
    let _ = std::fs::remove_file(&json);
    for chart in lab_13::chart::CHART_FILES {
        let _ = std::fs::remove_file(json.with_file_name(chart));
    }
    (
        serde_json::from_str(&text).expect("the JSON parses"),
        stdout,
    )
}

fn table(workload: Workload) -> &'static Vec<Value> {
    let (report, _) = tiny_run();
    report["tables"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["workload"] == workload.name())
        .unwrap_or_else(|| panic!("no table for {}", workload.name()))["rows"]
        .as_array()
        .unwrap()
}

fn row(workload: Workload, model: Model) -> &'static Value {
    let name = serde_json::to_value(model).unwrap();
    table(workload)
        .iter()
        .find(|r| r["model"] == name)
        .unwrap_or_else(|| panic!("{}: no row for {name}", workload.name()))
}

#[test]
fn every_model_of_every_workload_has_a_row_or_says_why_not() {
    for workload in Workload::ALL {
        let rows = table(workload);
        let models: Vec<Value> = workload
            .models()
            .into_iter()
            .map(|m| serde_json::to_value(m).unwrap())
            .collect();
        let listed: Vec<&Value> = rows.iter().map(|r| &r["model"]).collect();
        assert_eq!(
            listed,
            models.iter().collect::<Vec<_>>(),
            "{}",
            workload.name()
        );
        for row in rows {
            let what = format!("{} · {}", workload.name(), row["label"]);
            match row["status"].as_str() {
                // A crash or panic row counts jobs; the others are timed.
                Some("measured") if workload.is_fatal() => {
                    assert!(row["finished"].is_u64(), "{what}")
                }
                Some("measured") => assert!(row["wall_s"].as_f64().unwrap() > 0.0, "{what}"),
                Some("not-applicable") => {
                    let reason = row["reason"].as_str().unwrap();
                    assert!(reason.len() > 20, "{what}: n/a needs a reason: {reason:?}");
                }
                other => panic!("{what}: {other:?}: {row}"),
            }
        }
    }
}

#[test]
fn every_model_returns_the_sequential_answer() {
    for workload in Workload::ALL {
        for row in table(workload) {
            if row["status"] == "measured" {
                let what = format!("{} · {}", workload.name(), row["label"]);
                let checked = !matches!(
                    workload,
                    Workload::Panic | Workload::Crash | Workload::Connections | Workload::Mixed
                );
                let expected = if checked {
                    Value::Bool(true)
                } else {
                    Value::Null
                };
                assert_eq!(row["correct"], expected, "{what} answered differently");
            }
        }
    }
}

/// Whether the Redis rows must be measured: redis-server is installed,
/// or this is CI (which installs it).
fn redis_expected() -> bool {
    let installed = Command::new("redis-server")
        .arg("--version")
        .output()
        .is_ok();
    installed || std::env::var_os("CI").is_some()
}

#[test]
fn the_redis_queue_runs_where_a_server_is_installed_and_says_why_not_elsewhere() {
    let redis = row(Workload::Cpu, Model::RedisQueue);
    if redis_expected() {
        assert_eq!(redis["status"], "measured", "{redis}");
    } else {
        eprintln!("SKIPPED: redis-server is not installed; the row must say so");
        assert!(redis["reason"].as_str().unwrap().contains("redis-server"));
    }
}

#[test]
fn an_abort_kills_every_thread_of_its_process_and_only_its_worker_process() {
    // One after another, job 37 ends the program after exactly 37 jobs.
    let sequential = row(Workload::Crash, Model::Sequential);
    let counts = |row: &Value| (row["finished"].as_u64(), row["lost"].as_u64());
    assert_eq!(counts(sequential), (Some(37), Some(63)), "{sequential}");
    for model in [
        Model::Threads,
        Model::Rayon,
        Model::PoolThreads,
        Model::Tokio,
        Model::TokioBlocking,
        Model::TokioRayon,
        Model::EventLoop,
    ] {
        let row = row(Workload::Crash, model);
        let note = row["note"].as_str().unwrap();
        assert!(note.contains("died") && note.contains("SIGABRT"), "{row}");
        assert_eq!(row["survived"], false, "{row}");
        // Which jobs ran before 37 depends on the threads (rayon splits
        // the list in two, and a second thread takes the upper half); job
        // 37 itself and whatever was left are lost.
        let lost = row["lost_jobs"].as_array().unwrap();
        assert!(lost.contains(&serde_json::json!(37)), "{row}");
    }
    for model in [
        Model::PoolProcesses,
        Model::ProcessPerJob,
        Model::TokioProcesses,
    ] {
        let row = row(Workload::Crash, model);
        assert_eq!(row["survived"], true, "{row}");
        // Only the job that aborted is lost: every other one finished.
        assert_eq!(row["lost_jobs"], serde_json::json!([37]), "{row}");
    }
    // lab-12's queue: job 37 kills a worker at each delivery, each worker
    // is replaced, and after the retry limit the job is dead-lettered
    // rather than handed on for ever: the run ends, every other job done.
    let queue = row(Workload::Crash, Model::RedisQueue);
    if redis_expected() {
        assert_eq!(queue["status"], "measured", "{queue}");
        assert_eq!(queue["survived"], true, "{queue}");
        assert_eq!(queue["lost_jobs"], serde_json::json!([37]), "{queue}");
    }
}

#[test]
fn a_panic_is_caught_at_a_join_a_join_error_or_a_pool_and_kills_what_has_no_catcher() {
    // Caught: a thread's join, lab-09's pool, tokio's JoinError, a process
    // boundary. Only the job that panicked is lost.
    for model in [
        Model::Threads,
        Model::PoolThreads,
        Model::PoolProcesses,
        Model::ProcessPerJob,
        Model::Tokio,
        Model::TokioBlocking,
        Model::TokioProcesses,
    ] {
        let row = row(Workload::Panic, model);
        assert_eq!(row["survived"], true, "{model:?}: {row}");
        assert_eq!(
            row["lost_jobs"],
            serde_json::json!([37]),
            "{model:?}: {row}"
        );
    }
    // Not caught: it unwinds out of `main` (sequential), rayon re-raises
    // it at the join, and a panic in `rayon::spawn` has no one to return
    // to: rayon aborts the process.
    for model in [Model::Sequential, Model::Rayon, Model::TokioRayon] {
        let row = row(Workload::Panic, model);
        assert_eq!(row["survived"], false, "{model:?}: {row}");
    }
    let aborted = row(Workload::Panic, Model::TokioRayon)["note"]
        .as_str()
        .unwrap();
    assert!(aborted.contains("SIGABRT"), "{aborted}");
}

#[test]
fn the_json_has_the_machine_and_every_documented_figure() {
    let (report, stdout) = tiny_run();
    let machine = &report["machine"];
    assert!(machine["cores"].as_u64().unwrap() >= 1);
    assert_eq!(machine["os"], std::env::consts::OS);
    assert!(machine["rustc"].as_str().unwrap().starts_with("rustc "));
    assert_eq!(report["size"], "tiny");
    let cpu = row(Workload::Cpu, Model::Rayon);
    for field in [
        "wall_s",
        "cpu_user_s",
        "cpu_system_s",
        "memory_bytes",
        "per_second",
        "speedup",
        "of_ideal",
        "startup_s",
        "lines",
        "chapter",
    ] {
        assert!(cpu[field].is_number(), "cpu · rayon lacks {field}: {cpu}");
    }
    // Every measured run is kept, with its own figures: two for cpu.
    let runs = cpu["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 2, "{cpu}");
    assert!(runs.iter().all(|r| r["wall_s"].as_f64().unwrap() > 0.0));
    assert!(report["calibration"]["rounds_per_ms"].as_u64().unwrap() > 0);
    assert!(report["load"]["cores_free"].as_f64().unwrap() > 0.0);
    assert!(report["sampler"]["samples"].as_u64().unwrap() > 0);
    for field in ["p50_s", "p99_s"] {
        assert!(row(Workload::Mixed, Model::TokioBlocking)[field].is_number());
        let latency = &row(Workload::Mixed, Model::TokioBlocking)["latency"];
        assert!(latency["count"].as_u64().unwrap() > 0, "{latency}");
        // Every request's latency, in every model that answers in this
        // process or through a pool's pipe (the Redis queue keeps none).
        for model in [
            Model::Sequential,
            Model::Threads,
            Model::PoolProcesses,
            Model::Tokio,
        ] {
            let io = row(Workload::Io, model);
            assert!(io[field].is_number(), "io · {model:?} lacks {field}: {io}");
        }
    }
    let threads = row(Workload::Connections, Model::Threads);
    assert!(threads["rss_per_connection_bytes"].is_number(), "{threads}");
    // The tables and the files are named in what the learner reads; a
    // smoke test says so, and draws no speed-up chart.
    for text in [
        "cpu ·",
        "panic ·",
        "crash ·",
        "every figure:",
        "mixed-p99.svg",
        "SMOKE TEST",
        "cores were free",
        "median of 2 runs",
    ] {
        assert!(
            stdout.contains(text),
            "the output lacks {text:?}:\n{stdout}"
        );
    }
}

#[test]
fn a_table_fits_a_hundred_columns_and_names_every_model() {
    let (_, stdout) = tiny_run();
    for line in stdout.lines() {
        assert!(line.chars().count() <= 100, "too wide: {line}");
    }
    for model in lab_13::models::JOB_MODELS {
        assert!(stdout.contains(model.label()), "{}", model.label());
    }
}

#[test]
fn a_smoke_test_shows_no_speed_up() {
    let (_, stdout) = tiny_run();
    let headers = stdout.lines().filter(|l| l.starts_with("model "));
    assert!(headers.clone().count() >= 5, "{stdout}");
    for header in headers {
        assert!(!header.contains("speed-up"), "{header}");
    }
    assert!(!stdout.contains("cpu-speedup.svg"), "{stdout}");
}

#[test]
fn a_bad_flag_is_a_clear_error_with_exit_code_2() {
    for args in [
        &["compare", "--size", "huge"][..],
        &["compare", "--workload", "gpu"],
        &["compare", "--runs", "0"],
        &["compare", "--runs", "many"],
        &["compare", "--bogus"],
    ] {
        let mut command = lab_13();
        command.args(args);
        let output = output_within(command, Duration::from_secs(60), "a bad flag");
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains("error:"), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        // A bad value names the valid ones: a list, or the range.
        if args.len() == 3 {
            assert!(
                stderr.contains("possible values") || stderr.contains("1..=100"),
                "{args:?}: {stderr}"
            );
        }
    }
}

/// A process's start time (field 22 of `/proc/PID/stat`), so that a PID
/// reused by another process is not taken for the one we saw; `None` if
/// it is gone or a zombie (ended, waiting to be reaped).
fn started_at(pid: u32) -> Option<String> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    // After the name: state is field 3, start time field 22.
    (fields.first() != Some(&"Z")).then(|| fields.get(22 - 3).map(|s| s.to_string()))?
}

/// The PIDs below `pid`, from `/proc`.
fn descendants_of(pid: u32, into: &mut Vec<u32>) {
    let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) else {
        return;
    };
    for task in tasks.flatten() {
        let children = std::fs::read_to_string(task.path().join("children")).unwrap_or_default();
        for child in children.split_whitespace().filter_map(|c| c.parse().ok()) {
            into.push(child);
            descendants_of(child, into);
        }
    }
}

#[test]
fn an_interrupted_run_leaves_no_worker_server_or_redis_behind() {
    // `io` at the default size starts a Redis server and the delay
    // server at once, then runs for tens of seconds. Every process seen
    // below the run is remembered; after Ctrl-C none may be left.
    let mut child = lab_13()
        .args(["compare", "--quiet", "--workload", "io"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("lab-13 starts");
    let pid = child.id();
    let mut seen: Vec<(u32, String)> = Vec::new();
    let began = std::time::Instant::now();
    // Until the Redis server and the delay server have been seen (or 60
    // s, and the test says what it saw).
    while began.elapsed() < Duration::from_secs(60) {
        let mut now = Vec::new();
        descendants_of(pid, &mut now);
        for process in now {
            if let Some(start) = started_at(process)
                && !seen.iter().any(|(p, s)| *p == process && *s == start)
            {
                seen.push((process, start));
            }
        }
        if seen.len() >= 2 {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(
        seen.len() >= 2,
        "the run started fewer than 2 processes: {seen:?}"
    );
    let target = rustix::process::Pid::from_raw(pid as i32).unwrap();
    rustix::process::kill_process(target, rustix::process::Signal::INT).unwrap();
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            panic!("compare did not end within 30 s of Ctrl-C");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let mut stderr = String::new();
    use std::io::Read;
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    assert_eq!(status.code(), Some(130), "{stderr}");
    assert!(stderr.contains("interrupted"), "{stderr}");
    // Killed processes are reaped by init: give it a moment.
    std::thread::sleep(Duration::from_millis(200));
    let left: Vec<_> = seen
        .iter()
        .filter(|(process, start)| started_at(*process).as_ref() == Some(start))
        .collect();
    assert!(
        left.is_empty(),
        "left behind: {left:?} of {seen:?}\n{stderr}"
    );
}

#[test]
fn the_delay_server_answers_numbers_and_refuses_anything_else() {
    let server = lab_11::c10k::Server::spawn_program(
        &PathBuf::from(env!("CARGO_BIN_EXE_lab-13")),
        &["delay-server"],
    )
    .expect("the delay server starts");
    let ask = |line| lab_13::workloads::io::ask(server.address(), line).unwrap();
    assert_eq!(ask("20\n"), "41\n");
    assert!(ask("twenty\n").starts_with("error: "));
    assert!(ask(&format!("{}\n", "9".repeat(200))).starts_with("error: "));
    // Not UTF-8: refused in words, not dropped.
    let server_address = server.address();
    let stream = std::net::TcpStream::connect(server_address).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    use std::io::{Read, Write};
    (&stream).write_all(b"\xff\xfe\n").unwrap();
    let mut answer = String::new();
    (&stream).read_to_string(&mut answer).unwrap();
    assert_eq!(answer, "error: not UTF-8\n");
}

#[test]
fn a_worker_process_given_garbage_ends_with_an_error_not_a_panic() {
    let mut command = lab_13();
    command.arg("worker").stdin(std::process::Stdio::piped());
    let mut child = command
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"not json\n")
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("is not a request"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}
