//! A lookup's value must have the column's type: `age` is an `int`.
use cassmodel::Model;

#[derive(Model, Debug, Clone)]
struct User {
    #[cassmodel(partition_key)]
    name: String,
    age: i32,
}

fn main() {
    let _ = User::columns().age.eq("x");
}
