//! The diff of one table that exists both in the models and live.
//!
//! Cassandra cannot change a primary key, a clustering order, a column's type (`ALTER TABLE
//! .. ALTER .. TYPE` was removed in 3.0.11/3.10, see apache/cassandra
//! `cql3/statements/schema/AlterTableStatement.java`) or a column between static and
//! regular in place, so those are refused; the rest is additive (columns, options,
//! indexes) or a drop that needs `--allow-drop`.

use crate::cql_type::CqlType;
use crate::diff::options::changed_options;
use crate::diff::step::{Action, Status, Step};
use crate::model::{ColumnDef, ColumnKind, Order, TableDef};
use crate::render;

const COPY_PATH: &str = "declare a new table (another name) with the new definition, copy the \
     rows into it, switch the code to it, then drop the old table by hand";

/// The type as compared: `frozen<tuple<..>>` is a tuple (tuples are always frozen) and
/// `varchar` is `text` (the parser already folds it), at any depth.
pub fn normalize(ty: &CqlType) -> CqlType {
    match ty {
        CqlType::Frozen(inner) => match &**inner {
            CqlType::Tuple(_) => normalize(inner),
            other => CqlType::frozen(normalize(other)),
        },
        CqlType::List(inner) => CqlType::list(normalize(inner)),
        CqlType::Set(inner) => CqlType::set(normalize(inner)),
        CqlType::Map(kv) => CqlType::map(normalize(&kv.0), normalize(&kv.1)),
        CqlType::Tuple(items) => {
            CqlType::Tuple(items.iter().map(normalize).collect::<Vec<_>>().into())
        }
        other => other.clone(),
    }
}

/// Whether two column types are the same after [`normalize`].
pub fn same_type(a: &CqlType, b: &CqlType) -> bool {
    normalize(a) == normalize(b)
}

fn names(cols: &[&ColumnDef]) -> Vec<String> {
    cols.iter().map(|c| c.name.to_string()).collect()
}

fn orders(cols: &[&ColumnDef]) -> Vec<Order> {
    cols.iter()
        .map(|c| match c.kind {
            ColumnKind::Clustering(_, o) => o,
            _ => Order::Asc,
        })
        .collect()
}

fn type_refusal(table: &TableDef, col: &ColumnDef, live: &ColumnDef) -> Step {
    Step::refused(
        Action::ChangeColumnType {
            table: table.name.clone(),
            column: col.name.clone(),
            live: live.ty.clone(),
            desired: col.ty.clone(),
        },
        "Cassandra cannot change a column's type in place, and dropping then re-adding the \
         column would lose its data",
        if col.kind.is_primary_key() {
            COPY_PATH.to_owned()
        } else {
            format!(
                "add a column with another name and the new type, copy the values into it, \
                 then remove `{}` from the model and migrate with --allow-drop (or: {COPY_PATH})",
                col.name
            )
        },
    )
}

/// The steps that turn the live table into the declared one.
pub fn diff_table(desired: &TableDef, live: &TableDef, allow_drop: bool) -> Vec<Step> {
    let mut steps = Vec::new();
    let (d_pk, l_pk) = (desired.partition_key(), live.partition_key());
    let (d_ck, l_ck) = (desired.clustering_key(), live.clustering_key());
    if names(&d_pk) != names(&l_pk) || names(&d_ck) != names(&l_ck) {
        steps.push(Step::refused(
            Action::ChangePrimaryKey {
                table: desired.name.clone(),
                live: render::primary_key(live),
                desired: render::primary_key(desired),
            },
            "a table's primary key cannot be altered: rows are stored by it",
            COPY_PATH,
        ));
        return steps;
    }
    for (col, lcol) in desired.primary_key().into_iter().zip(live.primary_key()) {
        if !same_type(&col.ty, &lcol.ty) {
            steps.push(type_refusal(desired, col, lcol));
        }
    }
    if orders(&d_ck) != orders(&l_ck) {
        steps.push(Step::refused(
            Action::ChangeClusteringOrder {
                table: desired.name.clone(),
                live: render::clustering_order(live),
                desired: render::clustering_order(desired),
            },
            "the clustering order is how rows are stored on disk and cannot be altered",
            format!(
                "keep the live order and read in reverse with ORDER BY where needed, or: {COPY_PATH}"
            ),
        ));
    }
    let mut adds = Vec::new();
    for col in desired.non_key_columns() {
        match live.column(&col.name) {
            None => adds.push(Step::apply(Action::AddColumn {
                table: desired.name.clone(),
                column: col.clone(),
            })),
            Some(lcol) if lcol.kind.is_primary_key() => {}
            Some(lcol) => {
                if !same_type(&col.ty, &lcol.ty) {
                    steps.push(type_refusal(desired, col, lcol));
                } else if (col.kind == ColumnKind::Static) != (lcol.kind == ColumnKind::Static) {
                    steps.push(Step::refused(
                        Action::ChangeColumnKind {
                            table: desired.name.clone(),
                            column: col.name.clone(),
                            desired_static: col.kind == ColumnKind::Static,
                        },
                        "a column cannot switch between static and regular in place",
                        format!(
                            "add a column with another name, copy the values, then remove `{}` \
                             from the model and migrate with --allow-drop",
                            col.name
                        ),
                    ));
                }
            }
        }
    }
    steps.extend(adds);
    let options = changed_options(&desired.options, &live.options);
    if !options.is_empty() {
        steps.push(Step::apply(Action::AlterOptions {
            table: desired.name.clone(),
            options,
        }));
    }
    let drop_status = if allow_drop {
        Status::Apply
    } else {
        Status::NeedsAllowDrop
    };
    let mut kept_live = Vec::new();
    for index in desired.indexes.iter() {
        let by_name = live.indexes.iter().find(|i| i.name == index.name);
        let by_target = live
            .indexes
            .iter()
            .find(|i| i.column == index.column && i.target == index.target);
        match (by_name, by_target) {
            (Some(l), _) if l.column == index.column && l.target == index.target => {
                kept_live.push(l.name.clone());
            }
            (Some(l), _) => {
                kept_live.push(l.name.clone());
                steps.push(Step::refused(
                    Action::ChangeIndex {
                        table: desired.name.clone(),
                        live: l.clone(),
                        desired: index.clone(),
                    },
                    format!("an index named `{}` already indexes something else", l.name),
                    format!(
                        "give the new index another name, or drop the old one first \
                         ({})",
                        render::drop_index(&l.name)
                    ),
                ));
            }
            // Same column and target under another name: Cassandra refuses a duplicate
            // index (`CreateIndexStatement`: "is a duplicate of existing index"), so keep it.
            (None, Some(l)) => kept_live.push(l.name.clone()),
            (None, None) => steps.push(Step::apply(Action::CreateIndex {
                table: desired.name.clone(),
                index: index.clone(),
            })),
        }
    }
    for index in live.indexes.iter() {
        if !kept_live.contains(&index.name) {
            steps.push(Step {
                action: Action::DropIndex {
                    table: desired.name.clone(),
                    index: index.clone(),
                },
                status: drop_status.clone(),
            });
        }
    }
    for lcol in live.non_key_columns() {
        if desired.column(&lcol.name).is_none() {
            steps.push(Step {
                action: Action::DropColumn {
                    table: desired.name.clone(),
                    column: lcol.clone(),
                },
                status: drop_status.clone(),
            });
        }
    }
    steps
}
