//! Where things are: the package whose tests are running, and the course's
//! workspace. The bottom layer, with `verdict`: it uses no other module.

use std::path::{Path, PathBuf};

/// The package whose test is running (`lab-01`), as cargo tells the test.
pub(crate) fn lab_name() -> String {
    std::env::var("CARGO_PKG_NAME").unwrap_or_default()
}

/// The course's workspace root (the harness's own, fixed when the harness
/// is compiled): where the book's files are. Not where a model's source
/// is: see `source::source_path`.
pub(crate) fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the harness lives in the workspace")
        .to_path_buf()
}
