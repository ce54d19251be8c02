//! `slice_<query table>` takes the query table's partition key, typed as its fields: the
//! city (a `String`) of `users_by_city`, not the user's age.
use cassmodel::Model;

#[derive(Model, Debug, Clone)]
#[cassmodel(query_table(name = "users_by_city", partition_key = [city], clustering_key = [age]))]
struct User {
    #[cassmodel(partition_key)]
    name: String,
    city: String,
    age: i32,
}

async fn oldest(db: &cassmodel::Db) {
    let _ = User::slice_users_by_city(db, &30).reverse().limit(1).stream();
}

fn main() {
    let _ = oldest;
}
