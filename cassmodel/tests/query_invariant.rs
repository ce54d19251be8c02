//! The query builder's invariant, as a property test on `memory:` (or `CASSMODEL_TEST_URL`):
//! for random rows and random predicates over a model with a composite partition key,
//! clustering columns, an index and a collection, the query's result equals a naive filter
//! over all rows — as a set when unordered, in the same order when ordered.

use std::collections::{BTreeMap, HashSet};

use cassmodel::prelude::*;
use cassmodel::query::{Order, Predicate, Query};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};

#[derive(Model, Debug, Clone, PartialEq)]
#[cassmodel(table = "inv_items")]
struct Item {
    #[cassmodel(partition_key)]
    a: i32,
    #[cassmodel(partition_key)]
    b: String,
    #[cassmodel(clustering_key)]
    c: i32,
    #[cassmodel(clustering_key, order = "desc")]
    d: i32,
    #[cassmodel(index = "inv_items_by_kind")]
    kind: String,
    tags: HashSet<i32>,
    score: Option<i32>,
    name: String,
}

type Key = (i32, String, i32, i32);

fn key(r: &Item) -> Key {
    (r.a, r.b.clone(), r.c, r.d)
}

fn item() -> impl Strategy<Value = Item> {
    (
        0..3i32,
        prop::sample::select(vec!["x", "y"]),
        0..4i32,
        0..4i32,
        prop::sample::select(vec!["k0", "k1", "k2"]),
        prop::collection::hash_set(0..4i32, 0..3),
        prop::option::of(0..10i32),
        prop::sample::select(vec!["Ann", "bob", "ANNA", "carl", "Bobby"]),
    )
        .prop_map(|(a, b, c, d, kind, tags, score, name)| Item {
            a,
            b: b.to_owned(),
            c,
            d,
            kind: kind.to_owned(),
            tags,
            score,
            name: name.to_owned(),
        })
}

/// A random leaf over every lookup kind.
fn leaf() -> impl Strategy<Value = Predicate<Item>> {
    let c = Item::columns;
    prop_oneof![
        (0..3i32).prop_map(move |v| c().a.eq(v)),
        prop::collection::vec(0..3i32, 0..3).prop_map(move |v| c().a.is_in(v)),
        prop::sample::select(vec!["x", "y", "z"]).prop_map(move |v| c().b.eq(v)),
        (0..4i32).prop_map(move |v| c().c.eq(v)),
        (0..4i32).prop_map(move |v| c().c.lt(v)),
        (0..4i32, 0..4i32).prop_map(move |(l, h)| c().c.between(l, h)),
        (0..4i32).prop_map(move |v| c().d.gte(v)),
        (0..4i32).prop_map(move |v| c().d.ne(v)),
        prop::sample::select(vec!["k0", "k1", "k2"]).prop_map(move |v| c().kind.eq(v)),
        (0..4i32).prop_map(move |v| c().tags.contains(v)),
        (0..10i32).prop_map(move |v| c().score.gt(v)),
        (0..10i32).prop_map(move |v| c().score.lte(v)),
        Just(c().score.is_null()),
        prop::sample::select(vec!["an", "bo", "AR"]).prop_map(move |v| c().name.icontains(v)),
        prop::sample::select(vec!["A", "b", "B"]).prop_map(move |v| c().name.starts_with(v)),
    ]
}

fn predicate() -> impl Strategy<Value = Predicate<Item>> {
    leaf().prop_recursive(3, 12, 3, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 1..4)
                .prop_map(|v| v.into_iter().fold(Predicate::all(), Predicate::and)),
            (inner.clone(), inner.clone()).prop_map(|(x, y)| x | y),
            inner.prop_map(|x| !x),
        ]
    })
}

