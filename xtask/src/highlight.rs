//! `cargo xtask highlight`: writes `book/theme/highlight.js`, mdBook's own
//! highlight.js bundle (10.1.1, 137 KB, 45 languages) cut down to the
//! languages the book's code blocks use (about 25 KB). mdBook loads a
//! theme's `highlight.js` in place of its own, so every page is lighter
//! (issue 27); the book's test (`tests/book.rs`) fails if a code block
//! names a language the cut bundle lacks, with this command to run.

use std::fs;
use std::path::Path;
use std::process::Command;

/// The languages kept, by the names the bundle registers them under:
/// rust; python; `console` (shell, which highlights its commands as
/// bash); `toml` (ini); `text` (plaintext); json.
pub const KEPT: &[&str] = &[
    "bash",
    "ini",
    "json",
    "plaintext",
    "python",
    "rust",
    "shell",
];

/// Where mdBook's bundle is split: its core, then one call per language.
const REGISTER: &str = "hljs.registerLanguage(\"";

pub fn highlight(root: &Path, mdbook: &Path) -> Result<(), String> {
    let scratch = root.join("target/xtask-highlight");
    let _ = fs::remove_dir_all(&scratch);
    fs::create_dir_all(&scratch).map_err(|e| format!("{}: {e}", scratch.display()))?;
    // `mdbook init --theme` writes mdBook's stock theme files, this bundle
    // among them, into a new book; nothing else of that book is used.
    let mut init = Command::new(mdbook);
    init.current_dir(&scratch)
        .args([
            "init", "--theme", "--ignore", "none", "--title", "stock", ".",
        ])
        .stdin(std::process::Stdio::null());
    super::run(&mut init)?;
    let stock_path = scratch.join("theme/highlight.js");
    let stock =
        fs::read_to_string(&stock_path).map_err(|e| format!("{}: {e}", stock_path.display()))?;
    let cut = cut(&stock)?;
    let out = root.join("book/theme/highlight.js");
    fs::write(&out, &cut).map_err(|e| format!("{}: {e}", out.display()))?;
    println!(
        "wrote {}: {} of the stock bundle's {} bytes ({})",
        out.display(),
        cut.len(),
        stock.len(),
        KEPT.join(", ")
    );
    let _ = fs::remove_dir_all(&scratch);
    Ok(())
}

/// The bundle's core and the `KEPT` languages' registrations, in the
/// bundle's order, under a header saying what was done.
pub fn cut(stock: &str) -> Result<String, String> {
    let mut parts = stock.split(REGISTER);
    let core = parts.next().unwrap_or_default();
    if !core.contains("Highlight.js") {
        return Err(String::from(
            "mdBook's highlight.js does not start as expected",
        ));
    }
    let mut out = String::from(
        "/* mdBook's highlight.js, cut by `cargo xtask highlight` to the languages this \
         book uses. */\n",
    );
    out.push_str(core);
    let mut found = Vec::new();
    for part in parts {
        let name = part.split('"').next().unwrap_or_default();
        if KEPT.contains(&name) {
            out.push_str(REGISTER);
            out.push_str(part);
            found.push(name);
        }
    }
    let missing: Vec<_> = KEPT.iter().filter(|n| !found.contains(n)).collect();
    if !missing.is_empty() {
        return Err(format!("mdBook's highlight.js has no {missing:?}"));
    }
    // The last language's registration ends the bundle with a newline or not.
    if !out.ends_with('\n') {
        out.push('\n');
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cut_keeps_the_core_and_only_the_kept_languages() {
        let stock = "/* Highlight.js 10.1.1 */var hljs=1;\
            hljs.registerLanguage(\"apache\",function(){}());\
            hljs.registerLanguage(\"bash\",function(){}());\
            hljs.registerLanguage(\"ini\",function(){}());\
            hljs.registerLanguage(\"json\",function(){}());\
            hljs.registerLanguage(\"plaintext\",function(){}());\
            hljs.registerLanguage(\"python\",function(){}());\
            hljs.registerLanguage(\"rust\",function(){}());\
            hljs.registerLanguage(\"shell\",function(){}());\
            hljs.registerLanguage(\"sql\",function(){}());";
        let cut = cut(stock).unwrap();
        assert!(cut.contains("var hljs=1;"));
        assert!(cut.contains("registerLanguage(\"rust\""));
        assert!(!cut.contains("apache") && !cut.contains("sql"));
        assert!(cut.ends_with('\n'));
        let without_rust = stock.replace("\"rust\"", "\"ruby\"");
        assert!(cut_fails_naming(&without_rust, "rust"));
    }

    fn cut_fails_naming(stock: &str, language: &str) -> bool {
        cut(stock).is_err_and(|e| e.contains(language))
    }
}
