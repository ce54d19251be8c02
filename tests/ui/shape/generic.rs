use cassmodel::Model;

#[derive(Model)]
struct User<T> {
    #[cassmodel(partition_key)]
    id: T,
}

fn main() {}
