//! The selection of a SELECT: columns, aliases, `*` in `SELECT *` order, `writetime()`,
//! `ttl()`, `token()` and the aggregates `count()`, `min()`, `max()`, `sum()`, `avg()` with Cassandra's names and checks
//! (`C*: cql3/selection/Selectable.java`, `Selection.java`). Native function calls, casts,
//! typed constants and UDT fields are planned in [`expr`].

use cassmodel_cql::ast::{Select, Selection, SelectorExpr, Term};

use super::aggregate::AggregateFn;
use super::plan::Sel;
use crate::api::ColumnSpec;
use crate::error::{CqlError, CqlResult};
use crate::schema::{ColumnKind, TableMeta};
use crate::types::CqlType;

pub mod arith;
pub mod cast;
pub mod elements;
pub mod expr;
pub mod functions;
pub mod resolve;

fn invalid(msg: impl Into<String>) -> CqlError {
    CqlError::invalid(msg)
}

fn spec(table: &TableMeta, name: String, ty: CqlType) -> ColumnSpec {
    ColumnSpec {
        keyspace: table.keyspace.clone(),
        table: table.name.clone(),
        name,
        ty,
    }
}

/// Output columns and result metadata of a selection; true when it aggregates.
#[allow(clippy::type_complexity)]
pub fn plan_selection(
    select: &Select,
    table: &TableMeta,
) -> CqlResult<(Vec<Sel>, Vec<ColumnSpec>, bool)> {
    let mut sels = Vec::new();
    let mut specs = Vec::new();
    let selectors = match &select.selection {
        Selection::Wildcard => {
            for (i, c) in table.columns.iter().enumerate() {
                if select.distinct
                    && !matches!(c.kind, ColumnKind::PartitionKey | ColumnKind::Static)
                {
                    return Err(invalid(format!(
                        "SELECT DISTINCT queries must only request partition key columns and/or static columns (not {})",
                        c.name
                    )));
                }
                sels.push(Sel::Column(i));
                specs.push(spec(table, c.name.clone(), c.ty.clone()));
            }
            return Ok((sels, specs, false));
        }
        Selection::Selectors(s) => s,
    };
    let undefined = |name: &str| {
        invalid(format!(
            "Undefined column name {name} in table {}.{}",
            table.keyspace, table.name
        ))
    };
    let col_of = |name: &str| {
        table
            .columns
            .iter()
            .position(|c| c.name == name)
            .ok_or_else(|| undefined(name))
    };
    let mut planner = expr::Planner {
        table,
        defs: Vec::new(),
        aggregate: None,
    };
    for s in selectors {
        let (sel, default_name, ty) = match &s.expr {
            SelectorExpr::Column(c) => {
                let i = col_of(c.as_str())?;
                (
                    Sel::Column(i),
                    c.as_str().to_owned(),
                    table.columns[i].ty.clone(),
                )
            }
            SelectorExpr::WriteTime(c) | SelectorExpr::Ttl(c) => {
                let is_wt = matches!(s.expr, SelectorExpr::WriteTime(_));
                let i = col_of(c.as_str())?;
                expr::check_write_time_or_ttl(table, i, is_wt)?;
                if is_wt {
                    (
                        Sel::WriteTime(i),
                        format!("writetime({})", c.as_str()),
                        CqlType::Bigint,
                    )
                } else {
                    (Sel::Ttl(i), format!("ttl({})", c.as_str()), CqlType::Int)
                }
            }
            SelectorExpr::CountAll => (Sel::CountAll, "count".to_owned(), CqlType::Bigint),
            SelectorExpr::Function { name, args }
                if name.name.as_str() == "count"
                    && matches!(args.as_slice(), [SelectorExpr::Term(Term::Literal(_))]) =>
            {
                (Sel::CountAll, "count".to_owned(), CqlType::Bigint)
            }
            SelectorExpr::Function { name, args } if name.name.as_str() == "token" => {
                let pk: Vec<&str> = table.partition_key().map(|c| c.name.as_str()).collect();
                let given: Vec<&str> = args
                    .iter()
                    .map(|a| match a {
                        SelectorExpr::Column(c) => Ok(c.as_str()),
                        _ => Err(invalid("token() only accepts partition key columns")),
                    })
                    .collect::<CqlResult<_>>()?;
                for g in &given {
                    col_of(g)?;
                }
                // `token` is a function of the partition-key types
                // (`C*: cql3/functions/TokenFct.java`, `FunctionResolver.java` messages).
                if given.len() != pk.len() {
                    return Err(invalid(format!(
                        "Invalid number of arguments in call to function system.token: {} required but {} provided",
                        pk.len(),
                        given.len()
                    )));
                }
                for (i, (g, p)) in given.iter().zip(table.partition_key()).enumerate() {
                    let gt = &table.columns[col_of(g)?].ty;
                    if gt != &p.ty {
                        return Err(invalid(format!(
                            "Type error: {g} cannot be passed as argument {i} of function system.token of type {}",
                            p.ty
                        )));
                    }
                }
                if given != pk {
                    return Err(invalid(format!(
                        "Type error: token() arguments must be the partition key columns in order ({})",
                        pk.join(", ")
                    )));
                }
                (
                    Sel::Token,
                    format!("system.token({})", given.join(", ")),
                    CqlType::Bigint,
                )
            }
            SelectorExpr::Function { name, args } => {
                let aggregate = AggregateFn::from_name(name.name.as_str());
                if let (Some(f), [arg]) = (aggregate, args.as_slice()) {
                    let SelectorExpr::Column(c) = arg else {
                        return Err(CqlError::unsupported(format!(
                            "This {}() argument",
                            f.name()
                        )));
                    };
                    let i = col_of(c.as_str())?;
                    (
                        Sel::Aggregate(f, i),
                        format!("system.{}({})", f.name(), c.as_str()),
                        f.result_type(&table.columns[i].ty)?,
                    )
                } else {
                    planned(&mut planner, &s.expr)?
                }
            }
            _ => planned(&mut planner, &s.expr)?,
        };
        if let Sel::Column(i) | Sel::WriteTime(i) | Sel::Ttl(i) | Sel::Aggregate(_, i) = sel
            && !planner.defs.contains(&i)
        {
            planner.defs.push(i);
        }
        let name = s
            .alias
            .as_ref()
            .map_or(default_name, |a| a.as_str().to_owned());
        sels.push(sel);
        specs.push(spec(table, name, ty));
    }
    // Plain columns next to aggregates take the first row's values, as in Cassandra.
    let aggregate = sels
        .iter()
        .any(|s| matches!(s, Sel::CountAll | Sel::Aggregate(..) | Sel::Over(..)));
    Ok((sels, specs, aggregate))
}

/// A selector planned by [`expr::Planner`]: evaluated per row, or once per group when it
/// holds an aggregate (`todate(min(c))`, `C*: cql3/selection/AbstractFunctionSelector.java`
/// `isAggregateSelectorFactory`).
fn planned(planner: &mut expr::Planner<'_>, e: &SelectorExpr) -> CqlResult<(Sel, String, CqlType)> {
    let p = planner.plan(e, None)?;
    let Some(aggregate) = planner.aggregate.take() else {
        return Ok((Sel::Expr(p.expr), p.name, p.ty));
    };
    let mut columns = Vec::new();
    p.expr.columns(&mut columns);
    if !columns.is_empty() {
        return Err(CqlError::unsupported(
            "A function of both an aggregate and a column",
        ));
    }
    Ok((Sel::Over(Box::new(aggregate), p.expr), p.name, p.ty))
}
