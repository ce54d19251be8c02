use cassmodel::Model;

#[derive(Model)]
#[cassmodel(query_table(name = "users_by_tags", partition_key = [tags]))]
struct User {
    #[cassmodel(partition_key)]
    id: i32,
    tags: Vec<String>,
}

fn main() {}
