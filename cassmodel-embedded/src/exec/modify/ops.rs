//! Checks of the column operations of a write, recording their marker
//! receivers (`C*: cql3/Operation.java`, `cql3/Lists.java`, `Sets.java`, `Maps.java`,
//! `UserTypes.java`).

use cassmodel_cql::ast::{InValues, Term};

use super::super::bind::MarkerSpecs;
use super::super::codec::literal::literal_to_bytes;
use super::super::term::{Ctx, collect_specs};
use super::plan::Op;
use crate::error::{CqlError, CqlResult};
use crate::schema::TableMeta;
use crate::types::CqlType;

pub(super) fn invalid(msg: impl Into<String>) -> CqlError {
    CqlError::invalid(msg)
}

pub(super) fn col_pos(table: &TableMeta, name: &str) -> CqlResult<usize> {
    table
        .columns
        .iter()
        .position(|c| c.name == name)
        .ok_or_else(|| invalid(format!("Undefined column name {name}")))
}

/// See the module documentation.
pub fn record_in(
    values: &InValues,
    name: &str,
    ty: &CqlType,
    ctx: Ctx<'_>,
    specs: &mut MarkerSpecs,
) {
    match values {
        InValues::List(items) => {
            for t in items {
                collect_specs(t, name, ty, ctx, specs);
            }
        }
        InValues::Marker(m) => specs.set(
            m,
            ctx.keyspace,
            ctx.table,
            &format!("in({name})"),
            &CqlType::List(Box::new(ty.clone())),
        ),
    }
}

/// See the module documentation.
pub fn field_index(t: &TableMeta, pos: usize, field: &str) -> CqlResult<usize> {
    let col = &t.columns[pos];
    let CqlType::Udt(u) = col.ty.unfrozen() else {
        return Err(invalid(format!(
            "Invalid field selection: {} of type {} is not a user type",
            col.name, col.ty
        )));
    };
    u.fields
        .iter()
        .position(|(n, _)| n == field)
        .ok_or_else(|| {
            invalid(format!(
                "UDT column {} does not have a field named {field}",
                col.name
            ))
        })
}

/// `SET col.field = value` needs a non-frozen UDT column, checked in the order of
/// `Operation.SetField.prepare` (cql3/Operation.java) before the field is looked up.
pub fn check_field_assignment(
    t: &TableMeta,
    pos: usize,
    field: &str,
    value: &Term,
) -> CqlResult<()> {
    let col = &t.columns[pos];
    let name = &col.name;
    if !matches!(col.ty.unfrozen(), CqlType::Udt(_)) {
        return Err(invalid(format!(
            "Invalid operation ({name}.{field} = {value}) for non-UDT column {name}"
        )));
    }
    if !col.ty.is_multi_cell() {
        return Err(invalid(format!(
            "Invalid operation ({name}.{field} = {value}) for frozen UDT column {name}"
        )));
    }
    Ok(())
}

/// `DELETE col.field` needs a non-frozen UDT column, checked in the order of
/// `Operation.FieldDeletion.prepare` (cql3/Operation.java) before the field is looked up.
pub fn check_field_deletion(t: &TableMeta, pos: usize) -> CqlResult<()> {
    let col = &t.columns[pos];
    if !matches!(col.ty.unfrozen(), CqlType::Udt(_)) {
        return Err(invalid(format!(
            "Invalid field deletion operation for non-UDT column {}",
            col.name
        )));
    }
    if !col.ty.is_multi_cell() {
        return Err(invalid(format!(
            "Frozen UDT column {} does not support field deletions",
            col.name
        )));
    }
    Ok(())
}

