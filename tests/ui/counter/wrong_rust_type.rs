use cassmodel::Model;

#[derive(Model)]
struct PageViews {
    #[cassmodel(partition_key)]
    page: String,
    #[cassmodel(counter)]
    views: String,
}

fn main() {}
