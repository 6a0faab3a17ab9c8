// An `async` block that borrows one of its own variables across an
// `.await` holds a pointer into itself: moved after its first poll, the
// pointer would dangle. That is why no `async` block is `Unpin` (the
// compiler treats every one as if it held such a borrow; this one does),
// and this does not compile. `cargo test -p lab-10 --doc` checks that it
// does not, and that the same future, boxed and pinned, is accepted.

fn needs_unpin<F: std::future::Future + Unpin>(_future: F) {}

fn main() {
    needs_unpin(async {
        let data = [1, 2, 3];
        let first = &data[0]; // a borrow of `data`...
        std::future::ready(()).await; // ...alive across an `.await`
        println!("{first}");
    });
}
