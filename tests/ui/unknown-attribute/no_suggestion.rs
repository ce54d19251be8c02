use cassmodel::Model;

#[derive(Model)]
struct User {
    #[cassmodel(primary)]
    id: i32,
}

fn main() {}
