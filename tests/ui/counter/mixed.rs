use cassmodel::Model;

#[derive(Model)]
struct PageViews {
    #[cassmodel(partition_key)]
    page: String,
    #[cassmodel(counter)]
    views: i64,
    title: String,
}

fn main() {}
