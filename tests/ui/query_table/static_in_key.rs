use cassmodel::Model;

#[derive(Model)]
#[cassmodel(query_table(name = "posts_by_blog_title", partition_key = [blog_title]))]
struct Post {
    #[cassmodel(partition_key)]
    blog: i32,
    #[cassmodel(clustering_key)]
    post: i32,
    #[cassmodel(static)]
    blog_title: String,
}

fn main() {}