/// The query and whether it asks for an order (then the expected rows are sorted too).
#[derive(Debug, Clone)]
enum Shape {
    /// Any rows, any order.
    Free { filtering: bool },
    /// One partition ordered by `c` (the server's order or its reverse).
    Partition { a: i32, b: &'static str, desc: bool },
    /// Top `limit` by score, sorted in the client.
    TopScore { limit: u64 },
}

fn shape() -> impl Strategy<Value = Shape> {
    prop_oneof![
        any::<bool>().prop_map(|filtering| Shape::Free { filtering }),
        (0..3i32, prop::sample::select(vec!["x", "y"]), any::<bool>())
            .prop_map(|(a, b, desc)| Shape::Partition { a, b, desc }),
        (1..6u64).prop_map(|limit| Shape::TopScore { limit }),
    ]
}

fn build(pred: &Predicate<Item>, shape: &Shape) -> Query<Item> {
    let c = Item::columns();
    let q = Item::query()
        .filter(pred.clone())
        .allow_full_scan()
        .page_size(7);
    match *shape {
        Shape::Free { filtering: true } => q.allow_filtering(),
        Shape::Free { filtering: false } => q,
        Shape::Partition { a, b, desc } => {
            let dir = if desc { Order::Desc } else { Order::Asc };
            q.filter(c.a.eq(a) & c.b.eq(b)).order_by(c.c, dir)
        }
        Shape::TopScore { limit } => q.order_by(c.score, Order::Desc).limit(limit),
    }
}

async fn check(
    db: &Db,
    rows: &[Item],
    pred: &Predicate<Item>,
    shape: &Shape,
) -> Result<(), TestCaseError> {
    db.session()
        .get_session()
        .query_unpaged("TRUNCATE inv_items", ())
        .await
        .map_err(|e| TestCaseError::fail(e.to_string()))?;
    // One row per primary key: two writes of one key in a batch may share a timestamp,
    // and then Cassandra's reconciliation (not "last statement wins") decides.
    let mut live: BTreeMap<Key, Item> = BTreeMap::new();
    for r in rows {
        live.insert(key(r), r.clone());
    }
    let mut batch = db.batch().unlogged().chunked(50);
    for r in live.values() {
        batch = batch.insert(r);
    }
    batch
        .execute()
        .await
        .map_err(|e| TestCaseError::fail(e.to_string()))?;

    let query = build(pred, shape);
    let plan = query
        .explain()
        .map_err(|e| TestCaseError::fail(e.to_string()))?;
    let got = query
        .all(db)
        .await
        .map_err(|e| TestCaseError::fail(format!("{e}\n{plan}")))?;
    let mut want: Vec<Item> = live
        .values()
        .filter(|r| query.matches(r))
        .cloned()
        .collect();
    match shape {
        Shape::Free { .. } => {
            let mut got_keys: Vec<Key> = got.iter().map(key).collect();
            got_keys.sort();
            let want_keys: Vec<Key> = want.iter().map(key).collect();
            prop_assert_eq!(got_keys, want_keys, "{}", plan);
        }
        Shape::Partition { desc, .. } => {
            // Clustering order: c ascending, d descending; reversed for ORDER BY c DESC.
            want.sort_by(|x, y| x.c.cmp(&y.c).then(y.d.cmp(&x.d)));
            if *desc {
                want.reverse();
            }
            let got_keys: Vec<Key> = got.iter().map(key).collect();
            let want_keys: Vec<Key> = want.iter().map(key).collect();
            prop_assert_eq!(got_keys, want_keys, "{}", plan);
        }
        Shape::TopScore { limit } => {
            // Ties make the chosen rows ambiguous: compare the score sequence.
            want.sort_by_key(|x| std::cmp::Reverse(x.score));
            want.truncate(usize::try_from(*limit).unwrap_or(usize::MAX));
            let got_scores: Vec<Option<i32>> = got.iter().map(|r| r.score).collect();
            let want_scores: Vec<Option<i32>> = want.iter().map(|r| r.score).collect();
            prop_assert_eq!(got_scores, want_scores, "{}", plan);
            prop_assert!(got.iter().all(|r| query.matches(r)));
        }
    }
    Ok(())
}

async fn db() -> Result<Db, cassmodel::Error> {
    let url = std::env::var("CASSMODEL_TEST_URL").unwrap_or_else(|_| "memory:".to_owned());
    let db = Db::connect(&url).await?;
    db.sync::<Item>().await?;
    Ok(db)
}

#[test]
fn query_result_equals_naive_filter() -> Result<(), Box<dyn std::error::Error>> {
    let rt = tokio::runtime::Runtime::new()?;
    let db = rt.block_on(db())?;
    let cases = std::env::var("QUERY_INVARIANT_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(48);
    let mut runner = TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    });
    let strategy = (prop::collection::vec(item(), 0..40), predicate(), shape());
    let result = runner.run(&strategy, |(rows, pred, shape)| {
        rt.block_on(check(&db, &rows, &pred, &shape))
    });
    rt.block_on(db.close());
    result.map_err(|e| e.to_string().into())
}
