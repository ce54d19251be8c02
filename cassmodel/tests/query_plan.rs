//! Planner table tests: (query) → expected requests (access path, CQL, residual) or the
//! refusal message. Pure: nothing is sent to a server.

use std::collections::{HashMap, HashSet};

use cassmodel::Model;
use cassmodel::query::{AccessPath, ModelColumns, Order, Predicate, Query, QueryError, QueryPlan};

#[derive(Model, Debug, Clone, PartialEq)]
#[cassmodel(table = "events")]
struct Event {
    #[cassmodel(partition_key)]
    tenant: String,
    #[cassmodel(partition_key)]
    day: i32,
    #[cassmodel(clustering_key)]
    hour: i32,
    #[cassmodel(clustering_key, order = "desc")]
    seq: i64,
    #[cassmodel(index = "events_by_kind")]
    kind: String,
    #[cassmodel(index = "events_by_label")]
    labels: HashSet<String>,
    attrs: HashMap<String, i32>,
    note: Option<String>,
    score: i32,
}

const SELECT: &str = "SELECT tenant, day, hour, seq, kind, labels, attrs, note, score FROM events";

/// What a request should look like: access path, CQL after `SELECT .. FROM events`, residual.
type Expect = (AccessPath, &'static str, Option<&'static str>);

fn q() -> Query<Event> {
    Event::query()
}

fn part() -> Query<Event> {
    q().filter_with(|c| c.tenant.eq("acme") & c.day.eq(7))
}

fn check(name: &str, query: Query<Event>, expected: &[Expect]) -> QueryPlan {
    let plan = match query.explain() {
        Ok(p) => p,
        Err(e) => panic!("{name}: unexpected refusal: {e}"),
    };
    let got: Vec<(AccessPath, String, Option<String>)> = plan
        .requests
        .iter()
        .map(|r| (r.access.clone(), r.cql.clone(), r.residual.clone()))
        .collect();
    let want: Vec<(AccessPath, String, Option<String>)> = expected
        .iter()
        .map(|(a, cql, res)| (a.clone(), format!("{SELECT}{cql}"), res.map(str::to_owned)))
        .collect();
    assert_eq!(got, want, "{name}\n{plan}");
    plan
}

fn refused(name: &str, query: Query<Event>, needles: &[&str]) -> QueryError {
    match query.explain() {
        Ok(p) => panic!("{name}: expected a refusal, got\n{p}"),
        Err(e) => {
            let msg = e.to_string();
            for n in needles {
                assert!(msg.contains(n), "{name}: `{n}` not in: {msg}");
            }
            e
        }
    }
}

const PK: AccessPath = AccessPath::PrimaryKey;
const PART: AccessPath = AccessPath::Partition;
const SCAN: AccessPath = AccessPath::FullScan;

fn by_kind() -> AccessPath {
    AccessPath::Index {
        index: "events_by_kind".to_owned(),
    }
}

#[test]
fn primary_key_paths() {
    check(
        "full primary key",
        part().filter_with(|c| c.hour.eq(3) & c.seq.eq(9i64)),
        &[(
            PK,
            " WHERE tenant = ? AND day = ? AND hour = ? AND seq = ?",
            None,
        )],
    );
    let plan = check(
        "IN on the partition key and the last clustering column",
        q().filter_with(|c| {
            c.tenant.is_in(["a", "b"]) & c.day.eq(1) & c.hour.eq(2) & c.seq.is_in([1i64, 2, 3])
        }),
        &[(
            PK,
            " WHERE tenant IN (?, ?) AND day = ? AND hour = ? AND seq IN (?, ?, ?)",
            None,
        )],
    );
    assert_eq!(plan.partitions(), Some(2));
    assert_eq!(plan.requests[0].values.len(), 7);
}

#[test]
fn partition_paths() {
    check(
        "partition only",
        part(),
        &[(PART, " WHERE tenant = ? AND day = ?", None)],
    );
    check(
        "clustering prefix and one slice; the rest in the client",
        part().filter_with(|c| c.hour.eq(3) & c.seq.gt(10i64) & c.seq.lte(20i64) & c.score.gt(5)),
        &[(
            PART,
            " WHERE tenant = ? AND day = ? AND hour = ? AND seq > ? AND seq <= ?",
            Some("score > 5"),
        )],
    );
    check(
        "a slice ends the clustering prefix",
        part().filter_with(|c| c.hour.between(1, 4) & c.seq.eq(2i64)),
        &[(
            PART,
            " WHERE tenant = ? AND day = ? AND hour >= ? AND hour <= ?",
            Some("seq = 2"),
        )],
    );
    check(
        "a gap in the clustering prefix stays in the client",
        part().filter_with(|c| c.seq.eq(2i64)),
        &[(PART, " WHERE tenant = ? AND day = ?", Some("seq = 2"))],
    );
    check(
        "negation of a key comparison is pushed as its opposite",
        part().filter_with(|c| !c.hour.lt(3)),
        &[(PART, " WHERE tenant = ? AND day = ? AND hour >= ?", None)],
    );
    let plan = check(
        "IN on the partition key",
        q().filter_with(|c| c.tenant.is_in(["a", "b", "a"]) & c.day.is_in([1, 2])),
        &[(PART, " WHERE tenant IN (?, ?) AND day IN (?, ?)", None)],
    );
    assert_eq!(plan.partitions(), Some(4));
}

