//! The steps of a schema plan: what changes, whether it may be applied, and its CQL.

use crate::cql_type::CqlType;
use crate::diff::keyspace::KeyspaceDef;
use crate::model::{ColumnDef, IndexDef, TableDef, TableOptions, UserTypeDef};
use crate::render;
use crate::shared::Str;

/// One change between the desired and the live schema.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Action {
    /// The keyspace is missing: create it.
    CreateKeyspace(KeyspaceDef),
    /// The keyspace exists with other replication or durable_writes (never changed).
    KeyspaceDiffers {
        /// What the keyspace is.
        live: KeyspaceDef,
        /// What was asked for.
        desired: KeyspaceDef,
    },
    /// A user type is missing: create it.
    CreateType(UserTypeDef),
    /// A user type lacks trailing fields: add them (compatible).
    AddTypeField {
        /// The type.
        type_name: Str,
        /// New field name.
        field: Str,
        /// Its type.
        ty: CqlType,
    },
    /// A user type's existing fields differ (renamed, reordered, retyped or removed).
    ChangeType {
        /// The live type.
        live: UserTypeDef,
        /// The type the models declare.
        desired: UserTypeDef,
    },
    /// A table is missing: create it.
    CreateTable(TableDef),
    /// A live table no model declares (reported, never dropped).
    UnmanagedTable(Str),
    /// A column is missing: add it.
    AddColumn {
        /// Table name.
        table: Str,
        /// The column.
        column: ColumnDef,
    },
    /// A live column the model no longer has.
    DropColumn {
        /// Table name.
        table: Str,
        /// The live column.
        column: ColumnDef,
    },
    /// A column's type differs.
    ChangeColumnType {
        /// Table name.
        table: Str,
        /// Column name.
        column: Str,
        /// Live type.
        live: CqlType,
        /// Declared type.
        desired: CqlType,
    },
    /// A column is static in one and regular in the other.
    ChangeColumnKind {
        /// Table name.
        table: Str,
        /// Column name.
        column: Str,
        /// Whether the model declares it static.
        desired_static: bool,
    },
    /// The primary key differs (columns, their order, or partition/clustering split).
    ChangePrimaryKey {
        /// Table name.
        table: Str,
        /// Live `PRIMARY KEY (..)` text.
        live: String,
        /// Declared `PRIMARY KEY (..)` text.
        desired: String,
    },
    /// The clustering order differs.
    ChangeClusteringOrder {
        /// Table name.
        table: Str,
        /// Live `CLUSTERING ORDER BY (..)` text.
        live: String,
        /// Declared `CLUSTERING ORDER BY (..)` text.
        desired: String,
    },
    /// A secondary index is missing: create it.
    CreateIndex {
        /// The table.
        table: Str,
        /// The index.
        index: IndexDef,
    },
    /// An index exists under the same name on another column or target.
    ChangeIndex {
        /// The table.
        table: Str,
        /// Live index.
        live: IndexDef,
        /// Declared index.
        desired: IndexDef,
    },
    /// A live index the model no longer has.
    DropIndex {
        /// The table.
        table: Str,
        /// The live index.
        index: IndexDef,
    },
    /// Table options differ: set the ones the model declares.
    AlterOptions {
        /// The table.
        table: Str,
        /// Only the options that differ.
        options: TableOptions,
    },
}

/// Whether a step runs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Status {
    /// Applied by `migrate`.
    Apply,
    /// A drop listed but not applied because `--allow-drop` was not given.
    NeedsAllowDrop,
    /// Information only (nothing to run).
    Notice,
    /// An incompatible change: the whole plan is refused.
    Refused {
        /// Why the change cannot be applied in place.
        reason: String,
        /// The safe way to get there.
        safe_path: String,
    },
}

/// One step of a plan.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Step {
    /// What changes.
    pub action: Action,
    /// Whether it runs.
    pub status: Status,
}

impl Step {
    /// A step to apply.
    pub fn apply(action: Action) -> Self {
        Step {
            action,
            status: Status::Apply,
        }
    }

    /// A refused step.
    pub fn refused(
        action: Action,
        reason: impl Into<String>,
        safe_path: impl Into<String>,
    ) -> Self {
        Step {
            action,
            status: Status::Refused {
                reason: reason.into(),
                safe_path: safe_path.into(),
            },
        }
    }

