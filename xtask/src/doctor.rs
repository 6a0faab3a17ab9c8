//! `cargo xtask doctor`: is this machine ready for every chapter, and what
//! to do where it is not.
//!
//! Gathering the facts runs a few `--version`s and reads `target/`; it
//! never builds. Judging them ([`verdict`]) is a pure function, tested
//! below.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::SystemTime;

/// The Rust release the course is tested with (the minimum is the
/// workspace's `rust-version`).
pub const TESTED_RUST: &str = "1.95";
/// Chapter 12's queue uses `BLMOVE`, new in Redis 6.2.
pub const REDIS_MINIMUM: Version = Version(6, 2, 0);
/// Open files for chapter 11's C10k run at 10,000 connections: one per
/// connection, and 64 to spare (lab-11's `c10k` asks for exactly this).
pub const OPEN_FILES_NEEDED: u64 = 10_000 + 64;
/// Disk that `cargo xtask prepare` fills in `target/` from nothing (11
/// GiB measured on the course's VM: see the instructor's guide), with
/// room for what edits and rebuilds add to it (a long-used `target/` was
/// seen at 18 GiB).
pub const DISK_FOR_A_BUILD_GIB: u64 = 20;
/// Disk to keep free once built: rebuilds after edits, benchmark results.
pub const DISK_WHEN_BUILT_GIB: u64 = 2;
/// Minutes `cargo xtask prepare` took from nothing on the course's 2-core
/// VM (crates already downloaded; other builds sharing the machine).
pub const PREPARE_MINUTES_ON_2_CORES: u64 = 17;

/// A version: 1.88.0, 7.0.15.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Version(pub u32, pub u32, pub u32);

impl Version {
    /// The first version in `text` (two or three numbers joined by dots),
    /// as `rustc --version`, `redis-server --version` (`v=7.0.15`),
    /// `python3 --version` or `mdbook --version` print it.
    pub fn find(text: &str) -> Option<Version> {
        let bytes = text.as_bytes();
        let mut start = 0;
        while start < bytes.len() {
            let at_boundary =
                start == 0 || !(bytes[start - 1].is_ascii_digit() || bytes[start - 1] == b'.');
            if bytes[start].is_ascii_digit() && at_boundary {
                let end = text[start..]
                    .find(|c: char| !(c.is_ascii_digit() || c == '.'))
                    .map_or(text.len(), |n| start + n);
                let parts: Vec<Option<u32>> = text[start..end]
                    .split('.')
                    .map(|part| part.parse().ok())
                    .collect();
                match parts[..] {
                    [Some(a), Some(b)] | [Some(a), Some(b), None] => {
                        return Some(Version(a, b, 0));
                    }
                    [Some(a), Some(b), Some(c), ..] => return Some(Version(a, b, c)),
                    _ => start = end,
                }
            } else {
                start += 1;
            }
        }
        None
    }
}

impl std::fmt::Display for Version {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}.{}", self.0, self.1, self.2)
    }
}

/// What `target/` holds, against what a prepared workspace has.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Built {
    /// How many binaries a prepared workspace has: every lab's tests,
    /// examples and programs (debug and release) and benchmarks.
    pub expected: usize,
    /// The ones not there, e.g. `lab-11: release example stampede`.
    pub missing: Vec<String>,
    /// Labs with a file changed since their oldest binary was built.
    pub changed: Vec<String>,
}

/// The soft and hard limits on open files; `None` is unlimited.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Limits {
    /// The limit in force, which a process may raise up to `hard`.
    pub soft: Option<u64>,
    /// The ceiling, raised only by root.
    pub hard: Option<u64>,
}

