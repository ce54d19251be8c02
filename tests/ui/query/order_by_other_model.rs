//! `order_by` takes a column of the queried model.
use cassmodel::Model;
use cassmodel::query::Order;

#[derive(Model, Debug, Clone)]
struct User {
    #[cassmodel(partition_key)]
    name: String,
}

#[derive(Model, Debug, Clone)]
struct Post {
    #[cassmodel(partition_key)]
    id: i32,
}

fn main() {
    let _ = User::query().order_by(Post::columns().id, Order::Asc);
}
