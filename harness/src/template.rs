//! What a test that builds one of the course's `templates/` outside the
//! workspace needs: a copy of its sources in a folder of its own, removed
//! when the test ends (`harness/tests/own_code.rs`, `tests/loom_direct.rs`).

use std::fs;
use std::path::{Path, PathBuf};

/// Copies a template's sources from `from` to `to`, leaving out what
/// building it left (`target/`, `Cargo.lock`).
pub fn copy_sources(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap_or_else(|e| panic!("{}: {e}", to.display()));
    let entries = fs::read_dir(from).unwrap_or_else(|e| panic!("{}: {e}", from.display()));
    for entry in entries.flatten() {
        let name = entry.file_name();
        if name == "target" || name == "Cargo.lock" {
            continue;
        }
        let path = entry.path();
        if path.is_dir() {
            copy_sources(&path, &to.join(&name));
        } else {
            fs::copy(&path, to.join(&name)).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        }
    }
}

/// A folder removed when dropped, whether the test passes or fails.
pub struct TempFolder(pub PathBuf);

impl Drop for TempFolder {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}
