use cassmodel::Model;

#[derive(Model)]
#[cassmodel(tabel = "users")]
struct User {
    #[cassmodel(partiton_key)]
    id: i32,
    #[cassmodel(indx)]
    email: String,
}

fn main() {}
