//! Element and slice selection over sets and maps in a selector, `c[x]` and `c[x..y]`
//! (`C*: cql3/selection/ElementsSelector.java`, `Selectable.WithElementSelection`,
//! `Selectable.WithSliceSelection`): their planning and their evaluation on a value.

use cassmodel_cql::ast::{SelectorExpr, Term};

use super::expr::{Expr, Planned, Planner, contains_marker};
use super::invalid;
use super::resolve::term_text;
use crate::error::{CqlError, CqlResult};
use crate::types::CqlType;

/// The operands of an element or slice selection over a set or map.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Elements {
    /// The collection-valued expression.
    pub inner: Expr,
    /// True for a map (key/value pairs), false for a set.
    pub map: bool,
    /// True when the collection is frozen: an empty slice of it is an empty collection,
    /// not null (`MapSerializer`/`SetSerializer.getSliceFromSerialized`).
    pub frozen: bool,
    /// The type of the keys (map) or elements (set), which orders them.
    pub key_ty: CqlType,
    /// The selected key (element selection) or the slice's lower bound.
    pub from: Option<Vec<u8>>,
    /// The slice's upper bound (unused for element selection).
    pub to: Option<Vec<u8>>,
}

impl Elements {
    /// The entries of `coll` as (key, value) pairs; a set's value is its element.
    fn entries<'a>(&self, coll: &'a [u8]) -> CqlResult<Vec<(&'a [u8], &'a [u8])>> {
        let mult = if self.map { 2 } else { 1 };
        let parts = crate::types::codec::deserialize_parts(coll, mult)?;
        Ok(parts.chunks(mult).map(|c| (c[0], c[mult - 1])).collect())
    }

    /// `c[x]`: the map's value for `x` or the set's element `x`, null when absent
    /// (`getSerializedValue`).
    pub(super) fn element(&self, coll: &[u8]) -> CqlResult<Option<Vec<u8>>> {
        let key = self.from.as_deref().unwrap_or_default();
        Ok(self
            .entries(coll)?
            .into_iter()
            .find(|(k, _)| crate::types::compare::compare(&self.key_ty, k, key).is_eq())
            .map(|(_, v)| v.to_vec()))
    }

    /// `c[x..y]`: the entries whose keys are within the inclusive bounds, as a collection
    /// of the same type; none gives null, or an empty collection when frozen
    /// (`getSliceFromSerialized`).
    pub(super) fn slice(&self, coll: &[u8]) -> CqlResult<Option<Vec<u8>>> {
        if self.from.is_none() && self.to.is_none() {
            return Ok(Some(coll.to_vec()));
        }
        let cmp = |a: &[u8], b: &[u8]| crate::types::compare::compare(&self.key_ty, a, b);
        let kept: Vec<_> = self
            .entries(coll)?
            .into_iter()
            .filter(|(k, _)| {
                self.from.as_deref().is_none_or(|f| cmp(k, f).is_ge())
                    && self.to.as_deref().is_none_or(|t| cmp(k, t).is_le())
            })
            .collect();
        if kept.is_empty() && !self.frozen {
            return Ok(None);
        }
        let mut out = (kept.len() as i32).to_be_bytes().to_vec();
        let mut push = |b: &[u8]| {
            out.extend_from_slice(&(b.len() as i32).to_be_bytes());
            out.extend_from_slice(b);
        };
        for (k, v) in kept {
            push(k);
            if self.map {
                push(v);
            }
        }
        Ok(Some(out))
    }
}

impl Planner<'_> {
    /// `Selectable.WithElementSelection` (`slice` `None`) and `WithSliceSelection`
    /// (`slice` the expected type): `c[x]` / `c[x..y]` on a set or map, with the bounds typed
    /// by the set's element (`value(c)`) or the map's key (`key(c)`)
    /// (`Selectable.specForElementOrSlice`), named `c['x']` / `c['x'..]`.
    pub(super) fn elements(
        &mut self,
        expr: &SelectorExpr,
        from: Option<&Term>,
        to: Option<&Term>,
        slice: Option<Option<&CqlType>>,
    ) -> CqlResult<Planned> {
        let (what, kind) = match slice {
            None => ("Element", "element"),
            Some(_) => ("Slice", "slice"),
        };
        let inner = self.plan(expr, slice.flatten())?;
        let (map, key_ty, value_ty) = match inner.ty.unfrozen() {
            // `ElementsSelector.valueType`: a map's value, a set's element.
            CqlType::Map(k, v) => (true, (**k).clone(), (**v).clone()),
            CqlType::Set(e) => (false, (**e).clone(), (**e).clone()),
            CqlType::List(_) => {
                return Err(invalid(format!(
                    "{what} selection is only allowed on sets and maps, but {} is a list",
                    inner.name
                )));
            }
            other => {
                // Cassandra words the two differently ("is of type" / "of type").
                let sep = if slice.is_none() { " is" } else { "" };
                return Err(invalid(format!(
                    "Invalid {kind} selection: {}{sep} of type {other} is not a collection",
                    inner.name
                )));
            }
        };
        let spec = if map {
            format!("key({})", inner.name)
        } else {
            format!("value({})", inner.name)
        };
        let bound = |t: Option<&Term>| -> CqlResult<Option<Vec<u8>>> {
            let Some(t) = t else { return Ok(None) };
            if contains_marker(t) {
                return Err(CqlError::unsupported(format!(
                    "A bind marker in {kind} selection"
                )));
            }
            // C*: ElementsSelector.newElementFactory/newSliceFactory `newInstance`.
            match crate::exec::term::eval(t, &key_ty, &spec, &[])?.bytes() {
                Some(b) => Ok(Some(b.to_vec())),
                None => Err(invalid(format!(
                    "Invalid null value for {kind} selection on {}",
                    inner.name
                ))),
            }
        };
        let from_b = bound(from)?;
        let to_b = bound(to)?;
        let text = |t: Option<&Term>| t.map(term_text).unwrap_or_default();
        let elements = Box::new(Elements {
            inner: inner.expr,
            map,
            frozen: matches!(inner.ty, CqlType::Frozen(_)),
            key_ty,
            from: from_b,
            to: to_b,
        });
        Ok(match slice {
            None => Planned {
                expr: Expr::Element(elements),
                name: format!("{}[{}]", inner.name, text(from)),
                ty: value_ty,
            },
            Some(_) => Planned {
                expr: Expr::Slice(elements),
                name: format!("{}[{}..{}]", inner.name, text(from), text(to)),
                ty: inner.ty,
            },
        })
    }
}
