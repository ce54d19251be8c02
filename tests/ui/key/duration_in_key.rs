use cassmodel::Model;

#[derive(Model)]
struct Slot {
    #[cassmodel(partition_key, type = "duration")]
    length: String,
}

fn main() {}