/// Everything the doctor looks at.
#[derive(Clone, Debug, PartialEq)]
pub struct Facts {
    /// `rustc --version`; `None` if it did not run.
    pub rust: Option<Version>,
    /// The workspace's `rust-version`.
    pub minimum_rust: Version,
    /// What is built.
    pub built: Built,
    /// `mdbook --version` of the mdbook `cargo xtask serve` would use.
    pub mdbook: Option<Version>,
    /// The version the book is built with.
    pub mdbook_pinned: Version,
    /// Whether `book/build/index.html` exists: the book, readable without
    /// mdbook (a copy from the instructor's USB stick has it).
    pub book_built: bool,
    /// `redis-server --version`.
    pub redis: Option<Version>,
    /// `python3 --version`.
    pub python: Option<Version>,
    /// Cores this process may use.
    pub cores: usize,
    /// Open files; `None` if they could not be read.
    pub open_files: Option<Limits>,
    /// Free bytes on the disk holding `target/`.
    pub free_disk: Option<u64>,
}

/// How a finding counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// Ready.
    Ok,
    /// Worth knowing; ready all the same.
    Note,
    /// Not ready: something to do.
    Todo,
}

/// One line of the doctor's report.
#[derive(Clone, Debug, PartialEq)]
pub struct Finding {
    /// How it counts.
    pub status: Status,
    /// What was found.
    pub found: String,
    /// For a `Todo`: what is not ready, e.g. "chapter 12".
    pub blocks: &'static str,
    /// For a `Todo`: what to do.
    pub todo: String,
}

impl Finding {
    fn ok(found: String) -> Self {
        Self {
            status: Status::Ok,
            found,
            blocks: "",
            todo: String::new(),
        }
    }
    fn note(found: String) -> Self {
        Self {
            status: Status::Note,
            ..Self::ok(found)
        }
    }
    fn todo(found: String, blocks: &'static str, todo: String) -> Self {
        Self {
            status: Status::Todo,
            found,
            blocks,
            todo,
        }
    }
}

const GIB: u64 = 1 << 30;

