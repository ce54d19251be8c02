use std::collections::{BTreeMap, HashSet};

use cassmodel::{Model, UserType};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(UserType, Debug, Clone, PartialEq)]
#[cassmodel(name = "address")]
pub struct Address {
    pub street: String,
    #[cassmodel(rename = "zipCode")]
    pub zip: i32,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Default)]
pub struct Settings {
    pub theme: String,
}

#[derive(Model, Debug, Clone, PartialEq)]
#[cassmodel(table = "users", ttl = 3600, options(comment = "all users", gc_grace_seconds = 3600))]
#[cassmodel(query_table(name = "users_by_city", partition_key = [city], clustering_key = [username]))]
pub struct User {
    #[cassmodel(partition_key, compound_key(fields = [city, username], separator = "|"))]
    pub id: String,
    #[cassmodel(clustering_key, order = "desc")]
    pub joined: i64,
    pub username: String,
    #[cassmodel(index)]
    pub city: String,
    #[cassmodel(static)]
    pub region: Option<String>,
    pub tags: HashSet<String>,
    pub scores: BTreeMap<String, Vec<i32>>,
    #[cassmodel(type = "frozen<address>")]
    pub home: Option<Address>,
    #[cassmodel(json)]
    pub settings: Settings,
    #[cassmodel(rename = "order")]
    pub r#type: Option<Uuid>,
    #[cassmodel(skip)]
    pub cached: Vec<u8>,
}

#[derive(Model, Debug, Clone, PartialEq)]
pub struct PageViews {
    #[cassmodel(partition_key)]
    pub page: String,
    #[cassmodel(counter)]
    pub views: i64,
}

fn main() {
    let _: &cassmodel::__private::TableDef = <User as Model>::TABLE;
    let key: Option<[String; 2]> = User::parse_id("paris|al\\|ice");
    assert_eq!(key, Some(["paris".to_owned(), "al|ice".to_owned()]));
    assert_eq!(<PageViews as Model>::TABLE.name, "page_views");
    assert_eq!(<Address as UserType>::TYPE_NAME, "address");
}
