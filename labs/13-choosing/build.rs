//! Records the compiler's version, for the JSON's `machine.rustc`.

fn main() {
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| String::from("rustc"));
    let version = std::process::Command::new(rustc)
        .arg("--version")
        .output()
        .ok()
        .and_then(|out| String::from_utf8(out.stdout).ok())
        .unwrap_or_else(|| String::from("unknown"));
    println!("cargo::rustc-env=LAB13_RUSTC_VERSION={}", version.trim());
    println!("cargo::rerun-if-env-changed=RUSTC");
}
