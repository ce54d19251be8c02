use cassmodel::Model;

#[derive(Model)]
struct User {
    #[cassmodel(partition_key, partition_key)]
    id: i32,
}

fn main() {}
