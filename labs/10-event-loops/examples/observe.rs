//! This lab's models on real threads, their outcomes counted:
//! `cargo run -p lab-10 --release --example observe -- --help`.
fn main() {
    harness::observe::main("lab-10", lab_10::observed::MODELS);
}