/// See the module documentation.
pub fn validate_op(t: &TableMeta, op: &Op, ctx: Ctx<'_>, specs: &mut MarkerSpecs) -> CqlResult<()> {
    let col = &t.columns[op.column()];
    let name = &col.name;
    let ty = &col.ty;
    let frozen = !ty.is_multi_cell();
    let is_counter = matches!(ty, CqlType::Counter);
    match op {
        Op::Set(_, v) => {
            if is_counter {
                return Err(invalid(format!(
                    "Cannot set the value of counter column {name} (counters can only be incremented/decremented, not set)"
                )));
            }
            // A constant is parsed when the statement is prepared
            // (`Constants.Literal.prepare`, cql3/Constants.java), so its error comes before
            // those of the WHERE clause or of missing key columns.
            if let Term::Literal(lit) = v {
                literal_to_bytes(lit, ty, name)?;
            }
            collect_specs(v, name, ty, ctx, specs);
        }
        Op::SetElement(_, k, v) => match ty {
            CqlType::List(e) => {
                collect_specs(k, &format!("idx({name})"), &CqlType::Int, ctx, specs);
                collect_specs(v, &format!("value({name})"), e, ctx, specs);
            }
            CqlType::Map(kt, vt) => {
                collect_specs(k, &format!("key({name})"), kt, ctx, specs);
                collect_specs(v, &format!("value({name})"), vt, ctx, specs);
            }
            CqlType::Set(_) => {
                return Err(invalid(format!(
                    "Invalid operation ({name}[{k}] = {v}) for set column {name}"
                )));
            }
            _ if ty.is_collection() => {
                return Err(invalid(format!(
                    "Invalid operation ({name}[{k}] = {v}) for frozen collection column {name}"
                )));
            }
            _ => {
                return Err(invalid(format!(
                    "Invalid operation ({name}[{k}] = {v}) for non collection column {name}"
                )));
            }
        },
        // The column was checked when planned (`check_field_assignment`).
        Op::SetField(_, f, v) => {
            if let CqlType::Udt(u) = ty {
                let (fname, fty) = &u.fields[*f];
                collect_specs(v, &format!("{name}.{fname}"), fty, ctx, specs);
            }
        }
        Op::Add(_, v) | Op::Sub(_, v) | Op::Prepend(_, v) => {
            let sign = if matches!(op, Op::Sub(..)) { "-" } else { "+" };
            if is_counter {
                if matches!(op, Op::Prepend(..)) {
                    return Err(invalid(format!(
                        "Invalid operation ({name} = {v} + {name}) for non list column {name}"
                    )));
                }
                collect_specs(v, name, &CqlType::Bigint, ctx, specs);
            } else if !ty.is_collection() {
                // `C*: cql3/Operation.java` Addition.prepare names a tuple column apart.
                let what = match (op, ty.unfrozen()) {
                    (Op::Add(..), CqlType::Tuple(_)) => "tuple",
                    _ => "non counter",
                };
                return Err(invalid(format!(
                    "Invalid operation ({name} = {name} {sign} {v}) for {what} column {name}"
                )));
            } else if frozen {
                return Err(invalid(format!(
                    "Invalid operation ({name} = {name} {sign} {v}) for frozen collection column {name}"
                )));
            } else {
                match (op, ty) {
                    (Op::Prepend(..), CqlType::List(_)) | (Op::Add(..) | Op::Sub(..), _) => {}
                    _ => {
                        return Err(invalid(format!(
                            "Invalid operation ({name} = {v} + {name}) for non list column {name}"
                        )));
                    }
                }
                // `m - {k1, k2}` removes keys: the value is a set of the key type.
                let vt = match (op, ty) {
                    (Op::Sub(..), CqlType::Map(k, _)) => CqlType::Set(k.clone()),
                    _ => ty.clone(),
                };
                collect_specs(v, name, &vt, ctx, specs);
            }
            if t.is_counter && !is_counter {
                return Err(invalid(format!(
                    "Invalid operation ({name} = {name} {sign} {v}) for non counter column {name}"
                )));
            }
        }
        Op::DeleteColumn(_) => {}
        Op::DeleteElement(_, k) => {
            // `C*: cql3/Operation.java` (ElementDeletion.prepare): a collection first, then
            // a non-frozen one.
            if !ty.is_collection() {
                return Err(invalid(format!(
                    "Invalid deletion operation for non collection column {name}"
                )));
            }
            if frozen {
                return Err(invalid(format!(
                    "Invalid deletion operation for frozen collection column {name}"
                )));
            }
            match ty {
                CqlType::List(_) => {
                    collect_specs(k, &format!("idx({name})"), &CqlType::Int, ctx, specs)
                }
                CqlType::Map(kt, _) => collect_specs(k, &format!("key({name})"), kt, ctx, specs),
                CqlType::Set(e) => collect_specs(k, name, e, ctx, specs),
                _ => {}
            }
        }
        // Checked when planned (`check_field_deletion`).
        Op::DeleteField(..) => {}
    }
    Ok(())
}
