//! This lab's models on real threads, their outcomes counted:
//! `cargo run -p lab-13 --release --example observe -- --help`.
fn main() {
    harness::observe::main("lab-13", lab_13::observed::MODELS);
}
