//! Golden tests: the exact CQL rendered for representative models, parsed from Rust
//! source the way the derive and `cassmodel migrate` parse it.

use cassmodel_schema::render::{self, Bound, InsertKind, Slice};
use cassmodel_schema::{CqlType, TableDef, UserTypeDef, attr};

fn table(src: &str) -> TableDef {
    let item: syn::ItemStruct = syn::parse_str(src).expect("valid struct");
    attr::table_of_item(&item).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn userline_desc_clustering() {
    let t = table(
        r#"
        #[cassmodel(table = "userline")]
        pub struct Userline {
            #[cassmodel(partition_key)] pub username: String,
            #[cassmodel(clustering_key, order = "desc")] pub time: TimeUuid,
            pub tweet_id: Uuid,
        }"#,
    );
    assert_eq!(
        render::create_table(&t, true),
        "CREATE TABLE IF NOT EXISTS userline (username text, time timeuuid, tweet_id uuid, \
         PRIMARY KEY (username, time)) WITH CLUSTERING ORDER BY (time DESC)"
    );
    assert_eq!(
        render::insert(&t, InsertKind::Upsert),
        "INSERT INTO userline (username, time, tweet_id) VALUES (?, ?, ?) USING TTL ? AND TIMESTAMP ?"
    );
    assert_eq!(
        render::insert(&t, InsertKind::IfNotExists),
        "INSERT INTO userline (username, time, tweet_id) VALUES (?, ?, ?) IF NOT EXISTS USING TTL ?"
    );
    assert_eq!(
        render::insert(&t, InsertKind::Plain),
        "INSERT INTO userline (username, time, tweet_id) VALUES (?, ?, ?)"
    );
    assert_eq!(
        render::select_by_primary_key(&t),
        "SELECT username, time, tweet_id FROM userline WHERE username = ? AND time = ?"
    );
    assert_eq!(
        render::select_by_partition(&t),
        "SELECT username, time, tweet_id FROM userline WHERE username = ?"
    );
    let slice = Slice {
        eq_prefix: 0,
        lower: Some(Bound::Exclusive),
        upper: Some(Bound::Inclusive),
        reverse: true,
        limit: true,
    };
    assert_eq!(
        render::select_slice(&t, slice).as_deref(),
        Some(
            "SELECT username, time, tweet_id FROM userline WHERE username = ? AND time > ? AND time <= ? \
             ORDER BY time ASC LIMIT ?"
        )
    );
    assert_eq!(
        render::select_slice(
            &t,
            Slice {
                eq_prefix: 1,
                lower: Some(Bound::Inclusive),
                ..Slice::default()
            }
        ),
        None
    );
    assert_eq!(
        render::update(&t, &["tweet_id"]),
        "UPDATE userline USING TTL ? AND TIMESTAMP ? SET tweet_id = ? WHERE username = ? AND time = ?"
    );
    assert_eq!(
        render::delete_row(&t),
        "DELETE FROM userline USING TIMESTAMP ? WHERE username = ? AND time = ?"
    );
    assert_eq!(
        render::delete_partition(&t),
        "DELETE FROM userline USING TIMESTAMP ? WHERE username = ?"
    );
}

#[test]
fn composite_partition_key_explicit_positions_statics_and_options() {
    let t = table(
        r#"
        #[cassmodel(options(default_time_to_live = 3600, comment = "it's a test", compaction = "LeveledCompactionStrategy",
                            gc_grace_seconds = 86400, caching = "{'keys': 'ALL', 'rows_per_partition': 'NONE'}",
                            bloom_filter_fp_chance = 0.01))]
        struct SensorReading {
            #[cassmodel(clustering_key = 1)] seq: i32,
            #[cassmodel(partition_key = 1)] day: CqlDate,
            #[cassmodel(partition_key = 0)] sensor_id: Uuid,
            #[cassmodel(clustering_key = 0, order = "asc")] at: CqlTimestamp,
            #[cassmodel(static)] location: Option<String>,
            value: f64,
            #[cassmodel(skip)] cache: Vec<u8>,
        }"#,
    );
    assert_eq!(
        render::create_table(&t, false),
        "CREATE TABLE sensor_reading (seq int, day date, sensor_id uuid, at timestamp, location text STATIC, \
         value double, PRIMARY KEY ((sensor_id, day), at, seq)) WITH bloom_filter_fp_chance = 0.01 AND \
         caching = {'keys': 'ALL', 'rows_per_partition': 'NONE'} AND comment = 'it''s a test' AND \
         compaction = {'class': 'LeveledCompactionStrategy'} AND default_time_to_live = 3600 AND gc_grace_seconds = 86400"
    );
    assert_eq!(
        render::select_by_primary_key(&t),
        "SELECT seq, day, sensor_id, at, location, value FROM sensor_reading \
         WHERE sensor_id = ? AND day = ? AND at = ? AND seq = ?"
    );
    assert_eq!(
        render::select_slice(
            &t,
            Slice {
                eq_prefix: 1,
                lower: Some(Bound::Inclusive),
                upper: None,
                reverse: false,
                limit: false
            }
        )
        .as_deref(),
        Some(
            "SELECT seq, day, sensor_id, at, location, value FROM sensor_reading \
             WHERE sensor_id = ? AND day = ? AND at = ? AND seq >= ?"
        )
    );
    assert_eq!(
        render::alter_with("sensor_reading", &t.options)
            .as_deref()
            .map(|s| s.starts_with("ALTER TABLE sensor_reading WITH bloom")),
        Some(true)
    );
    assert_eq!(
        render::alter_add("sensor_reading", &t.columns[4]),
        "ALTER TABLE sensor_reading ADD location text STATIC"
    );
    assert_eq!(
        render::alter_drop("sensor_reading", "value"),
        "ALTER TABLE sensor_reading DROP value"
    );
}

