//! The child the lab's parents run: `lab-08 child --stdout N --stderr N`,
//! `lab-08 echo`, `lab-08 exit`. See `lab_08::real`.

fn main() -> std::process::ExitCode {
    lab_08::real::child_main(std::env::args())
}
