use cassmodel::Model;

#[derive(Model)]
struct User {
    #[cassmodel(partition_key, index)]
    id: i32,
}

fn main() {}
