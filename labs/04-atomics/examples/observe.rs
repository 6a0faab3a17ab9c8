//! This lab's models on real threads, their outcomes counted:
//! `cargo run -p lab-04 --release --example observe -- --help`.
fn main() {
    harness::observe::main("lab-04", lab_04::observed::MODELS);
}
