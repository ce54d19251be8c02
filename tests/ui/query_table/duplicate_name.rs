use cassmodel::Model;

#[derive(Model)]
#[cassmodel(
    query_table(name = "users_by_city", partition_key = [city]),
    query_table(name = "users_by_city", partition_key = [age])
)]
struct User {
    #[cassmodel(partition_key)]
    id: i32,
    city: String,
    age: i32,
}

fn main() {}
