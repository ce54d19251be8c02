//! Client warnings the engine attaches to a request, as Cassandra 4.1 issues them:
//! aggregations over many partitions (`SelectStatement`), replication factors
//! above this one-node cluster's size (`SimpleStrategy` / `NetworkTopologyStrategy`
//! `maybeWarnOnOptions`, `AlterKeyspaceStatement.clientWarnings`), and large or
//! widely spread batches (`BatchStatement.verifyBatchSize`, `verifyBatchType`).

mod engine_common;

use cassmodel_embedded::exec::client_warn;
use engine_common::{Db, db};

/// Runs `cql` and returns the warnings it drew.
fn warnings(d: &mut Db, cql: &str) -> Vec<String> {
    client_warn::capture(|| d.exec(cql)).1
}

const NO_KEY: &str = "Aggregation query used without partition key";
const IN_KEYS: &str = "Aggregation query used on multiple partition keys (IN restriction)";

#[test]
fn aggregates_without_a_partition_key_warn() {
    let mut d = db();
    d.exec("CREATE TABLE scores (team text, game int, pts int, PRIMARY KEY (team, game))");
    d.exec("INSERT INTO scores (team, game, pts) VALUES ('owls', 1, 3)");
    assert_eq!(warnings(&mut d, "SELECT count(*) FROM scores"), [NO_KEY]);
    assert_eq!(
        warnings(
            &mut d,
            "SELECT max(pts) FROM scores WHERE pts > 0 ALLOW FILTERING"
        ),
        [NO_KEY]
    );
    // GROUP BY is an aggregation even without an aggregate function.
    assert_eq!(
        warnings(&mut d, "SELECT team FROM scores GROUP BY team"),
        [NO_KEY]
    );
    assert_eq!(
        warnings(
            &mut d,
            "SELECT sum(pts) FROM scores WHERE team IN ('owls', 'larks')"
        ),
        [IN_KEYS]
    );
}

#[test]
fn restricted_or_plain_selects_do_not_warn() {
    let mut d = db();
    d.exec("CREATE TABLE scores (team text, game int, pts int, PRIMARY KEY (team, game))");
    assert!(warnings(&mut d, "SELECT count(*) FROM scores WHERE team = 'owls'").is_empty());
    // A one-value IN is an equality.
    assert!(warnings(&mut d, "SELECT count(*) FROM scores WHERE team IN ('owls')").is_empty());
    assert!(warnings(&mut d, "SELECT count(*) FROM scores WHERE token(team) > 0").is_empty());
    assert!(warnings(&mut d, "SELECT * FROM scores").is_empty());
}

#[test]
fn a_filtered_part_of_the_partition_key_counts_as_restricted() {
    let mut d = db();
    d.exec("CREATE TABLE visits (city text, day int, n int, PRIMARY KEY ((city, day)))");
    assert!(
        warnings(
            &mut d,
            "SELECT count(*) FROM visits WHERE city = 'Oslo' ALLOW FILTERING"
        )
        .is_empty()
    );
}

#[test]
fn replication_above_the_node_count_warns() {
    let mut d = db();
    assert_eq!(
        warnings(
            &mut d,
            "CREATE KEYSPACE wide WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 3}"
        ),
        ["Your replication factor 3 for keyspace wide is higher than the number of nodes 1"]
    );
    assert_eq!(
        warnings(
            &mut d,
            "CREATE KEYSPACE wider WITH replication = {'class': 'NetworkTopologyStrategy', 'datacenter1': 2}"
        ),
        [
            "Your replication factor 2 for keyspace wider is higher than the number of nodes 1 for datacenter datacenter1"
        ]
    );
    // An existing keyspace with IF NOT EXISTS is not validated again.
    assert!(
        warnings(
            &mut d,
            "CREATE KEYSPACE IF NOT EXISTS wide WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 5}"
        )
        .is_empty()
    );
    assert!(
        warnings(
            &mut d,
            "CREATE KEYSPACE narrow WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}"
        )
        .is_empty()
    );
}

#[test]
fn raising_the_replication_factor_asks_for_a_repair() {
    let mut d = db();
    d.exec("CREATE KEYSPACE grow WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
    assert_eq!(
        warnings(
            &mut d,
            "ALTER KEYSPACE grow WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 2}"
        ),
        [
            "Your replication factor 2 for keyspace grow is higher than the number of nodes 1",
            "When increasing replication factor you need to run a full (-full) repair to distribute the data.",
        ]
    );
    // Lowering it only keeps the node-count warning while still above one node.
    assert!(
        warnings(
            &mut d,
            "ALTER KEYSPACE grow WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}"
        )
        .is_empty()
    );
}

fn batch_of(kind: &str, rows: std::ops::Range<i32>, note: &str) -> String {
    let mut cql = format!("BEGIN {kind}BATCH ");
    for i in rows {
        cql.push_str(&format!(
            "INSERT INTO notes (id, body) VALUES ({i}, '{note}'); "
        ));
    }
    cql.push_str("APPLY BATCH");
    cql
}

#[test]
fn unlogged_batches_over_many_partitions_warn() {
    let mut d = db();
    d.exec("CREATE TABLE notes (id int PRIMARY KEY, body text)");
    assert_eq!(
        warnings(&mut d, &batch_of("UNLOGGED ", 0..11, "x")),
        [
            "Unlogged batch covering 11 partitions detected against table [ks.notes]. You should use a logged batch for atomicity, or asynchronous writes for performance."
        ]
    );
    // Ten partitions are within the threshold; logged batches never draw this warning.
    assert!(warnings(&mut d, &batch_of("UNLOGGED ", 0..10, "x")).is_empty());
    assert!(warnings(&mut d, &batch_of("", 0..11, "x")).is_empty());
}

#[test]
fn large_batches_over_several_partitions_warn() {
    let mut d = db();
    d.exec("CREATE TABLE notes (id int PRIMARY KEY, body text)");
    let long = "n".repeat(3000);
    let w = warnings(&mut d, &batch_of("", 0..2, &long));
    assert_eq!(w.len(), 1, "{w:?}");
    assert!(
        w[0].starts_with("Batch for [ks.notes] is of size ")
            && w[0].contains(", exceeding specified threshold of 5120 by "),
        "{w:?}"
    );
    // The same data in one partition is one mutation: no warning.
    let mut one = String::from("BEGIN BATCH ");
    for _ in 0..2 {
        one.push_str(&format!("UPDATE notes SET body = '{long}' WHERE id = 1; "));
    }
    one.push_str("APPLY BATCH");
    assert!(warnings(&mut d, &one).is_empty());
}
