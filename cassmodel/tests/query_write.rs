//! `update(...)` and `delete()` on a query, on `memory:` (or `CASSMODEL_TEST_URL`): exactly
//! the rows matching the whole predicate change — rows the server returns but the residual
//! rejects are untouched — across several partitions, each larger than one write batch.

use cassmodel::prelude::*;
use cassmodel::query::{Predicate, Query};

#[derive(Model, Debug, Clone, PartialEq)]
// The query table follows every write of the query (its partition key, `plan`, is
// rewritten by one of the tests, which moves the copy).
#[cassmodel(
    table = "qw_accounts",
    query_table(name = "qw_accounts_by_plan", partition_key = [plan])
)]
struct Account {
    #[cassmodel(partition_key)]
    org: String,
    #[cassmodel(clustering_key)]
    id: i32,
    #[cassmodel(index = "qw_accounts_by_plan_ix")]
    plan: String,
    balance: i32,
    note: String,
}

/// The same shape, another table.
#[derive(Model, Debug, Clone, PartialEq)]
#[cassmodel(table = "qw_plain")]
struct Plain {
    #[cassmodel(partition_key)]
    org: String,
    #[cassmodel(clustering_key)]
    id: i32,
    #[cassmodel(index = "qw_plain_by_plan")]
    plan: String,
    balance: i32,
    note: String,
}

type Boxed = Box<dyn std::error::Error>;

const ORGS: [&str; 4] = ["acme", "globex", "initech", "umbrella"];
/// Rows per partition: more than one write batch (20 rows).
const PER_ORG: i32 = 45;

fn accounts() -> Vec<Account> {
    let mut out = Vec::new();
    for org in ORGS {
        for id in 0..PER_ORG {
            out.push(Account {
                org: org.to_owned(),
                id,
                plan: ["free", "pro", "team"][(id % 3) as usize].to_owned(),
                balance: (id * 7) % 100,
                note: if id % 4 == 0 { "vip" } else { "std" }.to_owned(),
            });
        }
    }
    out
}

fn plain(a: &Account) -> Plain {
    Plain {
        org: a.org.clone(),
        id: a.id,
        plan: a.plan.clone(),
        balance: a.balance,
        note: a.note.clone(),
    }
}

async fn connect() -> Result<Db, Boxed> {
    let url = std::env::var("CASSMODEL_TEST_URL").unwrap_or_else(|_| "memory:".to_owned());
    Ok(Db::connect(&url).await?)
}

async fn load<M: Model + Clone>(db: &Db, rows: &[M]) -> Result<(), Boxed> {
    db.sync::<M>().await?;
    db.session()
        .get_session()
        .query_unpaged(format!("TRUNCATE {}", M::TABLE.name), ())
        .await?;
    for r in rows {
        db.insert(r).await?;
    }
    Ok(())
}

/// Every row of the table, sorted by key.
async fn stored<M: Model>(db: &Db, key: impl Fn(&M) -> (String, i32)) -> Result<Vec<M>, Boxed> {
    let mut rows = Query::<M>::new().allow_full_scan().all(db).await?;
    rows.sort_by_key(|r| key(r));
    Ok(rows)
}

fn account_key(a: &Account) -> (String, i32) {
    (a.org.clone(), a.id)
}

/// The query table holds exactly one copy of each of `expected`, under its plan.
async fn assert_copies(db: &Db, expected: &[Account]) -> Result<(), Boxed> {
    for plan in ["free", "pro", "team"] {
        let mut copies: Vec<Account> = Account::find_qw_accounts_by_plan(db, &plan.to_owned())
            .try_collect()
            .await?;
        copies.sort_by_key(account_key);
        let mut want: Vec<Account> = expected
            .iter()
            .filter(|a| a.plan == plan)
            .cloned()
            .collect();
        want.sort_by_key(account_key);
        assert_eq!(copies, want, "copies under plan {plan}");
    }
    Ok(())
}

/// The index serves `plan = 'pro'`; `balance > 30` and `note != 'vip'` are left to the client.
fn pro_rich_not_vip() -> Predicate<Account> {
    let c = Account::columns();
    c.plan.eq("pro") & c.balance.gt(30) & c.note.ne("vip")
}

#[tokio::test]
async fn delete_removes_exactly_the_matching_rows() -> Result<(), Boxed> {
    let db = connect().await?;
    let all = accounts();
    load(&db, &all).await?;
    let query = Account::query().filter(pro_rich_not_vip());
    let plan = query.explain()?;
    assert!(
        plan.requests[0].residual.is_some(),
        "the test needs a residual:\n{plan}"
    );
    let (gone, kept): (Vec<Account>, Vec<Account>) =
        all.iter().cloned().partition(|a| query.matches(a));
    assert!(gone.len() > 10 && kept.iter().any(|a| a.plan == "pro"));
    assert!(ORGS.iter().all(|o| gone.iter().any(|a| a.org == *o)));

    assert_eq!(query.delete(&db).await?, gone.len() as u64);

    assert_eq!(stored::<Account>(&db, account_key).await?, kept);
    assert_copies(&db, &kept).await?;
    // Nothing is left to delete.
    assert_eq!(query.delete(&db).await?, 0);
    Ok(())
}

#[tokio::test]
async fn update_rewrites_exactly_the_matching_rows() -> Result<(), Boxed> {
    let db = connect().await?;
    let all: Vec<Plain> = accounts().iter().map(plain).collect();
    load(&db, &all).await?;
    let c = Plain::columns();
    // Three partitions by IN on the partition key; the rest in the client.
    let query = Plain::query().filter(
        c.org.is_in(["acme", "globex", "umbrella"])
            & c.balance.lte(50)
            & (c.note.eq("vip") | c.plan.starts_with("t")),
    );
    let mut expected = all.clone();
    let mut touched = 0u64;
    for r in &mut expected {
        if query.matches(r) {
            r.balance += 1000;
            r.note = "touched".to_owned();
            touched += 1;
        }
    }
    assert!(touched > 20, "several batches: {touched}");

    let written = query
        .update(&db, |r| {
            r.balance += 1000;
            r.note = "touched".to_owned();
            true
        })
        .await?;
    assert_eq!(written, touched);
    let key = |p: &Plain| (p.org.clone(), p.id);
    expected.sort_by_key(key);
    assert_eq!(stored::<Plain>(&db, key).await?, expected);
    // The changed rows no longer match (balance > 50): a second run touches nothing.
    assert_eq!(query.update(&db, |_| true).await?, 0);
    Ok(())
}

#[tokio::test]
async fn update_closure_can_skip_rows() -> Result<(), Boxed> {
    let db = connect().await?;
    let all = accounts();
    load(&db, &all).await?;
    let query = Account::query().filter(pro_rich_not_vip());
    let mut expected = all.clone();
    let mut changed = 0u64;
    for r in &mut expected {
        if query.matches(r) && r.id % 2 == 0 {
            r.plan = "team".to_owned();
            changed += 1;
        }
    }
    let written = query
        .update(&db, |r| {
            if r.id % 2 != 0 {
                return false;
            }
            r.plan = "team".to_owned();
            true
        })
        .await?;
    assert_eq!(written, changed);
    assert_eq!(stored::<Account>(&db, account_key).await?, expected);
    assert_copies(&db, &expected).await?;
    Ok(())
}
