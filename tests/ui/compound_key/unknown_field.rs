use cassmodel::Model;

#[derive(Model)]
struct Place {
    #[cassmodel(partition_key, compound_key(fields = [city, zipp], separator = "|"))]
    id: String,
    city: String,
    zip: String,
}

fn main() {}
