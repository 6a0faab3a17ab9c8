//! This lab's models on real threads, their outcomes counted:
//! `cargo run -p lab-06 --release --example observe -- --help`.
fn main() {
    harness::observe::main("lab-06", lab_06::observed::MODELS);
}
