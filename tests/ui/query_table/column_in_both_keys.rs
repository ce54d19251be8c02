use cassmodel::Model;

#[derive(Model)]
#[cassmodel(query_table(name = "users_by_city", partition_key = [city], clustering_key = [city]))]
struct User {
    #[cassmodel(partition_key)]
    id: i32,
    city: String,
}

fn main() {}
