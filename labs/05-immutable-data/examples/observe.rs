//! This lab's models on real threads, their outcomes counted:
//! `cargo run -p lab-05 --release --example observe -- --help`.
fn main() {
    harness::observe::main("lab-05", lab_05::observed::MODELS);
}
