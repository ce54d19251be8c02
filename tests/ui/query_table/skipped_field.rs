use cassmodel::Model;

#[derive(Model)]
#[cassmodel(query_table(name = "users_by_city", partition_key = [city]))]
struct User {
    #[cassmodel(partition_key)]
    id: i32,
    #[cassmodel(skip)]
    city: String,
}

fn main() {}
