//! Quickstart: a model, the embedded server, a few writes and reads.
//!
//! ```sh
//! cargo run -p cassmodel --example quickstart
//! CASSMODEL_URL=cql://127.0.0.1:9042/demo cargo run -p cassmodel --example quickstart
//! ```
//!
//! Without `CASSMODEL_URL` the data lives under `./data/quickstart` and survives restarts
//! (run it twice: the earlier tweets are still there).

use cassmodel::prelude::*;
use cassmodel::types::{TimeUuid, timeuuid_now};

/// A user's timeline, newest first (Twissandra's `userline`).
#[derive(Model, Debug, Clone, PartialEq)]
#[cassmodel(table = "userline")]
struct Userline {
    #[cassmodel(partition_key)]
    username: String,
    #[cassmodel(clustering_key, order = "desc")]
    time: TimeUuid,
    body: String,
}

#[tokio::main]
async fn main() -> Result<(), cassmodel::Error> {
    let url = std::env::var(cassmodel::db::URL_ENV)
        .unwrap_or_else(|_| "embedded:./data/quickstart".to_owned());
    println!("connecting to {url}");
    let db = Db::connect(&url).await?;
    db.sync::<Userline>().await?;

    for body in ["hello, Cassandra", "typed finders are nice", "bye 👋"] {
        let line = Userline {
            username: "ada".to_owned(),
            time: timeuuid_now(),
            body: body.to_owned(),
        };
        line.insert(&db).await?;
    }

    println!("ada's timeline, newest first:");
    let ada = ("ada".to_owned(),);
    {
        let mut lines = Userline::find_by_partition(&db, &ada);
        while let Some(line) = lines.next().await {
            let line = line?;
            println!("  {}  {}", uuid_time(&line.time), line.body);
        }
    }

    let latest: Vec<Userline> = Userline::slice(&db, &ada)
        .limit(1)
        .stream()
        .try_collect()
        .await?;
    if let Some(line) = latest.first() {
        println!("latest: {}", line.body);
        let again = Userline::get(&db, &(line.username.clone(), line.time)).await?;
        println!("fetched by key: {:?}", again.map(|l| l.body));
    }
    db.close().await;
    Ok(())
}

/// The time-UUID's timestamp as seconds since the epoch.
fn uuid_time(t: &TimeUuid) -> String {
    match cassmodel::types::Uuid::from(*t).get_timestamp() {
        Some(ts) => {
            let (secs, nanos) = ts.to_unix();
            format!("{secs}.{:03}", nanos / 1_000_000)
        }
        None => "?".to_owned(),
    }
}
