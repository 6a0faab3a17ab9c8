//! This lab's models on real threads, their outcomes counted:
//! `cargo run -p lab-07 --release --example observe -- --help`.
fn main() {
    harness::observe::main("lab-07", lab_07::observed::MODELS);
}
