use cassmodel::Model;

#[derive(Model)]
struct User {
    #[cassmodel(partition_key, json)]
    id: Vec<String>,
}

fn main() {}
