//! User types: creation order and compatible changes.
//!
//! Cassandra can only append fields to an existing type (`ALTER TYPE .. ADD`); renaming is
//! possible but breaks every reader that knows the old name, and retyping or removing a field
//! is impossible (apache/cassandra `cql3/statements/schema/AlterTypeStatement.java`), so those
//! are refused.

use crate::cql_type::CqlType;
use crate::diff::step::{Action, Step};
use crate::diff::table::same_type;
use crate::model::UserTypeDef;

/// The user types a type names, at any depth.
pub fn referenced_types(ty: &CqlType, out: &mut Vec<String>) {
    match ty {
        CqlType::Udt(name) => out.push(name.to_string()),
        CqlType::List(inner) | CqlType::Set(inner) | CqlType::Frozen(inner) => {
            referenced_types(inner, out);
        }
        CqlType::Map(kv) => {
            referenced_types(&kv.0, out);
            referenced_types(&kv.1, out);
        }
        CqlType::Tuple(items) => items.iter().for_each(|t| referenced_types(t, out)),
        _ => {}
    }
}

/// The types sorted so that each comes after the types its fields use (declaration order
/// otherwise); a cycle keeps its remaining members in declaration order.
pub fn creation_order(types: &[UserTypeDef]) -> Vec<&UserTypeDef> {
    let mut done: Vec<&UserTypeDef> = Vec::with_capacity(types.len());
    let mut pending: Vec<&UserTypeDef> = types.iter().collect();
    while !pending.is_empty() {
        let ready = pending.iter().position(|t| {
            let mut deps = Vec::new();
            t.fields
                .iter()
                .for_each(|(_, ty)| referenced_types(ty, &mut deps));
            deps.iter().all(|d| {
                *d == *t.name
                    || done.iter().any(|x| *x.name == **d)
                    || !pending.iter().any(|x| *x.name == **d)
            })
        });
        done.push(pending.remove(ready.unwrap_or(0)));
    }
    done
}

/// The steps that turn the live type into the declared one.
pub fn diff_type(desired: &UserTypeDef, live: &UserTypeDef) -> Vec<Step> {
    let prefix_ok = live.fields.len() <= desired.fields.len()
        && live
            .fields
            .iter()
            .zip(desired.fields.iter())
            .all(|((ln, lt), (dn, dt))| ln == dn && same_type(lt, dt));
    if !prefix_ok {
        return vec![Step::refused(
            Action::ChangeType {
                live: live.clone(),
                desired: desired.clone(),
            },
            "the fields of an existing user type can only be appended: removing, reordering \
             or retyping a field would make stored values unreadable",
            format!(
                "declare a new type (another name) with the new fields, add columns of it, \
                 copy the values, then stop using `{}`",
                live.name
            ),
        )];
    }
    desired
        .fields
        .iter()
        .skip(live.fields.len())
        .map(|(field, ty)| {
            Step::apply(Action::AddTypeField {
                type_name: desired.name.clone(),
                field: field.clone(),
                ty: ty.clone(),
            })
        })
        .collect()
}
