use cassmodel::Model;

#[derive(Model)]
struct User {
    #[cassmodel(partition_key)]
    id: i32,
    name: String,
    #[cassmodel(rename = "name")]
    display_name: String,
}

fn main() {}