    /// A one-line description, e.g. `add column users.email text`.
    pub fn describe(&self) -> String {
        match &self.action {
            Action::CreateKeyspace(ks) => format!(
                "create keyspace {} ({}, durable_writes={})",
                ks.name, ks.replication, ks.durable_writes
            ),
            Action::KeyspaceDiffers { live, desired } => format!(
                "keyspace {} has {}, durable_writes={} (asked: {}, durable_writes={}); not changed",
                live.name,
                live.replication,
                live.durable_writes,
                desired.replication,
                desired.durable_writes
            ),
            Action::CreateType(udt) => format!("create type {}", udt.name),
            Action::AddTypeField {
                type_name,
                field,
                ty,
            } => format!("add field {type_name}.{field} {ty}"),
            Action::ChangeType { desired, .. } => format!("change type {}", desired.name),
            Action::CreateTable(t) => format!("create table {}", t.name),
            Action::UnmanagedTable(t) => {
                format!("table {t} is declared by no model (left alone)")
            }
            Action::AddColumn { table, column } => {
                format!("add column {table}.{} {}", column.name, column.ty)
            }
            Action::DropColumn { table, column } => {
                format!("drop column {table}.{} {}", column.name, column.ty)
            }
            Action::ChangeColumnType {
                table,
                column,
                live,
                desired,
            } => format!("change type of {table}.{column} from {live} to {desired}"),
            Action::ChangeColumnKind {
                table,
                column,
                desired_static,
            } => {
                let (from, to) = if *desired_static {
                    ("regular", "static")
                } else {
                    ("static", "regular")
                };
                format!("make {table}.{column} {to} (is {from})")
            }
            Action::ChangePrimaryKey {
                table,
                live,
                desired,
            } => format!("change primary key of {table} from {live} to {desired}"),
            Action::ChangeClusteringOrder {
                table,
                live,
                desired,
            } => format!("change clustering order of {table} from {live} to {desired}"),
            Action::CreateIndex { table, index } => format!(
                "create index {} on {table} ({})",
                index.name,
                render::index_target(index)
            ),
            Action::ChangeIndex {
                table,
                live,
                desired,
            } => format!(
                "change index {} on {table} from ({}) to ({})",
                desired.name,
                render::index_target(live),
                render::index_target(desired)
            ),
            Action::DropIndex { table, index } => {
                format!("drop index {} on {table}", index.name)
            }
            Action::AlterOptions { table, options } => {
                format!(
                    "set options of {table}: {}",
                    render::options(options).join(", ")
                )
            }
        }
    }

    /// The CQL that performs this step (table names unqualified: run it in the keyspace),
    /// `None` for notices and refusals that have no statement.
    pub fn cql(&self) -> Option<String> {
        match &self.action {
            Action::CreateKeyspace(ks) => Some(render::create_keyspace(ks, false)),
            Action::CreateType(udt) => Some(render::create_type(udt, false)),
            Action::AddTypeField {
                type_name,
                field,
                ty,
            } => Some(render::alter_type_add(type_name, field, ty)),
            Action::CreateTable(t) => Some(render::create_table(t, false)),
            Action::AddColumn { table, column } => Some(render::alter_add(table, column)),
            Action::DropColumn { table, column } => Some(render::alter_drop(table, &column.name)),
            Action::CreateIndex { table, index } => {
                Some(render::create_index_on(table, index, false))
            }
            Action::DropIndex { index, .. } => Some(render::drop_index(&index.name)),
            Action::AlterOptions { table, options } => render::alter_with(table, options),
            Action::KeyspaceDiffers { .. }
            | Action::ChangeType { .. }
            | Action::UnmanagedTable(_)
            | Action::ChangeColumnType { .. }
            | Action::ChangeColumnKind { .. }
            | Action::ChangePrimaryKey { .. }
            | Action::ChangeClusteringOrder { .. }
            | Action::ChangeIndex { .. } => None,
        }
    }
}

/// The result of a diff: every step, in the order they must run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Plan {
    /// The keyspace the plan is for.
    pub keyspace: Str,
    /// All steps, including notices, skipped drops and refusals.
    pub steps: Vec<Step>,
}

impl Plan {
    /// Whether some step is refused (then nothing at all may be applied).
    pub fn is_refused(&self) -> bool {
        self.steps
            .iter()
            .any(|s| matches!(s.status, Status::Refused { .. }))
    }

    /// The steps to run, in order; empty when the plan is refused.
    pub fn to_apply(&self) -> Vec<&Step> {
        if self.is_refused() {
            return Vec::new();
        }
        self.steps
            .iter()
            .filter(|s| s.status == Status::Apply)
            .collect()
    }

    /// Nothing to apply and nothing refused.
    pub fn is_up_to_date(&self) -> bool {
        !self.is_refused() && self.to_apply().is_empty()
    }
}
