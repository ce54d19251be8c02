use cassmodel::Model;

#[derive(Model)]
#[cassmodel(options(default_ttl = 3600))]
struct User {
    #[cassmodel(partition_key)]
    id: i32,
}

fn main() {}
