use cassmodel::Model;

#[derive(Model)]
struct User {
    #[cassmodel(partition_key)]
    id: i32,
    #[cassmodel(json, type = "text")]
    settings: String,
}

fn main() {}
