use cassmodel::Model;

#[derive(Model)]
#[cassmodel(table = "users", query_table(name = "users", partition_key = [city]))]
struct User {
    #[cassmodel(partition_key)]
    id: i32,
    city: String,
}

fn main() {}
