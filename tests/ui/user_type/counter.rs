use cassmodel::UserType;

#[derive(UserType)]
struct Stats {
    #[cassmodel(type = "counter")]
    views: i64,
}

fn main() {}
