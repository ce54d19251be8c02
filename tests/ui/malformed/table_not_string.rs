use cassmodel::Model;

#[derive(Model)]
#[cassmodel(table = users)]
struct User {
    #[cassmodel(partition_key)]
    id: i32,
}

fn main() {}
