use cassmodel::Model;

struct Address {
    street: String,
}

#[derive(Model)]
struct User {
    #[cassmodel(partition_key)]
    id: i32,
    home: Address,
}

fn main() {}
