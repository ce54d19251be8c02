//! A `json` column stores text, not the field: it gets no column handle.
use cassmodel::Model;

#[derive(Model, Debug, Clone, serde::Serialize, serde::Deserialize)]
struct User {
    #[cassmodel(partition_key)]
    name: String,
    #[cassmodel(json)]
    prefs: Vec<String>,
}

fn main() {
    let _ = User::columns().prefs;
}
