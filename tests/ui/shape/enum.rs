use cassmodel::Model;

#[derive(Model)]
enum User {
    A { id: i32 },
}

fn main() {}
