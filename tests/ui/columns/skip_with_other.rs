use cassmodel::Model;

#[derive(Model)]
struct User {
    #[cassmodel(partition_key)]
    id: i32,
    #[cassmodel(skip, index)]
    cache: String,
}

fn main() {}