/// Judges the facts: one finding per fact, in the order they print.
pub fn verdict(facts: &Facts) -> Vec<Finding> {
    let mut findings = Vec::new();
    let minimum = facts.minimum_rust;
    findings.push(match facts.rust {
        None => Finding::todo(
            String::from("rustc did not run"),
            "every chapter",
            String::from("install Rust with rustup, then run this again"),
        ),
        Some(rust) if rust < minimum => Finding::todo(
            format!("Rust {rust} is older than {}.{}", minimum.0, minimum.1),
            "every chapter",
            format!(
                "`rustup update` (the course needs {}.{} or newer)",
                minimum.0, minimum.1
            ),
        ),
        Some(rust) => Finding::ok(format!(
            "Rust {rust}: {}.{} or newer is needed; the course is tested with {TESTED_RUST}",
            minimum.0, minimum.1
        )),
    });

    let built = &facts.built;
    let minutes = PREPARE_MINUTES_ON_2_CORES * 2 / facts.cores.max(1) as u64;
    findings.push(if built.missing.is_empty() {
        Finding::ok(format!(
            "Built: all {} test, example, program and benchmark binaries are in target/",
            built.expected
        ))
    } else {
        let have = built.expected - built.missing.len();
        let first = &built.missing[0];
        Finding::todo(
            if have == 0 {
                String::from("Nothing is built yet in target/")
            } else {
                format!(
                    "Built: {have} of {} binaries; {} missing, e.g. {first}",
                    built.expected,
                    built.missing.len()
                )
            },
            "working offline",
            format!(
                "`cargo xtask prepare` fetches and builds everything (needs the network): \
                 {PREPARE_MINUTES_ON_2_CORES} minutes on 2 cores, plus downloading crates{}",
                if facts.cores == 2 {
                    String::new()
                } else {
                    format!(", so about {} here", minutes.max(1))
                }
            ),
        )
    });
    if !built.changed.is_empty() {
        findings.push(Finding::note(format!(
            "Changed since built: {} (rebuilt by its next command)",
            built.changed.join(", ")
        )));
    }

    let pinned = facts.mdbook_pinned;
    findings.push(match facts.mdbook {
        Some(version) if version == pinned => Finding::ok(format!(
            "mdbook {version}, the pinned version (the book: `cargo xtask serve`)"
        )),
        _ if facts.book_built => Finding::note(format!(
            "No mdbook {pinned}, but the book is built: open book/build/index.html"
        )),
        found => Finding::todo(
            match found {
                Some(version) => format!("mdbook {version}, not the pinned {pinned}"),
                None => format!("mdbook {pinned} is not installed"),
            },
            "the book offline",
            format!(
                "`cargo xtask prepare` installs mdbook {pinned} (about 5 minutes, once; \
                 your own mdbook is left alone)"
            ),
        ),
    });

    let install_redis = "install redis-server 6.2 or newer (Debian, Ubuntu: `sudo apt-get \
                         install redis-server`; macOS: `brew install redis`)";
    findings.push(match facts.redis {
        None => Finding::todo(
            String::from("redis-server is not installed"),
            "chapter 12",
            install_redis.to_string(),
        ),
        Some(version) if version < REDIS_MINIMUM => Finding::todo(
            format!("redis-server {version} is too old: chapter 12's BLMOVE needs 6.2"),
            "chapter 12",
            install_redis.to_string(),
        ),
        Some(version) => Finding::ok(format!(
            "redis-server {version}: chapter 12 needs 6.2 or newer"
        )),
    });

    findings.push(match facts.python {
        Some(version) => Finding::ok(format!(
            "python3 {version}, for the chapters' Python companions (optional)"
        )),
        None => Finding::note(String::from(
            "No python3: the chapters' Python companions (optional) will not run",
        )),
    });

    findings.push(match facts.cores {
        0 | 1 => Finding::note(String::from(
            "1 core: chapter 7's parallel speed-ups cannot show here; all else works",
        )),
        cores => Finding::ok(format!(
            "{cores} cores: chapter 7's speed-ups can reach about {cores}x, no more"
        )),
    });

    findings.push(match facts.open_files {
        None => Finding::note(String::from(
            "Open files: could not read the limit (`ulimit -Hn`)",
        )),
        Some(limits) => {
            let show = |limit: Option<u64>| limit.map_or("unlimited".to_string(), thousands);
            let (soft, hard) = (show(limits.soft), show(limits.hard));
            if limits.hard.is_none_or(|hard| hard >= OPEN_FILES_NEEDED) {
                Finding::ok(format!(
                    "Open files: soft {soft}, hard {hard}; 10,000 connections need {} \
                     (the labs raise their own soft limit up to the hard one)",
                    thousands(OPEN_FILES_NEEDED)
                ))
            } else {
                Finding::todo(
                    format!(
                        "Open files: hard limit {hard}, below the {} that 10,000 connections need",
                        thousands(OPEN_FILES_NEEDED)
                    ),
                    "chapter 11's c10k (and 13's --size large) at 10,000 connections",
                    format!(
                        "as root, raise the hard limit: `ulimit -Hn {OPEN_FILES_NEEDED}` in the \
                         shell you run from, or `nofile` in /etc/security/limits.conf; \
                         macOS: `sudo launchctl limit maxfiles 65536 200000`"
                    ),
                )
            }
        }
    });

    let need = if built.missing.is_empty() {
        DISK_WHEN_BUILT_GIB
    } else {
        DISK_FOR_A_BUILD_GIB
    };
    findings.push(match facts.free_disk {
        None => Finding::note(String::from("Free disk: could not read it (`df`)")),
        Some(free) if free >= need * GIB => Finding::ok(format!(
            "Free disk: {} GiB; {}",
            free / GIB,
            if built.missing.is_empty() {
                format!("{DISK_WHEN_BUILT_GIB} GiB is enough once built")
            } else {
                format!("a build from nothing takes up to {DISK_FOR_A_BUILD_GIB} GiB")
            }
        )),
        Some(free) => Finding::todo(
            format!("Free disk: {} GiB, and {need} GiB is needed", free / GIB),
            "building the labs",
            String::from("free some disk (`cargo clean` in other Rust projects frees a lot)"),
        ),
    });
    findings
}

