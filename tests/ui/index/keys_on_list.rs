use cassmodel::Model;

#[derive(Model)]
struct User {
    #[cassmodel(partition_key)]
    id: i32,
    #[cassmodel(index(target = "keys"))]
    tags: Vec<String>,
}

fn main() {}
