use cassmodel::Model;

#[derive(Model)]
#[cassmodel(options(caching = "ALL"))]
struct User {
    #[cassmodel(partition_key)]
    id: i32,
}

fn main() {}
