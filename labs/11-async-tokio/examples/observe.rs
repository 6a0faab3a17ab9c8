//! This lab's models on real threads, their outcomes counted:
//! `cargo run -p lab-11 --release --example observe -- --help`.
fn main() {
    harness::observe::main("lab-11", lab_11::observed::MODELS);
}
