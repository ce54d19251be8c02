//! Schema evolution from code: [`Db::sync_plan`] diffs one model (its user types, table, indexes
//! and query tables) against the live schema ([`Db::live_schema`]) with cassmodel-schema's
//! diff — the same diff `cassmodel migrate` uses, so the two cannot drift — and
//! [`Db::apply_plan`] runs a plan's steps in order, waiting for schema agreement after each.
//! [`Db::sync`] is both: it creates what is missing and adds columns, refuses incompatible
//! changes before applying anything, never drops, and reports what it left alone.

use cassmodel_schema::diff::{
    self, Action, DiffOptions, KeyspaceDef, Plan, SchemaDef, Status, Step,
};
use cassmodel_schema::ident::unquote;
use cassmodel_schema::{CqlType, UserTypeDef};

use super::Db;
use crate::error::SchemaError;
use crate::model::Model;

/// What [`Db::sync`] did: the plan it computed and how many of its steps ran.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncReport {
    /// The whole plan, notices and skipped drops included.
    pub plan: Plan,
    /// How many steps were applied (those of [`Plan::to_apply`]).
    pub applied: usize,
}

impl SyncReport {
    /// Whether nothing had to change.
    pub fn is_up_to_date(&self) -> bool {
        self.applied == 0
    }

    /// Drops the model implies (live columns or indexes it no longer declares) that sync
    /// never applies; `cassmodel migrate --allow-drop` does.
    pub fn skipped_drops(&self) -> Vec<&Step> {
        self.plan
            .steps
            .iter()
            .filter(|s| s.status == Status::NeedsAllowDrop)
            .collect()
    }
}

/// The user type a rendered `CREATE TYPE [IF NOT EXISTS] name (field type, ...)` declares
/// (the statements [`Model::collect_user_types`] gives, rendered by
/// `cassmodel_schema::render::create_type`).
fn user_type_def(create: &str) -> Option<UserTypeDef> {
    let rest = create.strip_prefix("CREATE TYPE ")?;
    let rest = rest.strip_prefix("IF NOT EXISTS ").unwrap_or(rest);
    let (name, rest) = split_ident(rest)?;
    let body = rest.trim().strip_prefix('(')?.strip_suffix(')')?;
    let mut fields = Vec::new();
    for item in split_top_level(body) {
        let (field, ty) = split_ident(item.trim())?;
        fields.push((field.into(), CqlType::parse(ty.trim()).ok()?));
    }
    Some(UserTypeDef {
        name: name.into(),
        fields: fields.into(),
    })
}

/// A leading identifier (bare, or double-quoted with `""` escapes) and what follows it.
fn split_ident(text: &str) -> Option<(String, &str)> {
    let end = if text.starts_with('"') {
        let mut in_quotes = false;
        text.char_indices()
            .find(|&(_, c)| {
                if c == '"' {
                    in_quotes = !in_quotes;
                }
                !in_quotes && c.is_whitespace()
            })
            .map_or(text.len(), |(i, _)| i)
    } else {
        text.find(char::is_whitespace).unwrap_or(text.len())
    };
    (end > 0).then(|| (unquote(&text[..end]), &text[end..]))
}

