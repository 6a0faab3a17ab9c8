//! The file system the lock-file exercise runs on: the real one, or a
//! model of it that loom can check. A lock file is two steps on the real
//! one (does it exist? create it) unless one call does both; the model
//! keeps exactly that: each call is one step, behind one lock, as the
//! kernel makes each system call one step.

use harness::sync::loom::Mutex;
use std::collections::BTreeMap;
use std::fmt;
use std::fs::{self, OpenOptions};
use std::io::{self, Write};
use std::path::PathBuf;

/// The file operations a lock file needs, as `std::fs` offers them.
pub trait Fs: Send + Sync + 'static {
    /// Whether `name` exists (`Path::exists`).
    fn exists(&self, name: &str) -> bool;
    /// Creates `name`, or empties it if it exists, and writes `contents`
    /// (`File::create`).
    fn create(&self, name: &str, contents: &str) -> io::Result<()>;
    /// Creates `name` and writes `contents`, only if it does not exist:
    /// `AlreadyExists` otherwise (`OpenOptions::create_new`).
    fn create_new(&self, name: &str, contents: &str) -> io::Result<()>;
    /// What `name` holds (`fs::read_to_string`).
    fn read(&self, name: &str) -> io::Result<String>;
}

/// The real file system, under one directory.
pub struct RealFs {
    /// The directory the names are in.
    pub dir: PathBuf,
}

impl Fs for RealFs {
    fn exists(&self, name: &str) -> bool {
        self.dir.join(name).exists()
    }

    fn create(&self, name: &str, contents: &str) -> io::Result<()> {
        fs::File::create(self.dir.join(name))?.write_all(contents.as_bytes())
    }

    fn create_new(&self, name: &str, contents: &str) -> io::Result<()> {
        let mut file = OpenOptions::new()
            .write(true)
            .create_new(true) // one system call: exists? no: create
            .open(self.dir.join(name))?;
        file.write_all(contents.as_bytes())
    }

    fn read(&self, name: &str) -> io::Result<String> {
        fs::read_to_string(self.dir.join(name))
    }
}

/// A file system loom can check: names and contents behind one lock.
pub struct ModelFs {
    files: Mutex<Files>,
}

/// The files, shown in traces as `{app.lock: process B}`.
#[derive(Default)]
struct Files(BTreeMap<String, String>);

impl fmt::Debug for Files {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let files: Vec<String> = self.0.iter().map(|(n, c)| format!("{n}: {c}")).collect();
        write!(f, "{{{}}}", files.join(", "))
    }
}

impl ModelFs {
    /// An empty file system.
    pub fn new() -> Self {
        Self {
            files: Mutex::new(Files::default()),
        }
    }
}

impl Default for ModelFs {
    fn default() -> Self {
        Self::new()
    }
}

// `#[track_caller]`: each call is one step in a trace, shown at the line
// that made it (your `try_lock`), not at the line in this file that takes
// the model's lock.
impl Fs for ModelFs {
    #[track_caller]
    fn exists(&self, name: &str) -> bool {
        self.files.lock().unwrap().0.contains_key(name)
    }

    #[track_caller]
    fn create(&self, name: &str, contents: &str) -> io::Result<()> {
        let files = &mut self.files.lock().unwrap().0;
        files.insert(name.to_string(), contents.to_string());
        Ok(())
    }

    #[track_caller]
    fn create_new(&self, name: &str, contents: &str) -> io::Result<()> {
        let files = &mut self.files.lock().unwrap().0;
        if files.contains_key(name) {
            return Err(io::ErrorKind::AlreadyExists.into());
        }
        files.insert(name.to_string(), contents.to_string());
        Ok(())
    }

    #[track_caller]
    fn read(&self, name: &str) -> io::Result<String> {
        let files = &self.files.lock().unwrap().0;
        files
            .get(name)
            .cloned()
            .ok_or(io::ErrorKind::NotFound.into())
    }
}
