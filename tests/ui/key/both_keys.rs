use cassmodel::Model;

#[derive(Model)]
struct User {
    #[cassmodel(partition_key, clustering_key)]
    id: i32,
}

fn main() {}
