//! WHERE-clause analysis of SELECT: marker receivers of each relation, partition-key
//! access (keys, token range or scan) and clustering narrowing, with the messages of
//! `C*: cql3/restrictions/StatementRestrictions.java` and `ClusteringColumnRestrictions.java`.

use cassmodel_cql::ast::{InValues, Operator, Relation, Select, Term};

use super::super::bind::MarkerSpecs;
use super::super::term::{Ctx, collect_specs};
use super::plan::{CkAccess, InValuesOrEq, PkAccess};
use crate::error::{CqlError, CqlResult};
use crate::schema::{ColumnKind, TableMeta};
use crate::types::CqlType;

fn invalid(msg: impl Into<String>) -> CqlError {
    CqlError::invalid(msg)
}

/// Records the receivers of the markers of one relation.
pub fn record_relation_specs(
    rel: &Relation,
    table: &TableMeta,
    ctx: Ctx<'_>,
    specs: &mut MarkerSpecs,
) -> CqlResult<()> {
    let col = |name: &str| -> CqlResult<(String, CqlType)> {
        let c = table
            .column(name)
            .ok_or_else(|| invalid(format!("Undefined column name {name}")))?;
        Ok((c.name.clone(), c.ty.clone()))
    };
    // `C*: cql3/Relation.java` toRestriction refuses `!=` before resolving its columns.
    if let Relation::Compare { op, .. }
    | Relation::MultiCompare { op, .. }
    | Relation::Token { op, .. } = rel
        && *op == Operator::Neq
    {
        return Err(invalid(format!("Unsupported \"!=\" relation: {rel}")));
    }
    match rel {
        Relation::Compare { column, op, value } => {
            let (name, ty) = col(column.as_str())?;
            // CONTAINS (KEY) binds an element: `SingleColumnRelation.toReceivers` takes the
            // collection's element receiver, `value(c)` or `key(c)` (`Lists`/`Sets`/`Maps`
            // `valueSpecOf`, `Maps.keySpecOf`).
            let (name, ty) = match (op, ty.unfrozen()) {
                (Operator::Contains, CqlType::List(e) | CqlType::Set(e)) => {
                    (format!("value({name})"), (**e).clone())
                }
                (Operator::Contains, CqlType::Map(_, v)) => {
                    (format!("value({name})"), (**v).clone())
                }
                (Operator::ContainsKey, CqlType::Map(k, _)) => {
                    (format!("key({name})"), (**k).clone())
                }
                _ => (name, ty),
            };
            collect_specs(value, &name, &ty, ctx, specs);
        }
        Relation::In { column, values } => {
            let (name, ty) = col(column.as_str())?;
            record_in(values, &name, &ty, ctx, specs);
        }
        Relation::Element {
            column, key, value, ..
        } => {
            let (name, ty) = col(column.as_str())?;
            if let CqlType::Map(k, v) = ty.unfrozen() {
                collect_specs(key, &format!("key({name})"), k, ctx, specs);
                collect_specs(value, &format!("value({name})"), v, ctx, specs);
            } else {
                return Err(invalid(format!("Column {name} is not a map")));
            }
        }
        Relation::IsNotNull(c) => {
            col(c.as_str())?;
        }
        Relation::MultiCompare { columns, value, .. } => {
            let ty = multi_type(columns, table)?;
            record_multi(value, columns, &ty, ctx, specs);
        }
        Relation::MultiIn { columns, values } => {
            let ty = multi_type(columns, table)?;
            match values {
                InValues::List(items) => {
                    for t in items {
                        record_multi(t, columns, &ty, ctx, specs);
                    }
                }
                InValues::Marker(_) => record_in(values, &multi_name(columns), &ty, ctx, specs),
            }
        }
        Relation::Token { columns, value, .. } => {
            for c in columns {
                col(c.as_str())?;
            }
            match value {
                // `token(?, ...)`: the markers are the arguments of TokenFct, whose
                // argument types are the partition key's (`C*: cql3/functions/TokenFct.java`)
                // and which `FunctionCall.makeArgSpec` names `arg<i>(system.token)`; a
                // driver encodes the bound key values with these types.
                Term::FunctionCall { name, args } if name.name.as_str() == "token" => {
                    for (i, (arg, pk)) in args.iter().zip(table.partition_key()).enumerate() {
                        collect_specs(arg, &format!("arg{i}(system.token)"), &pk.ty, ctx, specs);
                    }
                }
                _ => collect_specs(value, "partition key token", &CqlType::Bigint, ctx, specs),
            }
        }
    }
    Ok(())
}

