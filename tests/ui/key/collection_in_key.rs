use cassmodel::Model;

#[derive(Model)]
struct Group {
    #[cassmodel(partition_key)]
    id: i32,
    #[cassmodel(clustering_key)]
    members: Vec<String>,
}

fn main() {}
