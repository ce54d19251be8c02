//! Text lookups (`starts_with`, `icontains`, `regex`...) need a text column.
use cassmodel::Model;

#[derive(Model, Debug, Clone)]
struct User {
    #[cassmodel(partition_key)]
    name: String,
    age: i32,
}

fn main() {
    let _ = User::columns().age.starts_with("1");
}
