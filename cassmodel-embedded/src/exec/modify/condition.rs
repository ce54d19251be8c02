//! IF conditions of a write, checked and given their marker receivers when the statement
//! is prepared, as `C*: cql3/conditions/ColumnCondition.java` (`Raw.prepare`,
//! `prepareTerms`, `validateOperationOnDurations`) does: element access only on lists and
//! maps, fields only of the column's UDT, no slices on durations, `CONTAINS [KEY]` only on
//! collections (maps).

use cassmodel_cql::ast::{ConditionOp, ConditionTarget, IfClause, Operator};

use super::super::bind::MarkerSpecs;
use super::super::select::validate::references_duration;
use super::super::term::{Ctx, collect_specs};
use super::ops::{col_pos, field_index, invalid, record_in};
use super::plan::{Cond, CondPlan};
use crate::error::CqlResult;
use crate::schema::TableMeta;
use crate::types::CqlType;

/// A column specification receiving condition values (`ColumnSpecification`).
struct Receiver {
    name: String,
    ty: CqlType,
}

impl Receiver {
    fn new(name: String, ty: &CqlType) -> Self {
        Receiver {
            name,
            ty: ty.clone(),
        }
    }
}

/// Plans the IF clause of a write.
pub fn if_clause(t: &TableMeta, clause: Option<&IfClause>) -> CqlResult<Cond> {
    let conds = match clause {
        None => return Ok(Cond::None),
        Some(IfClause::Exists) => return Ok(Cond::Exists),
        Some(IfClause::Conditions(conds)) => conds,
    };
    let mut out = Vec::new();
    for c in conds {
        let (name, element, field) = match &c.target {
            ConditionTarget::Column(n) => (n, None, None),
            ConditionTarget::Element { column, key } => (column, Some(key.clone()), None),
            ConditionTarget::Field { column, field } => {
                let pos = col_pos(t, column.as_str())?;
                (column, None, Some(condition_field(t, pos, field.as_str())?))
            }
        };
        let plan = CondPlan {
            col: col_pos(t, name.as_str())?,
            element,
            field,
            op: c.op.clone(),
        };
        let (_, value) = receivers(t, &plan)?;
        check_operator(&plan.op, &value)?;
        if t.columns[plan.col].kind.is_primary_key() {
            return Err(invalid(format!(
                "PRIMARY KEY column '{}' cannot have IF conditions",
                name.as_str()
            )));
        }
        out.push(plan);
    }
    Ok(Cond::Columns(out))
}

/// Records the receivers of the markers of a planned condition.
pub fn record_condition(
    t: &TableMeta,
    c: &CondPlan,
    ctx: Ctx<'_>,
    specs: &mut MarkerSpecs,
) -> CqlResult<()> {
    let (element, value) = receivers(t, c)?;
    if let (Some(k), Some(r)) = (&c.element, element) {
        collect_specs(k, &r.name, &r.ty, ctx, specs);
    }
    match &c.op {
        ConditionOp::Compare(op, v) => {
            let r = contained_receiver(*op, value);
            collect_specs(v, &r.name, &r.ty, ctx, specs);
        }
        ConditionOp::In(values) => record_in(values, &value.name, &value.ty, ctx, specs),
    }
    Ok(())
}

/// The field position of `IF u.f`: "Unknown field" for a field the UDT lacks.
fn condition_field(t: &TableMeta, pos: usize, field: &str) -> CqlResult<usize> {
    let col = &t.columns[pos];
    match col.ty.unfrozen() {
        CqlType::Udt(u) => u
            .fields
            .iter()
            .position(|(n, _)| n == field)
            .ok_or_else(|| invalid(format!("Unknown field {field} for column {}", col.name))),
        _ => field_index(t, pos, field),
    }
}

/// The element receiver (`IF c[e]`) and the value receiver of a condition:
/// `Lists.indexSpecOf`/`valueSpecOf`, `Maps.keySpecOf`/`valueSpecOf`,
/// `UserTypes.fieldSpecOf`, else the column itself.
fn receivers(t: &TableMeta, c: &CondPlan) -> CqlResult<(Option<Receiver>, Receiver)> {
    let col = &t.columns[c.col];
    let name = &col.name;
    if c.element.is_some() {
        return match col.ty.unfrozen() {
            CqlType::List(e) => Ok((
                Some(Receiver::new(format!("idx({name})"), &CqlType::Int)),
                Receiver::new(format!("value({name})"), e),
            )),
            CqlType::Map(k, v) => Ok((
                Some(Receiver::new(format!("key({name})"), k)),
                Receiver::new(format!("value({name})"), v),
            )),
            CqlType::Set(_) => Err(invalid(format!(
                "Invalid element access syntax for set column {name}"
            ))),
            _ => Err(invalid(format!(
                "Invalid element access syntax for non-collection column {name}"
            ))),
        };
    }
    if let (Some(f), CqlType::Udt(u)) = (c.field, col.ty.unfrozen()) {
        let (field, ty) = &u.fields[f];
        return Ok((None, Receiver::new(format!("{name}.{field}"), ty)));
    }
    Ok((None, Receiver::new(name.clone(), &col.ty)))
}

/// `validateOperationOnDurations`, then the CONTAINS [KEY] checks of `prepareTerms`.
fn check_operator(op: &ConditionOp, r: &Receiver) -> CqlResult<()> {
    let ConditionOp::Compare(op, _) = op else {
        return Ok(());
    };
    let slice = matches!(
        op,
        Operator::Lt | Operator::Lte | Operator::Gt | Operator::Gte
    );
    if slice && references_duration(&r.ty) {
        return Err(invalid(match r.ty.unfrozen() {
            CqlType::List(_) | CqlType::Set(_) | CqlType::Map(..) => {
                "Slice conditions are not supported on collections containing durations".into()
            }
            CqlType::Tuple(_) => {
                "Slice conditions are not supported on tuples containing durations".into()
            }
            CqlType::Udt(_) => {
                "Slice conditions are not supported on UDTs containing durations".into()
            }
            _ => format!("Slice conditions ( {op} ) are not supported on durations"),
        }));
    }
    match (op, r.ty.unfrozen()) {
        (Operator::ContainsKey, CqlType::Map(..))
        | (Operator::Contains, CqlType::List(_) | CqlType::Set(_) | CqlType::Map(..)) => Ok(()),
        (Operator::ContainsKey, _) => Err(invalid(format!(
            "Cannot use CONTAINS KEY on non-map column {}",
            r.name
        ))),
        (Operator::Contains, _) => Err(invalid(format!(
            "Cannot use CONTAINS on non-collection column {}",
            r.name
        ))),
        _ => Ok(()),
    }
}

/// The receiver of a CONTAINS [KEY] value (`CollectionType.makeCollectionReceiver`), or
/// `r` itself for the other operators.
fn contained_receiver(op: Operator, r: Receiver) -> Receiver {
    let name = &r.name;
    match (op, r.ty.unfrozen()) {
        (Operator::ContainsKey, CqlType::Map(k, _)) => Receiver::new(format!("key({name})"), k),
        (Operator::Contains, CqlType::Map(_, v)) => Receiver::new(format!("value({name})"), v),
        (Operator::Contains, CqlType::List(e) | CqlType::Set(e)) => {
            Receiver::new(format!("value({name})"), e)
        }
        _ => r,
    }
}
