use cassmodel::Model;

#[derive(Model)]
struct Event {
    #[cassmodel(partition_key)]
    id: i32,
    #[cassmodel(clustering_key)]
    at: i64,
    #[cassmodel(static = true)]
    owner: String,
}

fn main() {}