fn record_in(values: &InValues, name: &str, ty: &CqlType, ctx: Ctx<'_>, specs: &mut MarkerSpecs) {
    match values {
        InValues::List(items) => {
            for t in items {
                collect_specs(t, name, ty, ctx, specs);
            }
        }
        InValues::Marker(m) => {
            let list = CqlType::List(Box::new(ty.clone()));
            specs.set(m, ctx.keyspace, ctx.table, &format!("in({name})"), &list);
        }
    }
}

/// One tuple of a multi-column relation: a tuple literal's elements are received by the
/// columns themselves (`MultiColumnRelation.toTerm` prepares `Tuples.Literal` against the
/// column definitions), a marker standing for the whole tuple by `(a,b)`.
fn record_multi(
    value: &Term,
    columns: &[cassmodel_cql::ast::Ident],
    ty: &CqlType,
    ctx: Ctx<'_>,
    specs: &mut MarkerSpecs,
) {
    match (value, ty) {
        (Term::Tuple(items), CqlType::Tuple(types)) => {
            for ((item, c), t) in items.iter().zip(columns).zip(types) {
                collect_specs(item, c.as_str(), t, ctx, specs);
            }
        }
        _ => collect_specs(value, &multi_name(columns), ty, ctx, specs),
    }
}

fn multi_name(columns: &[cassmodel_cql::ast::Ident]) -> String {
    format!(
        "({})",
        columns
            .iter()
            .map(|c| c.as_str())
            .collect::<Vec<_>>()
            .join(",")
    )
}

/// The tuple type of a multi-column relation (clustering columns only).
pub fn multi_type(columns: &[cassmodel_cql::ast::Ident], table: &TableMeta) -> CqlResult<CqlType> {
    let mut types = Vec::new();
    for c in columns {
        let col = table
            .column(c.as_str())
            .ok_or_else(|| invalid(format!("Undefined column name {}", c.as_str())))?;
        if col.kind != ColumnKind::Clustering {
            return Err(invalid(format!(
                "Multi-column relations can only be applied to clustering columns but was applied to: {}",
                col.name
            )));
        }
        types.push(col.ty.clone());
    }
    Ok(CqlType::Tuple(types))
}

/// Partition-key access and whether the partition-key restrictions need filtering.
pub fn plan_partition(select: &Select, table: &TableMeta) -> CqlResult<(PkAccess, bool)> {
    let pk_cols: Vec<&str> = table.partition_key().map(|c| c.name.as_str()).collect();
    let mut per_col: Vec<Option<InValuesOrEq>> = vec![None; pk_cols.len()];
    let mut slices = false;
    let mut token_start = None;
    let mut token_end = None;
    let mut has_token = false;
    for rel in &select.where_clause {
        match rel {
            Relation::Compare { column, op, value } => {
                let Some(pos) = pk_cols.iter().position(|c| *c == column.as_str()) else {
                    continue;
                };
                match op {
                    Operator::Eq => {
                        if per_col[pos].is_some() {
                            return Err(invalid(format!(
                                "{} cannot be restricted by more than one relation if it includes an Equal",
                                column.as_str()
                            )));
                        }
                        per_col[pos] = Some(InValuesOrEq::Eq(value.clone()));
                    }
                    Operator::Lt | Operator::Lte | Operator::Gt | Operator::Gte => {
                        // A partition-key slice needs filtering (StatementRestrictions:
                        // `partitionKeyRestrictions.needFiltering` without ALLOW FILTERING).
                        if !select.allow_filtering {
                            return Err(invalid(super::plan::ALLOW_FILTERING));
                        }
                        slices = true;
                    }
                    Operator::Neq => return Err(invalid("Unsupported \"!=\" relation")),
                    Operator::Contains | Operator::ContainsKey => {
                        if let Some(c) = table.column(column.as_str()) {
                            check_contains_target(&c.name, &c.ty, *op)?;
                        }
                        // A frozen collection in the key: CONTAINS filters partitions.
                        slices = true;
                    }
                    Operator::Like => return Err(CqlError::unsupported("LIKE")),
                }
            }
            Relation::In { column, values } => {
                let Some(pos) = pk_cols.iter().position(|c| *c == column.as_str()) else {
                    continue;
                };
                if per_col[pos].is_some() {
                    return Err(invalid(format!(
                        "{} cannot be restricted by more than one relation if it includes a IN",
                        column.as_str()
                    )));
                }
                per_col[pos] = Some(InValuesOrEq::of_in(values));
            }
            Relation::MultiCompare { columns, .. } | Relation::MultiIn { columns, .. } => {
                if let Some(c) = columns.iter().find(|c| pk_cols.contains(&c.as_str())) {
                    return Err(invalid(format!(
                        "Multi-column relations can only be applied to clustering columns but was applied to: {}",
                        c.as_str()
                    )));
                }
            }
            Relation::Token { columns, op, value } => {
                let given: Vec<&str> = columns.iter().map(|c| c.as_str()).collect();
                if given != pk_cols {
                    // `C*: cql3/TokenRelation.java` toReceivers narrows the problem down.
                    if !pk_cols.iter().all(|c| given.contains(c)) {
                        return Err(invalid(
                            "The token() function must be applied to all partition key components or none of them",
                        ));
                    }
                    if given
                        .iter()
                        .enumerate()
                        .any(|(i, c)| given[..i].contains(c))
                    {
                        return Err(invalid(
                            "The token() function contains duplicate partition key components",
                        ));
                    }
                    if given.iter().any(|c| !pk_cols.contains(c)) {
                        return Err(invalid(
                            "The token() function must contains only partition key components",
                        ));
                    }
                    return Err(invalid(format!(
                        "The token function arguments must be in the partition key order: {}",
                        pk_cols.join(", ")
                    )));
                }
                has_token = true;
                let bound = (
                    value.clone(),
                    matches!(op, Operator::Gte | Operator::Lte | Operator::Eq),
                );
                match op {
                    Operator::Gt | Operator::Gte => token_start = Some(bound),
                    Operator::Lt | Operator::Lte => token_end = Some(bound),
                    Operator::Eq => {
                        token_start = Some(bound.clone());
                        token_end = Some(bound);
                    }
                    _ => return Err(invalid(format!("Unsupported operator on token: {op:?}"))),
                }
            }
            _ => {}
        }
    }
    let restricted = per_col.iter().filter(|c| c.is_some()).count();
    // `C*: cql3/restrictions/TokenFilter.java` (4.x): token and non-token restrictions on
    // the partition key combine. When every key column has `=`/IN, the keys select the
    // partitions and the token relations keep those whose token matches; otherwise the
    // token range is read and the key-column relations filter it (which needs
    // filtering). Either way every relation is re-checked on each row.
    if has_token {
        if restricted == pk_cols.len() && !slices {
            return Ok((
                PkAccess::Keys(per_col.into_iter().flatten().collect()),
                false,
            ));
        }
        return Ok((
            PkAccess::Tokens {
                start: token_start,
                end: token_end,
            },
            restricted > 0 || slices,
        ));
    }
    if restricted == pk_cols.len() && !slices {
        return Ok((
            PkAccess::Keys(per_col.into_iter().flatten().collect()),
            false,
        ));
    }
    Ok((PkAccess::Scan, restricted > 0 || slices))
}

