//! Support for the labs' exercises.

use crate::check::show_to_learner;

/// Whether `file` (a path relative to the lab's folder) is still the
/// exercise's starter as the course ships it, whose [`fingerprint`] is
/// `starter`.
///
/// The course's tests prove that each exercise's starter fails its check.
/// Once a learner has started on the exercise (edited, or even committed
/// their answer) that proof has nothing to say: the test skips itself, and
/// says so. In CI (where `CI` is set) it never skips: a changed starter
/// fails, with the fingerprint to record if the change was meant.
pub fn starter_untouched(file: &str, starter: u64) -> bool {
    let text = std::fs::read_to_string(file).unwrap_or_else(|e| panic!("{file}: {e}"));
    let found = fingerprint(&text);
    if found == starter {
        return true;
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "{file} is not the starter this test proves unsolved (its fingerprint is {found:#018x}, \
         the test expects {starter:#018x}). If you changed the starter on purpose, put \
         {found:#018x} in the test."
    );
    show_to_learner(&format!(
        "note: {file} is not the starter the course ships (you are working on it), so the \
         check that the starter fails is skipped. Check your answer with the exercise's \
         command. (Course authors: its fingerprint is now {found:#018x}.)"
    ));
    false
}

/// A fingerprint of a source file: 64-bit FNV-1a of its text, with `\r\n`
/// read as `\n` so a checkout on Windows matches.
pub fn fingerprint(text: &str) -> u64 {
    text.replace("\r\n", "\n")
        .bytes()
        .fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
            (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3)
        })
}
