use cassmodel::Model;

#[derive(Model)]
struct User;

fn main() {}