/// `10064` as `10,064`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut shown = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            shown.push(',');
        }
        shown.push(digit);
    }
    shown
}

/// Whether every chapter is ready: no finding is a `Todo`.
pub fn ready(findings: &[Finding]) -> bool {
    findings.iter().all(|f| f.status != Status::Todo)
}

/// Prints the findings on one screen; then, if something is to do, what
/// is not ready and the list of what to do.
pub fn print(findings: &[Finding]) {
    for finding in findings {
        let tag = match finding.status {
            Status::Ok => "ok  ",
            Status::Note => "note",
            Status::Todo => "TODO",
        };
        println!("  {tag}  {}", finding.found);
    }
    println!();
    if ready(findings) {
        println!("Ready for every chapter.");
        return;
    }
    let mut blocked: Vec<&str> = findings
        .iter()
        .filter(|f| f.status == Status::Todo)
        .map(|f| f.blocks)
        .collect();
    blocked.dedup();
    println!("Not ready for: {}. To do:", blocked.join("; "));
    for (n, finding) in findings
        .iter()
        .filter(|f| f.status == Status::Todo)
        .enumerate()
    {
        println!("  {}. {}", n + 1, finding.todo);
    }
}

/// Gathers the facts about this machine and this workspace.
pub fn facts(root: &Path, mdbook: Option<PathBuf>, mdbook_pinned: Version) -> Facts {
    let version_of = |program: &Path, arg: &str| {
        Command::new(program)
            .arg(arg)
            .current_dir(root)
            .output()
            .ok()
            .filter(|out| out.status.success())
            .and_then(|out| {
                let text = format!(
                    "{}{}",
                    String::from_utf8_lossy(&out.stdout),
                    String::from_utf8_lossy(&out.stderr)
                );
                Version::find(&text)
            })
    };
    let ulimit = Command::new("sh")
        .args(["-c", "ulimit -Sn; ulimit -Hn"])
        .output()
        .ok()
        .and_then(|out| parse_ulimits(&String::from_utf8_lossy(&out.stdout)));
    let target = target_dir(root);
    let df = Command::new("df")
        .arg("-Pk")
        .arg(if target.exists() { &target } else { root })
        .output()
        .ok()
        .and_then(|out| parse_df(&String::from_utf8_lossy(&out.stdout)));
    Facts {
        rust: version_of(Path::new("rustc"), "--version"),
        minimum_rust: Version::find(env!("CARGO_PKG_RUST_VERSION")).unwrap_or(Version(1, 88, 0)),
        built: built(root, &target),
        mdbook: mdbook.and_then(|path| version_of(&path, "--version")),
        mdbook_pinned,
        book_built: root.join("book/build/index.html").is_file(),
        redis: version_of(Path::new("redis-server"), "--version"),
        python: version_of(Path::new("python3"), "--version"),
        cores: std::thread::available_parallelism().map_or(1, |n| n.get()),
        open_files: ulimit,
        free_disk: df,
    }
}

/// The soft and hard limits from `ulimit -Sn; ulimit -Hn`.
pub fn parse_ulimits(text: &str) -> Option<Limits> {
    let mut lines = text.lines().map(str::trim);
    let mut next = || -> Option<Option<u64>> {
        match lines.next()? {
            "unlimited" => Some(None),
            number => number.parse().ok().map(Some),
        }
    };
    Some(Limits {
        soft: next()?,
        hard: next()?,
    })
}

/// Free bytes from `df -Pk PATH`: the fourth column of its second line.
pub fn parse_df(text: &str) -> Option<u64> {
    let kib: u64 = text
        .lines()
        .nth(1)?
        .split_whitespace()
        .nth(3)?
        .parse()
        .ok()?;
    Some(kib * 1024)
}

/// Where cargo builds: `CARGO_TARGET_DIR`, else `target/`.
pub fn target_dir(root: &Path) -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), PathBuf::from)
}