/// Clustering access, whether the clustering restrictions need filtering, and whether any
/// clustering column is restricted.
pub fn plan_clustering(
    select: &Select,
    table: &TableMeta,
    allow: bool,
    any_index: bool,
    has_index: &dyn Fn(&str, Operator) -> bool,
) -> CqlResult<(CkAccess, bool, bool)> {
    let ck: Vec<&crate::schema::ColumnMeta> = table.clustering().collect();
    // (position, kind) per restricted clustering column: 0 = EQ, 1 = IN, 2 = slice, 3 = other
    let mut restr: Vec<(usize, u8, &Relation)> = Vec::new();
    let mut multi: Option<&Relation> = None;
    let mut contains_unindexed = false;
    for rel in &select.where_clause {
        match rel {
            Relation::Compare { column, op, .. } => {
                if let Some(p) = ck.iter().position(|c| c.name == column.as_str()) {
                    let kind = match op {
                        Operator::Eq => 0,
                        Operator::Lt | Operator::Lte | Operator::Gt | Operator::Gte => 2,
                        Operator::Contains | Operator::ContainsKey => {
                            check_contains_target(&ck[p].name, &ck[p].ty, *op)?;
                            // Refused only without any queriable index in the query
                            // (processClusteringColumnsRestrictions: `!hasQueriableIndex`).
                            if !has_index(column.as_str(), *op) && !allow && !any_index {
                                contains_unindexed = true;
                            }
                            3
                        }
                        _ => 3,
                    };
                    if kind == 0 && restr.iter().any(|(q, _, _)| *q == p) {
                        return Err(invalid(format!(
                            "{} cannot be restricted by more than one relation if it includes an Equal",
                            column.as_str()
                        )));
                    }
                    restr.push((p, kind, rel));
                }
            }
            Relation::In { column, .. } => {
                if let Some(p) = ck.iter().position(|c| c.name == column.as_str()) {
                    restr.push((p, 1, rel));
                }
            }
            Relation::MultiCompare { columns, .. } | Relation::MultiIn { columns, .. } => {
                super::multi_ck::check_columns(rel, columns, &ck)?;
                // Two multi-column slices on the same bound
                // (MultiColumnRestriction.SliceRestriction.mergeWith).
                if let (
                    Some(Relation::MultiCompare {
                        columns: prev,
                        op: prev_op,
                        ..
                    }),
                    Relation::MultiCompare { op, .. },
                ) = (multi, rel)
                {
                    let end = |o: &Operator| matches!(o, Operator::Lt | Operator::Lte);
                    let start = |o: &Operator| matches!(o, Operator::Gt | Operator::Gte);
                    if (end(op) && end(prev_op)) || (start(op) && start(prev_op)) {
                        let common: Vec<&str> = columns
                            .iter()
                            .filter(|c| prev.contains(c))
                            .map(|c| c.as_str())
                            .collect();
                        return Err(invalid(format!(
                            "More than one restriction was found for the {} bound on {}",
                            if end(op) { "end" } else { "start" },
                            common.join(", ")
                        )));
                    }
                }
                multi = Some(rel);
            }
            _ => {}
        }
    }
    let restricted = !restr.is_empty() || multi.is_some();
    if multi.is_some() {
        // Multi-column relations narrow nothing (every relation filters the rows read),
        // next to single-column ones too; what remains is Cassandra's gap rule.
        let filtering =
            super::multi_ck::needs_filtering(&select.where_clause, &ck, allow, any_index)?;
        return Ok((CkAccess::default(), filtering, true));
    }
    restr.sort_by_key(|(p, _, _)| *p);
    // A slice followed by a later column was refused by `merge.rs` while the relations
    // were added (ClusteringColumnRestrictions.mergeWith); this is checked after it, as
    // processClusteringColumnsRestrictions does (its 4.x message, StatementRestrictions.java).
    if contains_unindexed {
        return Err(invalid(
            "Clustering columns can only be restricted with CONTAINS with a secondary index or filtering",
        ));
    }
    // Gaps: a restricted column whose predecessor is not restricted
    // (StatementRestrictions.processClusteringColumnsRestrictions).
    let mut needs_filtering = false;
    let mut access = CkAccess::default();
    let mut expected = 0;
    let mut slice_col: Option<usize> = None;
    let mut narrowing = true;
    for (p, kind, rel) in &restr {
        if *p > expected && slice_col.is_none_or(|s| s != *p) {
            if narrowing && !allow && !relation_indexed(rel, has_index) {
                return Err(invalid(format!(
                    "PRIMARY KEY column \"{}\" cannot be restricted as preceding column \"{}\" is not restricted",
                    ck[*p].name, ck[expected].name
                )));
            }
            needs_filtering = true;
            narrowing = false;
            continue;
        }
        if !narrowing {
            continue;
        }
        match (kind, rel) {
            (0, Relation::Compare { value, .. }) if *p == expected && slice_col.is_none() => {
                access.prefix.push(InValuesOrEq::Eq(value.clone()));
                expected += 1;
            }
            (1, Relation::In { values, .. }) if *p == expected && slice_col.is_none() => {
                access.prefix.push(InValuesOrEq::of_in(values));
                expected += 1;
            }
            (2, Relation::Compare { op, value, .. }) if slice_col.is_none_or(|s| s == *p) => {
                let inclusive = matches!(op, Operator::Gte | Operator::Lte);
                let lower = matches!(op, Operator::Gt | Operator::Gte);
                let slot = if lower {
                    &mut access.lower
                } else {
                    &mut access.upper
                };
                if slot.is_some() {
                    return Err(invalid(format!(
                        "More than one restriction was found for the {} bound on {}",
                        if lower { "start" } else { "end" },
                        ck[*p].name
                    )));
                }
                *slot = Some((value.clone(), inclusive));
                if slice_col.is_none() {
                    slice_col = Some(*p);
                    expected += 1;
                }
            }
            _ => {
                needs_filtering |= *kind == 3;
                narrowing = false;
            }
        }
    }
    Ok((access, needs_filtering, restricted))
}

fn relation_indexed(rel: &Relation, has_index: &dyn Fn(&str, Operator) -> bool) -> bool {
    match rel {
        Relation::Compare { column, op, .. } => has_index(column.as_str(), *op),
        _ => false,
    }
}

/// The column of a CONTAINS KEY relation must be a map and that of a CONTAINS relation a
/// collection (`SingleColumnRelation.toReceivers`, cql3/SingleColumnRelation.java),
/// checked before the relation becomes a restriction.
fn check_contains_target(name: &str, ty: &CqlType, op: Operator) -> CqlResult<()> {
    if op == Operator::ContainsKey && !matches!(ty.unfrozen(), CqlType::Map(..)) {
        return Err(invalid(format!(
            "Cannot use CONTAINS KEY on non-map column {name}"
        )));
    }
    if !ty.is_collection() {
        return Err(invalid(format!(
            "Cannot use CONTAINS on non-collection column {name}"
        )));
    }
    Ok(())
}
