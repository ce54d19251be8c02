use cassmodel::Model;

#[derive(Model)]
struct Event {
    #[cassmodel(partition_key)]
    id: i32,
    #[cassmodel(clustering_key, order = "descending")]
    at: i64,
}

fn main() {}
