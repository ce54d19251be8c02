use cassmodel::UserType;

#[derive(UserType)]
struct Address {
    #[cassmodel(partition_key)]
    street: String,
}

fn main() {}
