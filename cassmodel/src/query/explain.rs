//! [`QueryPlan`]: what `Query::explain()` returns — the CQL of each request, its bound
//! values, the residual predicate, whether it scans, and the partitions it touches.

use std::fmt;

use cassmodel_schema::TableDef;

use super::nnf::join;
use super::plan::{AccessPath, Plan};

/// One request of a plan.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct PlannedRequest {
    /// How the rows are found.
    pub access: AccessPath,
    /// The CQL sent (prepared once and cached by the session).
    pub cql: String,
    /// The bound values, in marker order, as `Debug` text (the limit last when pushed).
    pub values: Vec<String>,
    /// The predicate evaluated in the client on each row (`None`: the server does it all).
    pub residual: Option<String>,
    /// Rows matching one of these earlier branches are skipped (already returned).
    pub skips: Vec<String>,
    /// Partitions read, when known (`None`: an index lookup or a scan).
    pub partitions: Option<u64>,
}

/// The plan of a query, from [`crate::query::Query::explain`].
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct QueryPlan {
    /// The model's table.
    pub table: String,
    /// The requests, run in order (one per OR branch when the predicate was split).
    pub requests: Vec<PlannedRequest>,
    /// Whether a request reads every partition of the table.
    pub scans: bool,
    /// Whether the rows are sorted in the client (bounded by `limit`).
    pub client_sort: bool,
    /// The limit, applied by the server when a single request has no residual, else by the
    /// client.
    pub limit: Option<u64>,
}

impl QueryPlan {
    pub(crate) fn of<M>(table: &TableDef, plan: &Plan<M>, limit: Option<u64>) -> Self {
        let requests = plan
            .branches
            .iter()
            .map(|b| {
                let mut values: Vec<String> = b.values.iter().map(|v| format!("{v:?}")).collect();
                if b.server_limit
                    && let Some(l) = limit
                {
                    values.push(l.to_string());
                }
                PlannedRequest {
                    access: b.access.clone(),
                    cql: b.cql.clone(),
                    values,
                    residual: (!b.residual.is_empty())
                        .then(|| Show(|f| join(f, &b.residual, " AND ", "TRUE")).to_string()),
                    skips: b
                        .exclude
                        .iter()
                        .map(|conj| {
                            conj.iter()
                                .map(ToString::to_string)
                                .collect::<Vec<_>>()
                                .join(" AND ")
                        })
                        .collect(),
                    partitions: b.partitions,
                }
            })
            .collect::<Vec<_>>();
        QueryPlan {
            table: table.name.to_string(),
            scans: requests.iter().any(|r| r.access == AccessPath::FullScan),
            requests,
            client_sort: plan.client_sort,
            limit,
        }
    }

    /// The partitions touched: the sum over requests, `None` when a request uses an index
    /// or scans (unknown until run).
    pub fn partitions(&self) -> Option<u64> {
        self.requests
            .iter()
            .try_fold(0u64, |acc, r| r.partitions.map(|p| acc.saturating_add(p)))
    }
}

struct Show<F: Fn(&mut fmt::Formatter<'_>) -> fmt::Result>(F);

impl<F: Fn(&mut fmt::Formatter<'_>) -> fmt::Result> fmt::Display for Show<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        (self.0)(f)
    }
}

impl fmt::Display for AccessPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AccessPath::PrimaryKey => f.write_str("primary key lookup"),
            AccessPath::Partition => f.write_str("partition read"),
            AccessPath::Index { index } => write!(f, "secondary index `{index}`"),
            AccessPath::FullScan => f.write_str("FULL SCAN of every partition"),
            AccessPath::Empty => f.write_str("nothing can match: no request"),
        }
    }
}

impl fmt::Display for QueryPlan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "query on `{}`: {} request(s){}",
            self.table,
            self.requests.len(),
            if self.scans {
                ", SCANS THE WHOLE TABLE"
            } else {
                ""
            }
        )?;
        for (i, r) in self.requests.iter().enumerate() {
            writeln!(f, "  [{}] {}", i + 1, r.access)?;
            writeln!(f, "      cql:      {}", r.cql)?;
            if !r.values.is_empty() {
                writeln!(f, "      values:   {}", r.values.join(", "))?;
            }
            match &r.residual {
                Some(res) => writeln!(f, "      residual: {res} (client)")?,
                None => writeln!(f, "      residual: none")?,
            }
            for s in &r.skips {
                writeln!(f, "      skip:     rows matching {s} (earlier branch)")?;
            }
            match r.partitions {
                Some(p) => writeln!(f, "      partitions: {p}")?,
                None => writeln!(f, "      partitions: unknown")?,
            }
        }
        if self.client_sort {
            writeln!(
                f,
                "  sorted in the client (top {})",
                self.limit.unwrap_or(0)
            )?;
        }
        if let Some(l) = self.limit {
            writeln!(f, "  limit: {l}")?;
        }
        Ok(())
    }
}
