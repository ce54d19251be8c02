//! A predicate on another model's column cannot filter this model's query.
use cassmodel::Model;

#[derive(Model, Debug, Clone)]
struct User {
    #[cassmodel(partition_key)]
    name: String,
}

#[derive(Model, Debug, Clone)]
struct Post {
    #[cassmodel(partition_key)]
    id: i32,
}

fn main() {
    let _ = User::query().filter(Post::columns().id.eq(1));
}
