use cassmodel::Model;

#[derive(Model)]
#[cassmodel(query_table(name = "views_by_page", partition_key = [page], clustering_key = [day]))]
struct Views {
    #[cassmodel(partition_key)]
    day: i32,
    #[cassmodel(clustering_key)]
    page: String,
    #[cassmodel(counter)]
    hits: i64,
}

fn main() {}
