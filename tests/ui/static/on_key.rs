use cassmodel::Model;

#[derive(Model)]
struct Event {
    #[cassmodel(partition_key)]
    id: i32,
    #[cassmodel(clustering_key, static)]
    at: i64,
}

fn main() {}
