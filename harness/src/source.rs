//! The model's own source code, read from disk: the line a trace row
//! points at, and the statement it starts. The bottom layer of the
//! harness: it imports nothing of the harness, and recording (which names
//! an object after the line that made it) and rendering (which shows the
//! code under a table) both call it.

use std::path::{Path, PathBuf};

/// The one line of code at `file:line`, trimmed, if the model's source is
/// found.
pub(crate) fn source_line(file: &str, line: u32) -> Option<String> {
    source_lines(file, line)?.into_iter().next()
}

/// The code at `file:line`, as the list under a table shows it.
pub(crate) fn code_at(file: &str, line: u32) -> String {
    source_statement(file, line).unwrap_or_default()
}

/// Where the source file a `Location` names is on disk. Its path is
/// relative to the root of the workspace that compiled the caller, which
/// is the running test's workspace, not the harness's: a model may live in
/// a crate outside the course. Cargo runs a test with `CARGO_MANIFEST_DIR`
/// set to its package's folder, and the workspace root is that folder or
/// one above it: the first of them that holds `file` is taken. Without the
/// variable (a test binary run by hand), the current folder and those
/// above it. An absolute path (a registry crate's, std's) is not the
/// model's own code, and is left out.
fn source_path(file: &str) -> Option<PathBuf> {
    if file.is_empty() || Path::new(file).is_absolute() {
        return None;
    }
    let package = std::env::var_os("CARGO_MANIFEST_DIR").map(PathBuf::from);
    let current = std::env::current_dir().ok();
    package.into_iter().chain(current).find_map(|start| {
        start
            .ancestors()
            .map(|folder| folder.join(file))
            .find(|path| path.is_file())
    })
}

/// The lines of the model's own code (not loom's or std's) from `line` on.
fn source_lines(file: &str, line: u32) -> Option<Vec<String>> {
    let text = std::fs::read_to_string(source_path(file)?).ok()?;
    let from = line.checked_sub(1)? as usize;
    let lines: Vec<String> = text
        .lines()
        .skip(from)
        .map(|l| l.trim().to_string())
        .collect();
    (!lines.is_empty()).then_some(lines)
}

/// The code at `line`, with the lines that continue it joined on: while
/// its parentheses are open (an `assert!` rustfmt spread over several
/// lines, say), or while the next line goes on with a method call.
pub(crate) fn source_statement(file: &str, line: u32) -> Option<String> {
    let lines = source_lines(file, line)?;
    let code = |l: &str| l.split("//").next().unwrap_or_default().to_string();
    let mut statement = lines[0].clone();
    let mut open = parens(&code(&lines[0]));
    for next in lines.iter().skip(1).take(5) {
        let opens_block = statement.ends_with('{');
        if opens_block || (open <= 0 && !next.starts_with('.')) {
            break;
        }
        if !(statement.ends_with('(') || next.starts_with(')') || next.starts_with('.')) {
            statement.push(' ');
        }
        statement.push_str(next);
        open += parens(&code(next));
    }
    Some(statement)
}

/// How many more `(` than `)` a piece of code has.
fn parens(code: &str) -> i32 {
    code.chars()
        .map(|c| match c {
            '(' => 1,
            ')' => -1,
            _ => 0,
        })
        .sum()
}