/// `a int, b map<text, int>` → `a int`, ` b map<text, int>`: commas outside `<>` and quotes.
fn split_top_level(body: &str) -> Vec<&str> {
    let (mut depth, mut in_quotes, mut start) = (0usize, false, 0);
    let mut out = Vec::new();
    for (i, c) in body.char_indices() {
        match c {
            '"' => in_quotes = !in_quotes,
            '<' if !in_quotes => depth += 1,
            '>' if !in_quotes => depth = depth.saturating_sub(1),
            ',' if !in_quotes && depth == 0 => {
                out.push(&body[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&body[start..]);
    out
}

/// What model `M` declares in `keyspace`: its user types (dependencies first), its table
/// and its query tables.
pub fn model_schema<M: Model>(keyspace: KeyspaceDef) -> Result<SchemaDef, SchemaError> {
    let mut statements = Vec::new();
    M::collect_user_types(&mut statements);
    let mut types: Vec<UserTypeDef> = Vec::new();
    for statement in statements {
        let udt = user_type_def(statement).ok_or_else(|| SchemaError::Rejected {
            statement: statement.to_owned(),
            message: "not a CREATE TYPE statement cassmodel rendered".to_owned(),
        })?;
        if !types.iter().any(|t| t.name == udt.name) {
            types.push(udt);
        }
    }
    let mut tables = vec![M::TABLE.clone()];
    tables.extend(M::TABLE.query_table_defs());
    Ok(SchemaDef {
        keyspace,
        types,
        tables,
    })
}

impl Db {
    /// The plan that brings the Db's keyspace in line with model `M` (its user types,
    /// table, indexes and query tables), computed by the same diff as `cassmodel migrate`.
    /// Live tables of other models are not part of it; drops are listed as
    /// [`Status::NeedsAllowDrop`]. Changes nothing.
    pub async fn sync_plan<M: Model>(&self) -> Result<Plan, SchemaError> {
        let keyspace = self.keyspace().ok_or(SchemaError::NoKeyspace)?;
        let mut live =
            self.live_schema(keyspace)
                .await?
                .ok_or_else(|| SchemaError::KeyspaceMissing {
                    keyspace: keyspace.to_owned(),
                })?;
        let desired = model_schema::<M>(live.keyspace.clone())?;
        live.tables
            .retain(|t| desired.tables.iter().any(|d| d.name == t.name));
        Ok(diff::diff(&desired, Some(&live), DiffOptions::default()))
    }

    /// Runs the steps of `plan` ([`Plan::to_apply`]) in order, each followed by the wait
    /// for schema agreement, switching this Db to the plan's keyspace once it exists.
    /// `progress(i, total, step)` is called before step `i` (1-based) runs. A refused plan
    /// applies nothing and is returned as [`SchemaError::Refused`]. Returns how many steps
    /// ran; on an error the steps before the failing one stay applied.
    pub async fn apply_plan(
        &mut self,
        plan: &Plan,
        mut progress: impl FnMut(usize, usize, &Step),
    ) -> Result<usize, SchemaError> {
        if plan.is_refused() {
            return Err(SchemaError::Refused {
                plan: Box::new(plan.clone()),
            });
        }
        let steps = plan.to_apply();
        for (i, step) in steps.iter().enumerate() {
            progress(i + 1, steps.len(), step);
            let creates_keyspace = matches!(step.action, Action::CreateKeyspace(_));
            if !creates_keyspace && self.keyspace() != Some(&*plan.keyspace) {
                self.use_keyspace(&plan.keyspace).await.map_err(|e| {
                    SchemaError::KeyspaceMissing {
                        keyspace: format!("{} ({e})", plan.keyspace),
                    }
                })?;
            }
            self.run_step(step).await?;
        }
        Ok(steps.len())
    }

    /// Brings the Db's keyspace in line with model `M`: creates its missing user types,
    /// table, indexes and query tables, adds missing columns and user-type fields, and sets
    /// changed table options — the plan of [`Db::sync_plan`]. Incompatible changes (a column's
    /// type, the primary key, the clustering order, a user type's existing fields) return
    /// [`SchemaError::Refused`] naming each change and its safe path, with nothing applied.
    /// Columns and indexes the model no longer has are never dropped: they are listed in
    /// [`SyncReport::skipped_drops`]. Running it again is a no-op.
    pub async fn sync<M: Model>(&self) -> Result<SyncReport, SchemaError> {
        let plan = self.sync_plan::<M>().await?;
        if plan.is_refused() {
            return Err(SchemaError::Refused {
                plan: Box::new(plan),
            });
        }
        let steps = plan.to_apply();
        for step in &steps {
            self.run_step(step).await?;
        }
        let applied = steps.len();
        Ok(SyncReport { plan, applied })
    }

    /// Runs one step's CQL (steps without a statement do nothing).
    async fn run_step(&self, step: &Step) -> Result<(), SchemaError> {
        match step.cql() {
            Some(cql) => self.ddl(&cql).await,
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_back_rendered_user_types() {
        let udt = UserTypeDef {
            name: "Addr ess".into(),
            fields: vec![
                ("street".into(), CqlType::Text),
                ("Zip".into(), CqlType::Int),
                (
                    "tags".into(),
                    CqlType::map(CqlType::Text, CqlType::frozen(CqlType::Udt("Pt, x".into()))),
                ),
            ]
            .into(),
        };
        for if_not in [true, false] {
            let cql = cassmodel_schema::render::create_type(&udt, if_not);
            assert_eq!(user_type_def(&cql), Some(udt.clone()), "{cql}");
        }
        assert_eq!(user_type_def("CREATE TABLE t (a int)"), None);
    }
}