#[test]
fn index_paths() {
    check(
        "index equality with a client residual",
        q().filter_with(|c| c.kind.eq("click") & c.note.starts_with("a")),
        &[(by_kind(), " WHERE kind = ?", Some("note starts_with \"a\""))],
    );
    check(
        "CONTAINS on an indexed set",
        q().filter_with(|c| c.labels.contains("red") & c.score.ne(0)),
        &[(
            AccessPath::Index {
                index: "events_by_label".to_owned(),
            },
            " WHERE labels CONTAINS ?",
            Some("score != 0"),
        )],
    );
    check(
        "a partition beats an index",
        part().filter_with(|c| c.kind.eq("click")),
        &[(
            PART,
            " WHERE tenant = ? AND day = ?",
            Some("kind = \"click\""),
        )],
    );
    check(
        "ALLOW FILTERING pushes regular columns next to the index",
        q().filter_with(|c| c.kind.eq("click") & c.score.gte(3) & c.attrs.contains_key("k"))
            .allow_filtering(),
        &[(
            by_kind(),
            " WHERE kind = ? AND attrs CONTAINS KEY ? AND score >= ? ALLOW FILTERING",
            None,
        )],
    );
}

#[test]
fn scans_need_opt_in_and_say_what_would_help() {
    refused(
        "no key, no index",
        q().filter_with(|c| c.score.gt(5)),
        &[
            "query on `events` would scan the whole table",
            "no predicate restricts the partition key (`tenant`, `day`)",
            "indexed column (`kind`, `labels`)",
            ".allow_full_scan()",
        ],
    );
    refused(
        "half a partition key",
        q().filter_with(|c| c.tenant.eq("acme") & c.hour.eq(1)),
        &["`day` is not restricted by eq or is_in", "restrict `day`"],
    );
    refused(
        "an OR branch that needs a scan",
        q().filter_with(|c| (c.tenant.eq("a") & c.day.eq(1)) | c.score.gt(5)),
        &["would scan the whole table"],
    );
    let plan = check(
        "scan with a residual",
        q().filter_with(|c| c.score.gt(5) & !c.note.is_null())
            .allow_full_scan(),
        &[(SCAN, "", Some("score > 5 AND NOT (note IS NULL)"))],
    );
    assert!(plan.scans);
    assert_eq!(plan.partitions(), None);
    check(
        "scan with ALLOW FILTERING",
        q().filter_with(|c| {
            c.score.gt(5)
                & c.note
                    .regex(cassmodel::query::Regex::new("^a+$").unwrap_or_else(|e| panic!("{e}")))
        })
        .allow_full_scan()
        .allow_filtering(),
        &[(
            SCAN,
            " WHERE score > ? ALLOW FILTERING",
            Some("note regex \"^a+$\""),
        )],
    );
    check(
        "negation of a regular column stays in the client",
        q().filter_with(|c| !c.score.lt(3)).allow_full_scan(),
        &[(SCAN, "", Some("NOT (score < 3)"))],
    );
}

#[test]
fn or_branches_are_split_and_deduplicated() {
    let plan = check(
        "partition OR index",
        q().filter_with(|c| (c.tenant.eq("a") & c.day.eq(1)) | c.kind.eq("x")),
        &[
            (PART, " WHERE tenant = ? AND day = ?", None),
            (by_kind(), " WHERE kind = ?", None),
        ],
    );
    assert_eq!(plan.requests[0].skips, Vec::<String>::new());
    assert_eq!(
        plan.requests[1].skips,
        vec!["tenant = \"a\" AND day = 1".to_owned()]
    );
    check(
        "distributed AND over OR",
        q().filter_with(|c| c.day.eq(1) & (c.tenant.eq("a") | c.tenant.eq("b"))),
        &[
            (PART, " WHERE tenant = ? AND day = ?", None),
            (PART, " WHERE tenant = ? AND day = ?", None),
        ],
    );
    check(
        "an OR inside one partition stays a residual",
        part().filter_with(|c| c.score.eq(1) | c.note.ends_with("z")),
        &[(
            PART,
            " WHERE tenant = ? AND day = ?",
            Some("(score = 1 OR note ends_with \"z\")"),
        )],
    );
    check(
        "De Morgan: NOT (a OR b) is NOT a AND NOT b",
        part().filter_with(|c| !(c.hour.gt(3) | c.score.eq(2))),
        &[(
            PART,
            " WHERE tenant = ? AND day = ? AND hour <= ?",
            Some("NOT (score = 2)"),
        )],
    );
    let plan = check(
        "an empty IN branch sends nothing",
        q().filter_with(|c| c.tenant.is_in(Vec::<String>::new()) & c.day.eq(1)),
        &[(AccessPath::Empty, "", None)],
    );
    assert_eq!(plan.partitions(), Some(0));
}

