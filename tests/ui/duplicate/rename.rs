use cassmodel::Model;

#[derive(Model)]
struct User {
    #[cassmodel(partition_key)]
    id: i32,
    #[cassmodel(rename = "a", rename = "b")]
    name: String,
}

fn main() {}
