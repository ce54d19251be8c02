//! `count()` on `memory:` (or `CASSMODEL_TEST_URL`): the server's `COUNT(*)` when the plan
//! has no residual (partition, index, IN, limit), the client's count otherwise — the same
//! figures as counting the streamed rows.

use cassmodel::prelude::*;
use cassmodel::query::Query;

#[derive(Model, Debug, Clone, PartialEq)]
#[cassmodel(table = "qcount_rows")]
struct Row {
    #[cassmodel(partition_key)]
    part: i32,
    #[cassmodel(clustering_key)]
    seq: i32,
    #[cassmodel(index = "qcount_rows_by_kind")]
    kind: String,
    score: i32,
}

type Boxed = Box<dyn std::error::Error>;

async fn streamed(db: &Db, q: &Query<Row>) -> Result<u64, Boxed> {
    Ok(q.all(db).await?.len() as u64)
}

#[tokio::test]
async fn count_matches_the_streamed_rows() -> Result<(), Boxed> {
    let url = std::env::var("CASSMODEL_TEST_URL").unwrap_or_else(|_| "memory:".to_owned());
    let db = Db::connect(&url).await?;
    db.sync::<Row>().await?;
    db.session()
        .get_session()
        .query_unpaged("TRUNCATE qcount_rows", ())
        .await?;
    let rows: Vec<Row> = (0..600)
        .map(|i| Row {
            part: i % 6,
            seq: i,
            kind: format!("k{}", i % 4),
            score: i % 10,
        })
        .collect();
    let mut batch = db.batch().unlogged().chunked(50);
    for r in &rows {
        batch = batch.insert(r);
    }
    batch.execute().await?;
    let naive = |f: &dyn Fn(&Row) -> bool| rows.iter().filter(|r| f(r)).count() as u64;

    let cases: Vec<(Query<Row>, u64, bool)> = vec![
        (
            Row::query().filter_with(|c| c.part.eq(2)),
            naive(&|r| r.part == 2),
            false,
        ),
        (
            Row::query().filter_with(|c| c.part.is_in([1, 3]) & c.seq.gte(300)),
            naive(&|r| (r.part == 1 || r.part == 3) && r.seq >= 300),
            false,
        ),
        (
            Row::query().filter_with(|c| c.kind.eq("k1")),
            naive(&|r| r.kind == "k1"),
            false,
        ),
        (
            Row::query().filter_with(|c| c.part.eq(2)).limit(7),
            7,
            false,
        ),
        (Row::query().allow_full_scan(), 600, false),
        (
            Row::query().filter_with(|c| c.kind.eq("k1") & c.score.gt(4)),
            naive(&|r| r.kind == "k1" && r.score > 4),
            true,
        ),
    ];
    for (q, expected, residual) in cases {
        let plan = q.explain()?;
        assert_eq!(
            plan.requests.iter().any(|r| r.residual.is_some()),
            residual,
            "{plan}"
        );
        assert_eq!(q.count(&db).await?, expected, "{plan}");
        assert_eq!(streamed(&db, &q).await?, expected, "{plan}");
    }
    Ok(())
}
