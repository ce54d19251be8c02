use cassmodel::Model;

#[derive(Model)]
struct Reading {
    #[cassmodel(partition_key = 0)]
    sensor: i32,
    #[cassmodel(partition_key = 2)]
    day: i32,
}

fn main() {}
