//! A cascade's key closure returns the dependent model's key type: `Userline` is keyed by
//! `(String,)`, not by the user's age.
use cassmodel::Model;
use cassmodel::query::Cascade;

#[derive(Model, Debug, Clone)]
struct User {
    #[cassmodel(partition_key)]
    name: String,
    age: i32,
}

#[derive(Model, Debug, Clone)]
struct Userline {
    #[cassmodel(partition_key)]
    name: String,
    #[cassmodel(clustering_key)]
    seq: i32,
}

fn main() {
    let _ = Cascade::partitions::<Userline>(|u: &User| (u.age,));
}
