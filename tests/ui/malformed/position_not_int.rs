use cassmodel::Model;

#[derive(Model)]
struct User {
    #[cassmodel(partition_key = "first")]
    id: i32,
}

fn main() {}
