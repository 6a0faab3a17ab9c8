//! This lab's models on real threads, their outcomes counted:
//! `cargo run -p lab-01 --release --example observe -- --help`.
fn main() {
    harness::observe::main("lab-01", lab_01::observed::MODELS);
}