/// One line of a rustc dep-info (`.d`) file: what was built, from which
/// sources. `None` for lines that are not `output: sources`.
pub fn parse_dep_line(line: &str) -> Option<(&str, Vec<&str>)> {
    let (output, sources) = line.split_once(": ")?;
    if output.is_empty() || line.starts_with('#') {
        return None;
    }
    Some((output, sources.split_whitespace().collect()))
}

/// The executables cargo built (in `deps`, a test's or a benchmark's), by
/// the `labs/…` source each was built from.
fn executables_by_source(deps: &Path) -> Vec<(String, PathBuf)> {
    let mut found = Vec::new();
    let Ok(entries) = std::fs::read_dir(deps) else {
        return found;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "d") {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        for (output, sources) in text.lines().filter_map(parse_dep_line) {
            let output = Path::new(output);
            let name = output.file_name().unwrap_or_default().to_string_lossy();
            // An executable has no extension (or `.exe`); `.d`, `.rlib`,
            // `.rmeta` (clippy's) are not one.
            let executable = !name.contains('.') || name.ends_with(".exe");
            if executable
                && output.is_file()
                && let Some(source) = sources.first()
            {
                found.push((source.replace('\\', "/"), output.to_path_buf()));
            }
        }
    }
    found
}

/// What a prepared workspace has for each lab, against what `target/` holds.
pub fn built(root: &Path, target: &Path) -> Built {
    let mut result = Built::default();
    let tests = executables_by_source(&target.join("debug").join("deps"));
    let benches = executables_by_source(&target.join("release").join("deps"));
    let exe = std::env::consts::EXE_SUFFIX;
    for (lab, folder) in crate::labs(root) {
        let package = format!("lab-{lab}");
        let sources = |sub: &str| -> Vec<String> {
            let mut names: Vec<String> = std::fs::read_dir(folder.join(sub))
                .into_iter()
                .flatten()
                .flatten()
                .filter_map(|e| {
                    let name = e.file_name().to_string_lossy().into_owned();
                    name.strip_suffix(".rs").map(str::to_string)
                })
                .collect();
            names.sort();
            names
        };
        let folder_name = folder.file_name().unwrap_or_default().to_string_lossy();
        let mut artifacts: Vec<Option<PathBuf>> = Vec::new();
        let mut expect = |what: String, artifact: Option<PathBuf>| {
            result.expected += 1;
            if artifact.is_none() {
                result.missing.push(format!("{package}: {what}"));
            }
            artifacts.push(artifact);
        };
        let newest_from = |found: &[(String, PathBuf)], source: &str| {
            found
                .iter()
                .filter(|(s, _)| s.ends_with(source))
                .map(|(_, path)| path.clone())
                .max_by_key(|path| modified(path))
        };
        for test in sources("tests") {
            let source = format!("labs/{folder_name}/tests/{test}.rs");
            expect(format!("test {test}"), newest_from(&tests, &source));
        }
        for bench in sources("benches") {
            let source = format!("labs/{folder_name}/benches/{bench}.rs");
            expect(format!("benchmark {bench}"), newest_from(&benches, &source));
        }
        for profile in ["debug", "release"] {
            let dir = target.join(profile);
            for example in sources("examples") {
                let path = dir.join("examples").join(format!("{example}{exe}"));
                expect(
                    format!("{profile} example {example}"),
                    path.is_file().then_some(path),
                );
            }
            for program in sources("src/bin") {
                let path = dir.join(format!("{program}{exe}"));
                expect(
                    format!("{profile} program {program}"),
                    path.is_file().then_some(path),
                );
            }
        }
        let oldest = artifacts.iter().flatten().map(|p| modified(p)).min();
        if let Some(oldest) = oldest
            && newest_file(&folder) > oldest
        {
            result.changed.push(package);
        }
    }
    result
}

fn modified(path: &Path) -> SystemTime {
    std::fs::metadata(path)
        .and_then(|m| m.modified())
        .unwrap_or(SystemTime::UNIX_EPOCH)
}

