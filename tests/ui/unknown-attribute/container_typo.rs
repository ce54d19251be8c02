use cassmodel::Model;

#[derive(Model)]
#[cassmodel(tabel = "users")]
struct User {
    #[cassmodel(partition_key)]
    id: i32,
}

fn main() {}