#[test]
fn order_and_limit() {
    check(
        "clustering order needs no ORDER BY",
        part().order_by(Event::columns().hour, Order::Asc).limit(5),
        &[(PART, " WHERE tenant = ? AND day = ? LIMIT ?", None)],
    );
    let plan = check(
        "reverse clustering order",
        part()
            .order_by(Event::columns().hour, Order::Desc)
            .order_by(Event::columns().seq, Order::Asc)
            .limit(5),
        &[(
            PART,
            " WHERE tenant = ? AND day = ? ORDER BY hour DESC LIMIT ?",
            None,
        )],
    );
    assert!(!plan.client_sort);
    assert_eq!(
        plan.requests[0].values.last().map(String::as_str),
        Some("5")
    );
    check(
        "a residual keeps the limit in the client",
        part().filter_with(|c| c.score.eq(1)).limit(5),
        &[(PART, " WHERE tenant = ? AND day = ?", Some("score = 1"))],
    );
    // The columns struct is named through its trait's associated type.
    fn two_rows(c: <Event as ModelColumns>::Columns) -> Predicate<Event> {
        (c.hour.eq(1) & c.seq.eq(2i64)) | (c.hour.eq(2) & c.seq.eq(3i64))
    }
    check(
        "two primary keys: split into lookups",
        part().filter_with(two_rows),
        &[
            (
                PK,
                " WHERE tenant = ? AND day = ? AND hour = ? AND seq = ?",
                None,
            ),
            (
                PK,
                " WHERE tenant = ? AND day = ? AND hour = ? AND seq = ?",
                None,
            ),
        ],
    );
    check(
        "two primary keys, ordered: one ordered partition read instead",
        part()
            .filter_with(two_rows)
            .order_by(Event::columns().hour, Order::Asc),
        &[(
            PART,
            " WHERE tenant = ? AND day = ?",
            Some("((hour = 1 AND seq = 2) OR (hour = 2 AND seq = 3))"),
        )],
    );
    refused(
        "order by a regular column without limit",
        part().order_by(Event::columns().score, Order::Asc),
        &["cannot order `events` by score ASC", "add .limit(n)"],
    );
    refused(
        "order across partitions without limit",
        q().filter_with(|c| c.tenant.is_in(["a", "b"]) & c.day.eq(1))
            .order_by(Event::columns().hour, Order::Asc),
        &["within one partition"],
    );
    let plan = check(
        "client-side top-k",
        q().filter_with(|c| c.kind.eq("x"))
            .order_by(Event::columns().score, Order::Desc)
            .limit(3),
        &[(by_kind(), " WHERE kind = ?", None)],
    );
    assert!(plan.client_sort);
    let shown = plan.to_string();
    assert!(shown.contains("sorted in the client (top 3)"), "{shown}");
    assert!(
        shown.contains("secondary index `events_by_kind`"),
        "{shown}"
    );
}

#[test]
fn residual_matches_the_client_semantics() {
    let row = Event {
        tenant: "acme".to_owned(),
        day: 7,
        hour: 3,
        seq: 1,
        kind: "Click".to_owned(),
        labels: HashSet::from(["red".to_owned()]),
        attrs: HashMap::from([("k".to_owned(), 1)]),
        note: None,
        score: 4,
    };
    let query = part().filter_with(|c| c.kind.icontains("CLI") & c.score.between(4, 9));
    let residual = query.residual().unwrap_or_else(|e| panic!("{e}"));
    assert!(residual.matches(&row));
    assert!(query.matches(&row));
    let null_note = part().filter_with(|c| !c.note.lt("z".to_owned()));
    assert!(null_note.matches(&row), "NOT on a null value is true");
    let lt_note = part().filter_with(|c| c.note.lt("z".to_owned()));
    assert!(!lt_note.matches(&row), "a comparison on null is false");
    let other = Event { score: 10, ..row };
    assert!(!residual.matches(&other));
}
