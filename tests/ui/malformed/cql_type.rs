use cassmodel::Model;

#[derive(Model)]
struct User {
    #[cassmodel(partition_key)]
    id: i32,
    #[cassmodel(type = "list<int")]
    scores: Vec<i32>,
}

fn main() {}
