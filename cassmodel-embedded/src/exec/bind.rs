//! Bind markers: their metadata for PREPARE (names and types as Cassandra reports them,
//! `C*: cql3/VariableSpecifications.java`, `cql3/statements/SelectStatement.java`
//! `limitReceiver`, `cql3/Attributes.java`) and the values bound to them at execution.

use cassmodel_cql::ast::BindMarker;

use crate::api::{BoundValue, BoundValues, ColumnSpec};
use crate::error::{CqlError, CqlResult};
use crate::types::CqlType;

/// The metadata of every marker of a statement, filled while the statement is compiled.
#[derive(Debug, Clone, Default)]
pub struct MarkerSpecs {
    specs: Vec<Option<ColumnSpec>>,
    names: Vec<Option<String>>,
    /// The first refusal met while typing the markers (an ambiguous function call).
    error: Option<CqlError>,
}

impl MarkerSpecs {
    /// Room for the statement's markers.
    pub fn new(markers: &[BindMarker]) -> MarkerSpecs {
        MarkerSpecs {
            specs: vec![None; markers.len()],
            names: markers
                .iter()
                .map(|m| m.name.as_ref().map(|n| n.as_str().to_owned()))
                .collect(),
            error: None,
        }
    }

    /// Refuses the statement: a marker's type cannot be decided, as when a bind marker is
    /// the argument of an overloaded function (`C*: cql3/functions/FunctionResolver.java`
    /// "Ambiguous call to function ..."). The first refusal is kept and returned by
    /// [`MarkerSpecs::finish`].
    pub fn fail(&mut self, error: CqlError) {
        self.error.get_or_insert(error);
    }

    /// Records the receiver of marker `m`: a named marker keeps its own name, as in Cassandra.
    pub fn set(&mut self, m: &BindMarker, keyspace: &str, table: &str, name: &str, ty: &CqlType) {
        let name = self
            .names
            .get(m.index)
            .cloned()
            .flatten()
            .unwrap_or_else(|| name.to_owned());
        if let Some(slot) = self.specs.get_mut(m.index) {
            *slot = Some(ColumnSpec {
                keyspace: keyspace.to_owned(),
                table: table.to_owned(),
                name,
                ty: ty.clone(),
            });
        }
    }

    /// The receiver type recorded for marker `index`.
    pub fn type_of(&self, index: usize) -> Option<&CqlType> {
        self.specs.get(index)?.as_ref().map(|s| &s.ty)
    }

    /// The final list; a marker nobody claimed is a server bug reported as Invalid.
    pub fn finish(self) -> CqlResult<Vec<ColumnSpec>> {
        if let Some(e) = self.error {
            return Err(e);
        }
        self.specs
            .into_iter()
            .map(|s| s.ok_or_else(|| CqlError::invalid("Bind marker in an unsupported position")))
            .collect()
    }

    /// Number of markers.
    pub fn len(&self) -> usize {
        self.specs.len()
    }

    /// True when the statement has no markers.
    pub fn is_empty(&self) -> bool {
        self.specs.is_empty()
    }
}

/// Orders the request's values by marker index (named values matched by name).
pub fn resolve_values(values: &BoundValues, specs: &[ColumnSpec]) -> CqlResult<Vec<BoundValue>> {
    let out = match values {
        BoundValues::None => Vec::new(),
        BoundValues::Positional(v) => v.clone(),
        BoundValues::Named(named) => {
            let mut out = Vec::with_capacity(specs.len());
            for spec in specs {
                let found = named.iter().find(|(n, _)| *n == spec.name).or_else(|| {
                    named
                        .iter()
                        .find(|(n, _)| n.eq_ignore_ascii_case(&spec.name))
                });
                match found {
                    Some((_, v)) => out.push(v.clone()),
                    None => {
                        return Err(CqlError::invalid(format!(
                            "Missing value for bind variable {}",
                            spec.name
                        )));
                    }
                }
            }
            out
        }
    };
    if out.len() != specs.len() {
        return Err(CqlError::invalid(format!(
            "there were {} markers(?) in CQL but {} bound variables",
            specs.len(),
            out.len()
        )));
    }
    Ok(out)
}
