use cassmodel::Model;

#[derive(Model)]
struct Job {
    #[cassmodel(partition_key)]
    id: i32,
    timeout: std::time::Duration,
}

fn main() {}
