//! `contains_key` is for maps only.
use cassmodel::Model;

#[derive(Model, Debug, Clone)]
struct User {
    #[cassmodel(partition_key)]
    name: String,
    emails: Vec<String>,
}

fn main() {
    let _ = User::columns().emails.contains_key(0usize);
}
