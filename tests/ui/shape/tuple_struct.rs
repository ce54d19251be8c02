use cassmodel::Model;

#[derive(Model)]
struct User(i32, String);

fn main() {}
