use cassmodel::Model;

#[derive(Model)]
struct User {
    #[cassmodel(partition_key)]
    id: i32,
    scores: Vec<Option<i32>>,
}

fn main() {}
