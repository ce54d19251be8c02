use cassmodel::Model;

#[derive(Model)]
struct Place {
    #[cassmodel(partition_key, compound_key(fields = [city, zip], separator = "|"))]
    id: i64,
    city: String,
    zip: String,
}

fn main() {}
