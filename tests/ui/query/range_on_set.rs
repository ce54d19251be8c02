//! A set has no order to compare with `gt`; use `contains`.
use std::collections::HashSet;

use cassmodel::Model;

#[derive(Model, Debug, Clone)]
struct User {
    #[cassmodel(partition_key)]
    name: String,
    tags: HashSet<String>,
}

fn main() {
    let _ = User::columns().tags.gt(HashSet::new());
}
