//! Type checks Cassandra makes while it turns each WHERE relation into a restriction,
//! before any ALLOW FILTERING or index analysis: `!=` is refused, whole non-frozen
//! collections only take CONTAINS / CONTAINS KEY / map-entry equality, map entries need a
//! non-frozen map, non-frozen UDTs take no relation, and slices refuse durations
//! (apache/cassandra 4.1 `cql3/Relation.java` `toRestriction`, `cql3/SingleColumnRelation.java`
//! `toReceivers` and `newSliceRestriction`).

use cassmodel_cql::ast::{Operator, Relation};

use crate::error::{CqlError, CqlResult};
use crate::schema::TableMeta;
use crate::types::CqlType;

fn invalid(msg: impl Into<String>) -> CqlError {
    CqlError::invalid(msg)
}

/// `AbstractType.referencesDuration()`: the type is or contains a duration.
pub fn references_duration(ty: &CqlType) -> bool {
    match ty {
        CqlType::Duration => true,
        CqlType::Frozen(t) | CqlType::List(t) | CqlType::Set(t) => references_duration(t),
        CqlType::Map(k, v) => references_duration(k) || references_duration(v),
        CqlType::Tuple(ts) => ts.iter().any(references_duration),
        CqlType::Udt(u) => u.fields.iter().any(|(_, t)| references_duration(t)),
        _ => false,
    }
}

/// Checks every single-column relation of a WHERE clause against its column's type, then
/// merges it with the relations before it on the same column, relation by relation as
/// `StatementRestrictions`' constructor does.
pub fn check_relation_types(
    relations: &[Relation],
    table: &TableMeta,
    allow_filtering: bool,
) -> CqlResult<()> {
    let mut merger = super::merge::Merger::new(table, allow_filtering);
    for rel in relations {
        check_relation(rel, table)?;
        merger.add(rel)?;
    }
    Ok(())
}

/// The checks of one relation's `toRestriction`, and LIKE's refusal.
fn check_relation(rel: &Relation, table: &TableMeta) -> CqlResult<()> {
    let (column, op) = match rel {
        Relation::Compare { column, op, .. } => (column, *op),
        Relation::In { column, .. } => (column, Operator::Eq),
        Relation::Element { column, .. } => {
            let Some(c) = table.column(column.as_str()) else {
                return Ok(());
            };
            if matches!(c.ty.unfrozen(), CqlType::List(_)) {
                return Err(invalid(format!(
                    "Indexes on list entries ({}[index] = value) are not currently supported.",
                    c.name
                )));
            }
            if !matches!(c.ty.unfrozen(), CqlType::Map(..)) {
                return Err(invalid(format!(
                    "Column {} cannot be used as a map",
                    c.name
                )));
            }
            if !c.ty.is_multi_cell() {
                return Err(invalid(format!(
                    "Map-entry equality predicates on frozen map column {} are not supported",
                    c.name
                )));
            }
            return Ok(());
        }
        Relation::IsNotNull(column) => {
            // IS NOT NULL only exists for materialized views (StatementRestrictions).
            return Err(invalid(format!(
                "Unsupported restriction: {} IS NOT NULL",
                column.as_str()
            )));
        }
        _ => return Ok(()),
    };
    let Some(c) = table.column(column.as_str()) else {
        return Ok(());
    };
    let op_text = if matches!(rel, Relation::In { .. }) {
        "IN"
    } else {
        op.as_str()
    };
    let slice = matches!(
        op,
        Operator::Lt | Operator::Lte | Operator::Gt | Operator::Gte
    ) && !matches!(rel, Relation::In { .. });
    // newSliceRestriction checks durations before toReceivers checks the column.
    if slice && references_duration(&c.ty) {
        let what = match c.ty.unfrozen() {
            CqlType::List(_) | CqlType::Set(_) | CqlType::Map(..) => {
                "collections containing durations"
            }
            CqlType::Tuple(_) => "tuples containing durations",
            CqlType::Udt(_) => "UDTs containing durations",
            _ => "duration columns",
        };
        return Err(invalid(format!(
            "Slice restrictions are not supported on {what}"
        )));
    }
    if matches!(c.ty, CqlType::Udt(_)) {
        return Err(invalid(format!(
            "Non-frozen UDT column '{}' ({}) cannot be restricted by any relation",
            c.name, c.ty
        )));
    }
    let legal_on_whole = matches!(op, Operator::Contains | Operator::ContainsKey)
        && !matches!(rel, Relation::In { .. });
    if c.ty.is_collection() && c.ty.is_multi_cell() && !legal_on_whole {
        return Err(invalid(format!(
            "Collection column '{}' ({}) cannot be restricted by a '{op_text}' relation",
            c.name, c.ty
        )));
    }
    // No index here supports LIKE (only SASI does), so StatementRestrictions' check
    // `!restriction.hasSupportingIndex(indexRegistry)` always refuses it.
    if op == Operator::Like {
        return Err(invalid(format!(
            "LIKE restriction is only supported on properly indexed columns. {rel} is not valid."
        )));
    }
    Ok(())
}
