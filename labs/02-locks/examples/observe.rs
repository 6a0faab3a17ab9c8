//! This lab's models on real threads, their outcomes counted:
//! `cargo run -p lab-02 --release --example observe -- --help`.
fn main() {
    harness::observe::main("lab-02", lab_02::observed::MODELS);
}