#[test]
fn collections_udt_frozen_and_indexes() {
    let t = table(
        r#"
        struct Profile {
            #[cassmodel(partition_key)] id: Uuid,
            #[cassmodel(index)] email: String,
            tags: HashSet<String>,
            #[cassmodel(index(target = "keys"))] attrs: BTreeMap<String, Vec<i32>>,
            #[cassmodel(type = "frozen<address>")] home: Address,
            #[cassmodel(type = "list<frozen<address>>")] others: Vec<Address>,
            #[cassmodel(frozen, index = "profile_history")] history: Vec<(i32, String)>,
            #[cassmodel(json)] settings: Settings,
            ip: Option<std::net::IpAddr>,
        }"#,
    );
    assert_eq!(
        render::create_table(&t, true),
        "CREATE TABLE IF NOT EXISTS profile (id uuid, email text, tags set<text>, \
         attrs map<text, frozen<list<int>>>, home frozen<address>, others list<frozen<address>>, \
         history frozen<list<tuple<int, text>>>, settings text, ip inet, PRIMARY KEY (id))"
    );
    let idx: Vec<String> = t
        .indexes
        .iter()
        .map(|i| render::create_index(&t, i, true))
        .collect();
    assert_eq!(
        idx,
        [
            "CREATE INDEX IF NOT EXISTS profile_email_idx ON profile (email)",
            "CREATE INDEX IF NOT EXISTS profile_attrs_idx ON profile (KEYS(attrs))",
            "CREATE INDEX IF NOT EXISTS profile_history ON profile (FULL(history))",
        ]
    );
    assert!(render::select_by_column(&t, "email").ends_with("FROM profile WHERE email = ?"));
    let udt = UserTypeDef {
        name: "address".into(),
        fields: vec![
            ("street".into(), CqlType::Text),
            ("zip".into(), CqlType::Int),
        ]
        .into(),
    };
    assert_eq!(
        render::create_type(&udt, true),
        "CREATE TYPE IF NOT EXISTS address (street text, zip int)"
    );
}

#[test]
fn counters() {
    let t = table(
        r#"
        struct PageViews {
            #[cassmodel(partition_key)] page: String,
            #[cassmodel(clustering_key)] day: CqlDate,
            views: Counter,
            #[cassmodel(counter)] clicks: i64,
        }"#,
    );
    assert!(t.is_counter_table());
    assert_eq!(
        render::create_table(&t, true),
        "CREATE TABLE IF NOT EXISTS page_views (page text, day date, views counter, clicks counter, \
         PRIMARY KEY (page, day))"
    );
    assert_eq!(
        render::update(&t, &["views", "clicks"]),
        "UPDATE page_views SET views = views + ?, clicks = clicks + ? WHERE page = ? AND day = ?"
    );
}

#[test]
fn quoting_of_reserved_and_mixed_case_names() {
    let t = table(
        r#"
        #[cassmodel(table = "Order")]
        struct Order {
            #[cassmodel(partition_key)] r#where: String,
            #[cassmodel(clustering_key, rename = "createdAt", order = "desc")] created_at: i64,
            r#type: String,
            #[cassmodel(rename = "say \"hi\"")] greeting: String,
        }"#,
    );
    assert_eq!(
        render::create_table(&t, true),
        "CREATE TABLE IF NOT EXISTS \"Order\" (\"where\" text, \"createdAt\" bigint, type text, \
         \"say \"\"hi\"\"\" text, PRIMARY KEY (\"where\", \"createdAt\")) WITH CLUSTERING ORDER BY (\"createdAt\" DESC)"
    );
    assert_eq!(
        render::delete_row(&t),
        "DELETE FROM \"Order\" USING TIMESTAMP ? WHERE \"where\" = ? AND \"createdAt\" = ?"
    );
}

#[test]
fn compound_keys_and_query_tables_are_data() {
    let t = table(
        r#"
        #[cassmodel(query_table(name = "users_by_city", partition_key = [city], clustering_key = [age, username]))]
        struct User {
            #[cassmodel(partition_key, compound_key(fields = [city, zip], separator = "|"))] id: String,
            username: String,
            city: String,
            zip: String,
            age: i32,
        }"#,
    );
    assert_eq!(t.compound_keys.len(), 1);
    assert_eq!(
        t.compound_keys[0]
            .fields
            .iter()
            .map(|f| &**f)
            .collect::<Vec<_>>(),
        ["city", "zip"]
    );
    assert_eq!(t.compound_keys[0].separator, "|");
    assert_eq!(t.query_tables[0].name, "users_by_city");
    assert_eq!(
        t.query_tables[0]
            .clustering_key
            .iter()
            .map(|f| &**f)
            .collect::<Vec<_>>(),
        ["age", "username"]
    );
}
