//! `contains` is for collections; `name` is text (use `icontains` or `starts_with`).
use cassmodel::Model;

#[derive(Model, Debug, Clone)]
struct User {
    #[cassmodel(partition_key)]
    name: String,
}

fn main() {
    let _ = User::columns().name.contains("a");
}
