use cassmodel::Model;

#[derive(Model)]
#[cassmodel(table = "a")]
#[cassmodel(table = "b")]
struct User {
    #[cassmodel(partition_key)]
    id: i32,
}

fn main() {}
