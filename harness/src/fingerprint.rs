//! The fingerprint that tells an exercise's starter from a learner's edit.
//!
//! This file depends on nothing but `std`, so that `cargo xtask progress`
//! compiles this very file too (by `#[path]`) and tells which exercises
//! are untouched without building the labs or the harness.

/// A fingerprint of a source file: 64-bit FNV-1a of its text, with `\r\n`
/// read as `\n` so a checkout on Windows matches.
pub fn fingerprint(text: &str) -> u64 {
    text.replace("\r\n", "\n")
        .bytes()
        .fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
            (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3)
        })
}
