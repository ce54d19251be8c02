//! The `cassmodel` command.
fn main() {}
