//! The schema diff behind `cassmodel migrate` and `Db::sync`: the schema the models declare
//! against the live schema (read from `system_schema` into the same types) gives a [`Plan`]
//! of [`Step`]s. Incompatible changes are data ([`Status::Refused`], with the reason and the
//! safe path), so a plan is validated as a whole before anything runs: a refused plan
//! applies nothing ([`Plan::to_apply`] is empty). Pure: no I/O, no clock.

mod keyspace;
mod options;
mod step;
mod table;
mod udt;

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "tests")]
mod tests;

pub use keyspace::{KeyspaceDef, Replication};
pub use options::{changed_options, parse_map};
pub use step::{Action, Plan, Status, Step};
pub use table::{diff_table, normalize, same_type};
pub use udt::{creation_order, diff_type};

use crate::model::{TableDef, UserTypeDef};

/// A keyspace's schema: the keyspace itself, its user types and its tables.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SchemaDef {
    /// The keyspace.
    pub keyspace: KeyspaceDef,
    /// User types, in any order.
    pub types: Vec<UserTypeDef>,
    /// Tables, in any order.
    pub tables: Vec<TableDef>,
}

/// How to diff.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DiffOptions {
    /// Apply drops of columns and indexes the models no longer have.
    pub allow_drop: bool,
}

/// The plan that turns `live` (`None`: the keyspace does not exist) into `desired`.
///
/// Step order: keyspace, user types (dependencies first), tables (in `desired` order, each
/// created or altered: columns, options, indexes, then drops), then notices for live tables
/// no model declares.
pub fn diff(desired: &SchemaDef, live: Option<&SchemaDef>, options: DiffOptions) -> Plan {
    let mut steps = Vec::new();
    let empty;
    let live = match live {
        Some(live) => {
            if live.keyspace.replication != desired.keyspace.replication
                || live.keyspace.durable_writes != desired.keyspace.durable_writes
            {
                steps.push(Step {
                    action: Action::KeyspaceDiffers {
                        live: live.keyspace.clone(),
                        desired: desired.keyspace.clone(),
                    },
                    status: Status::Notice,
                });
            }
            live
        }
        None => {
            steps.push(Step::apply(Action::CreateKeyspace(
                desired.keyspace.clone(),
            )));
            empty = SchemaDef {
                keyspace: desired.keyspace.clone(),
                types: Vec::new(),
                tables: Vec::new(),
            };
            &empty
        }
    };
    for udt in creation_order(&desired.types) {
        match live.types.iter().find(|t| t.name == udt.name) {
            None => steps.push(Step::apply(Action::CreateType(udt.clone()))),
            Some(l) => steps.extend(diff_type(udt, l)),
        }
    }
    for table in &desired.tables {
        match live.tables.iter().find(|t| t.name == table.name) {
            None => {
                steps.push(Step::apply(Action::CreateTable(table.clone())));
                for index in table.indexes.iter() {
                    steps.push(Step::apply(Action::CreateIndex {
                        table: table.name.clone(),
                        index: index.clone(),
                    }));
                }
            }
            Some(l) => steps.extend(diff_table(table, l, options.allow_drop)),
        }
    }
    for table in &live.tables {
        if !desired.tables.iter().any(|t| t.name == table.name) {
            steps.push(Step {
                action: Action::UnmanagedTable(table.name.clone()),
                status: Status::Notice,
            });
        }
    }
    Plan {
        keyspace: desired.keyspace.name.clone(),
        steps,
    }
}
