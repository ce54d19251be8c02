use cassmodel::Model;

#[derive(Model)]
struct User {
    #[cassmodel(partiton_key)]
    id: i32,
}

fn main() {}
