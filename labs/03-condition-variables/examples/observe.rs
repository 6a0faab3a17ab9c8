//! This lab's models on real threads, their outcomes counted:
//! `cargo run -p lab-03 --release --example observe -- --help`.
fn main() {
    harness::observe::main("lab-03", lab_03::observed::MODELS);
}