/// The newest modification time of a lab's sources (Python and READMEs
/// aside: they are not built).
fn newest_file(dir: &Path) -> SystemTime {
    let mut newest = SystemTime::UNIX_EPOCH;
    let Ok(entries) = std::fs::read_dir(dir) else {
        return newest;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if path.is_dir() {
            if name != "python" && name != "target" {
                newest = newest.max(newest_file(&path));
            }
        } else if name.ends_with(".rs") || name == "Cargo.toml" {
            newest = newest.max(modified(&path));
        }
    }
    newest
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_are_read_from_each_tools_version_line() {
        let cases = [
            ("rustc 1.95.0 (59807616e 2026-04-14)", Version(1, 95, 0)),
            (
                "rustc 1.90.0-nightly (abcdef012 2025-06-01)",
                Version(1, 90, 0),
            ),
            (
                "Redis server v=7.0.15 sha=00000000:0 malloc=jemalloc-5.3.0 bits=64",
                Version(7, 0, 15),
            ),
            ("Python 3.11.7", Version(3, 11, 7)),
            ("mdbook v0.5.4", Version(0, 5, 4)),
            ("1.88", Version(1, 88, 0)),
        ];
        for (text, version) in cases {
            assert_eq!(Version::find(text), Some(version), "{text}");
        }
        assert_eq!(Version::find("no version here, 42 alone"), None);
    }

    #[test]
    fn versions_compare_by_number_not_by_text() {
        assert!(Version(1, 100, 0) > Version(1, 88, 0));
        assert!(Version(6, 10, 0) > Version(6, 2, 0));
        assert!(Version(6, 0, 16) < REDIS_MINIMUM);
    }

    #[test]
    fn limits_and_free_disk_are_parsed() {
        assert_eq!(
            parse_ulimits("1024\nunlimited\n"),
            Some(Limits {
                soft: Some(1024),
                hard: None
            })
        );
        assert_eq!(parse_ulimits("1024\n"), None);
        let df = "Filesystem     1024-blocks     Used Available Capacity Mounted on\n\
                  /dev/vda         263174212 25165824  70254592      27% /\n";
        assert_eq!(parse_df(df), Some(70_254_592 * 1024));
    }

    #[test]
    fn large_numbers_are_shown_with_commas() {
        assert_eq!(thousands(10_064), "10,064");
        assert_eq!(thousands(1_000_000), "1,000,000");
        assert_eq!(thousands(512), "512");
    }

    #[test]
    fn dep_info_lines_name_an_output_and_its_sources() {
        let line =
            "/w/target/debug/deps/exercise-039d: labs/11-async-tokio/tests/exercise.rs Cargo.toml";
        assert_eq!(
            parse_dep_line(line),
            Some((
                "/w/target/debug/deps/exercise-039d",
                vec!["labs/11-async-tokio/tests/exercise.rs", "Cargo.toml"]
            ))
        );
        assert_eq!(parse_dep_line("# env-dep:CLIPPY_CONF_DIR"), None);
        assert_eq!(parse_dep_line(""), None);
    }

    /// A machine with everything: the course's VM.
    fn ready_machine() -> Facts {
        Facts {
            rust: Some(Version(1, 95, 0)),
            minimum_rust: Version(1, 88, 0),
            built: Built {
                expected: 100,
                missing: vec![],
                changed: vec![],
            },
            mdbook: Some(Version(0, 5, 4)),
            mdbook_pinned: Version(0, 5, 4),
            book_built: false,
            redis: Some(Version(7, 0, 15)),
            python: Some(Version(3, 11, 7)),
            cores: 2,
            open_files: Some(Limits {
                soft: Some(1024),
                hard: Some(20_000),
            }),
            free_disk: Some(60 * GIB),
        }
    }

    fn todos(facts: &Facts) -> Vec<&'static str> {
        verdict(facts)
            .into_iter()
            .filter(|f| f.status == Status::Todo)
            .map(|f| f.blocks)
            .collect()
    }

    #[test]
    fn a_machine_with_everything_is_ready_even_with_a_low_soft_limit() {
        let findings = verdict(&ready_machine());
        assert!(ready(&findings), "{findings:#?}");
    }

    #[test]
    fn no_python_and_one_core_are_notes_not_blockers() {
        let facts = Facts {
            python: None,
            cores: 1,
            ..ready_machine()
        };
        let findings = verdict(&facts);
        assert!(ready(&findings));
        assert_eq!(
            findings.iter().filter(|f| f.status == Status::Note).count(),
            2
        );
    }

    #[test]
    fn each_missing_piece_blocks_what_needs_it_and_says_what_to_do() {
        let cases: Vec<(Facts, &str, &str)> = vec![
            (
                Facts {
                    rust: Some(Version(1, 80, 1)),
                    ..ready_machine()
                },
                "every chapter",
                "rustup update",
            ),
            (
                Facts {
                    rust: None,
                    ..ready_machine()
                },
                "every chapter",
                "rustup",
            ),
            (
                Facts {
                    redis: None,
                    ..ready_machine()
                },
                "chapter 12",
                "apt-get install redis-server",
            ),
            (
                Facts {
                    redis: Some(Version(6, 0, 16)),
                    ..ready_machine()
                },
                "chapter 12",
                "6.2 or newer",
            ),
            (
                Facts {
                    mdbook: None,
                    ..ready_machine()
                },
                "the book offline",
                "cargo xtask prepare",
            ),
            (
                Facts {
                    mdbook: Some(Version(0, 4, 40)),
                    ..ready_machine()
                },
                "the book offline",
                "cargo xtask prepare",
            ),
            (
                Facts {
                    built: Built {
                        expected: 100,
                        missing: vec![String::from("lab-01: test loom")],
                        changed: vec![],
                    },
                    ..ready_machine()
                },
                "working offline",
                "cargo xtask prepare",
            ),
            (
                Facts {
                    open_files: Some(Limits {
                        soft: Some(1024),
                        hard: Some(4096),
                    }),
                    ..ready_machine()
                },
                "chapter 11's c10k (and 13's --size large) at 10,000 connections",
                "ulimit -Hn 10064",
            ),
            (
                Facts {
                    free_disk: Some(GIB),
                    ..ready_machine()
                },
                "building the labs",
                "free some disk",
            ),
        ];
        for (facts, blocks, todo) in cases {
            let findings = verdict(&facts);
            let todos: Vec<&Finding> = findings
                .iter()
                .filter(|f| f.status == Status::Todo)
                .collect();
            assert_eq!(todos.len(), 1, "{findings:#?}");
            assert_eq!(todos[0].blocks, blocks);
            assert!(todos[0].todo.contains(todo), "{:?}", todos[0].todo);
        }
    }

    #[test]
    fn an_unlimited_hard_limit_is_enough_and_an_unbuilt_workspace_needs_more_disk() {
        let unlimited = Facts {
            open_files: Some(Limits {
                soft: None,
                hard: None,
            }),
            ..ready_machine()
        };
        assert!(todos(&unlimited).is_empty());
        let unbuilt = Facts {
            built: Built {
                expected: 2,
                missing: vec![String::from("a"), String::from("b")],
                changed: vec![],
            },
            free_disk: Some(5 * GIB),
            ..ready_machine()
        };
        assert_eq!(todos(&unbuilt), ["working offline", "building the labs"]);
    }

    #[test]
    fn without_mdbook_a_built_book_is_enough() {
        let facts = Facts {
            mdbook: None,
            book_built: true,
            ..ready_machine()
        };
        assert!(todos(&facts).is_empty());
    }

    #[test]
    fn changed_labs_are_a_note() {
        let facts = Facts {
            built: Built {
                expected: 100,
                missing: vec![],
                changed: vec![String::from("lab-03")],
            },
            ..ready_machine()
        };
        let findings = verdict(&facts);
        assert!(ready(&findings));
        assert!(
            findings
                .iter()
                .any(|f| f.status == Status::Note && f.found.contains("lab-03"))
        );
    }
}
