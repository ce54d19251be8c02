//! The rules that involve several attributes or fields, and the resulting [`TableDef`].
//! Each rule says why it exists; most mirror a refusal of Cassandra's own DDL
//! (`CreateTableStatement.java`, `CreateIndexStatement.java`), moved to compile time.

use std::collections::HashMap;

use proc_macro2::Span;

use super::ast::{Field, Model};
use super::ctxt::Ctxt;
use super::value::Attr;
use crate::cql_type::CqlType;
use crate::ident::snake_case;
use crate::model::*;
use crate::shared::Str;

/// Validates a `#[derive(Model)]` and builds its table definition (meaningful only when
/// `cx` holds no error afterwards).
pub fn check_model(cx: &Ctxt, model: &Model<'_>) -> TableDef {
    let table_name: String = match model.attrs.name.get() {
        Some(lit) => lit.value(),
        None => snake_case(&model.ident.to_string()),
    };
    let pk = key_positions(cx, model, |f| &f.attrs.partition_key, "partition_key");
    let ck = key_positions(cx, model, |f| &f.attrs.clustering_key, "clustering_key");

    // Cassandra: "No PRIMARY KEY specified" — every table needs a partition key. Not
    // reported when attributes already failed to parse: a misspelled or malformed
    // `partition_key` is the likely cause, and one message about it is enough.
    if model.fields.iter().all(|f| !f.attrs.partition_key.is_set()) && !cx.has_errors() {
        cx.error_spanned_by(
            model.ident,
            "a model needs a partition key: mark at least one field with `#[cassmodel(partition_key)]`",
        );
    }

    let mut columns = Vec::new();
    let mut indexes = Vec::new();
    let mut compound_keys = Vec::new();
    let mut seen: HashMap<&str, &Field<'_>> = HashMap::new();
    let has_clustering = model.fields.iter().any(|f| f.attrs.clustering_key.is_set());
    let has_counter = model
        .fields
        .iter()
        .any(|f| f.cql.as_ref().is_some_and(CqlType::contains_counter));
    let single_pk = model
        .fields
        .iter()
        .filter(|f| f.attrs.partition_key.is_set())
        .count()
        == 1;

    for field in &model.fields {
        let a = &field.attrs;
        if a.skip.is_set() {
            // A skipped field is not a column: any column attribute on it would be ignored.
            if let Some(other) = column_attr_span(field) {
                cx.error_at(
                    other,
                    "`skip` excludes every other cassmodel attribute on this field",
                );
            }
            continue;
        }
        let is_pk = a.partition_key.is_set();
        let is_ck = a.clustering_key.is_set();
        // A column is either in the partition key or a clustering column, not both.
        if is_pk && let (true, Some(span)) = (is_ck, a.clustering_key.span()) {
            cx.error_at(
                span,
                "a field cannot be both `partition_key` and `clustering_key`",
            );
        }
        // Cassandra refuses nulls in primary-key columns, so `Option` there could never be `None`.
        if (is_pk || is_ck) && field.nullable {
            cx.error_spanned_by(
                field.ty,
                "a primary-key column cannot be `Option`: Cassandra has no null key values",
            );
        }
        // Key values are bound from the Rust key types (`get(&db, key)`), which for a
        // `json` field would be the decoded type, not the stored text.
        if let (Some(span), true) = (a.json.span(), is_pk || is_ck) {
            cx.error_at(
                span,
                "a primary-key column cannot be `json`; store the key as a plain CQL type",
            );
        }
        // `order` only means something for clustering columns (CLUSTERING ORDER BY).
        if let (Some(span), false) = (a.order.span(), is_ck) {
            cx.error_at(span, "`order` applies only to a `clustering_key` field");
        }
        if let Some(span) = a.is_static.span() {
            // A static column is shared by the rows of a partition: a key column cannot be
            // static, and without clustering columns there is one row per partition
            // (Cassandra: "Static columns are only useful (and thus allowed) if the table
            // has at least one clustering column").
            if is_pk || is_ck {
                cx.error_at(span, "a primary-key column cannot be `static`");
            } else if !has_clustering {
                cx.error_at(span, "`static` needs a clustering key: without clustering columns every column is already one per partition");
            }
        }
        // `json` stores serde text; an explicit CQL type would contradict it.
        if let (Some(span), true) = (a.json.span(), a.ty.is_set() || a.counter.is_set()) {
            cx.error_at(
                span,
                "`json` stores the field as `text`; it cannot be combined with `type` or `counter`",
            );
        }
        if let (Some(span), true) = (a.counter.span(), a.ty.is_set()) {
            cx.error_at(span, "`counter` already sets the CQL type; remove `type`");
        }
        // A counter is read as an i64 and written as increments.
        if let (Some(span), false) = (a.counter.span(), is_counter_rust_type(field.value_ty)) {
            cx.error_at(
                span,
                "a `counter` field must be `i64` or `cassmodel::Counter`",
            );
        }
        let Some(ty) = field.cql.clone() else {
            continue;
        };
        if is_pk || is_ck {
            check_key_type(cx, field, &ty);
        }
        // Cassandra: "Cannot mix counter and non counter columns in the same table".
        if has_counter && !is_pk && !is_ck && !ty.contains_counter() {
            cx.error_spanned_by(
                field.ident,
                "a table with counter columns can only have counter columns besides its primary key; move this field to another model",
            );
        }
        // Column names must be unique; `rename` can make two fields collide.
        if let Some(prev) = seen.insert(field_column(field), field) {
            let at = a.rename.span().unwrap_or_else(|| field.ident.span());
            cx.error_at(
                at,
                format!(
                    "duplicate column name `{}` (also used by field `{}`)",
                    field.column, prev.ident
                ),
            );
        }
        let kind = if let Some(pos) = pk.get(&field.ident.to_string()) {
            ColumnKind::PartitionKey(*pos)
        } else if let Some(pos) = ck.get(&field.ident.to_string()) {
            ColumnKind::Clustering(*pos, a.order.get().copied().unwrap_or_default())
        } else if a.is_static.is_set() {
            ColumnKind::Static
        } else {
            ColumnKind::Regular
        };
        if let Some((span, index)) = a.index.spanned() {
            check_index(cx, span, &ty, is_pk && single_pk, index.target);
            indexes.push(IndexDef {
                name: index
                    .name
                    .as_ref()
                    .map_or_else(
                        || format!("{table_name}_{}_idx", field.column),
                        |n| n.value(),
                    )
                    .into(),
                column: field.column.clone().into(),
                target: index.target.unwrap_or(if ty.is_frozen() {
                    IndexTarget::Full
                } else {
                    IndexTarget::Values
                }),
            });
        }
        if let Some((span, ck_attr)) = a.compound_key.spanned() {
            compound_keys.extend(check_compound_key(cx, model, field, span, ck_attr));
        }
        columns.push(ColumnDef {
            name: field.column.clone().into(),
            ty,
            kind,
        });
    }

    let query_tables = check_query_tables(cx, model, &table_name);
    TableDef {
        name: table_name.into(),
        columns: columns.into(),
        indexes: indexes.into(),
        options: model.attrs.options.get().cloned().unwrap_or_default(),
        compound_keys: compound_keys.into(),
        query_tables: query_tables.into(),
    }
}

fn field_column<'f>(field: &'f Field<'_>) -> &'f str {
    &field.column
}

fn column_attr_span(field: &Field<'_>) -> Option<Span> {
    let a = &field.attrs;
    [
        a.partition_key.span(),
        a.clustering_key.span(),
        a.order.span(),
        a.is_static.span(),
        a.index.span(),
        a.counter.span(),
        a.rename.span(),
        a.ty.span(),
        a.frozen.span(),
        a.json.span(),
        a.compound_key.span(),
    ]
    .into_iter()
    .flatten()
    .next()
}

fn is_counter_rust_type(ty: &syn::Type) -> bool {
    matches!(ty, syn::Type::Path(p) if p.path.segments.last().is_some_and(|s| s.ident == "i64" || s.ident == "Counter"))
}

/// Key columns are compared and hashed by their serialized bytes: Cassandra refuses
/// non-frozen collections ("Invalid non-frozen collection type for PRIMARY KEY
/// component"), counters ("counter type is not supported for PRIMARY KEY column") and
/// durations (no total order: "duration type is not supported for PRIMARY KEY column")
/// there, as well as non-frozen user types.
fn check_key_type(cx: &Ctxt, field: &Field<'_>, ty: &CqlType) {
    let at: &dyn quote::ToTokens = match field.attrs.ty.get() {
        Some(lit) => lit,
        None => field.ty,
    };
    if ty.is_collection() || ty.is_unfrozen_udt() {
        cx.error_spanned_by(
            at,
            format!(
                "a primary-key column cannot be a non-frozen `{ty}`; add `#[cassmodel(frozen)]`"
            ),
        );
    } else if ty.contains_counter() {
        cx.error_spanned_by(at, "a counter cannot be part of the primary key");
    } else if ty.contains_duration() {
        cx.error_spanned_by(
            at,
            "a `duration` cannot be part of the primary key: durations have no order",
        );
    }
}

/// Cassandra's `CreateIndexStatement` refusals, at compile time.
fn check_index(cx: &Ctxt, span: Span, ty: &CqlType, only_pk: bool, target: Option<IndexTarget>) {
    // The partition key already is the primary lookup path ("Cannot create secondary
    // index on the only partition key column").
    if only_pk {
        cx.error_at(span, "cannot index the only partition-key column: `get`/`find_by_partition` already look it up");
    }
    // "Secondary indexes on counter tables are not supported".
    if ty.contains_counter() {
        cx.error_at(span, "counter columns cannot be indexed");
    }
    // KEYS/ENTRIES index a map's keys or entries; FULL indexes a whole frozen collection.
    match target {
        Some(IndexTarget::Keys | IndexTarget::Entries) if !ty.is_collection() || !ty.is_map() => {
            cx.error_at(span, format!("index `target = \"keys\"`/`\"entries\"` needs a non-frozen map column, not `{ty}`"));
        }
        Some(IndexTarget::Full) if !ty.is_frozen() => {
            cx.error_at(
                span,
                format!("index `target = \"full\"` needs a frozen collection column, not `{ty}`"),
            );
        }
        Some(IndexTarget::Values) if ty.is_frozen() && !matches!(ty, CqlType::Tuple(_)) => {
            cx.error_at(
                span,
                "a frozen collection can only be indexed whole: use `target = \"full\"`",
            );
        }
        _ => {}
    }
}

/// Resolves `partition_key`/`clustering_key` positions: all implicit (field order) or all
/// explicit, and explicit ones must be exactly 0..n so the key order is unambiguous.
fn key_positions(
    cx: &Ctxt,
    model: &Model<'_>,
    attr: impl for<'f> Fn(&'f Field<'_>) -> &'f Attr<Option<(u16, Span)>>,
    name: &str,
) -> HashMap<String, u16> {
    let keyed: Vec<(&Field<'_>, Option<(u16, Span)>)> = model
        .fields
        .iter()
        .filter(|f| !f.is_skipped())
        .filter_map(|f| attr(f).get().map(|p| (f, *p)))
        .collect();
    let explicit = keyed.iter().filter(|(_, p)| p.is_some()).count();
    let mut out = HashMap::new();
    if explicit == 0 {
        for (i, (f, _)) in keyed.iter().enumerate() {
            out.insert(f.ident.to_string(), i as u16);
        }
        return out;
    }
    if explicit != keyed.len() {
        for (f, p) in &keyed {
            if p.is_none() {
                let span = attr(f).span().unwrap_or_else(|| f.ident.span());
                cx.error_at(
                    span,
                    format!("give every `{name}` a position (`{name} = N`) or none of them"),
                );
            }
        }
        return out;
    }
    let mut by_pos: HashMap<u16, &Field<'_>> = HashMap::new();
    for (f, p) in &keyed {
        let Some((pos, span)) = p else { continue };
        if let Some(prev) = by_pos.insert(*pos, f) {
            cx.error_at(
                *span,
                format!(
                    "duplicate `{name} = {pos}` (also on field `{}`)",
                    prev.ident
                ),
            );
        } else if usize::from(*pos) >= keyed.len() {
            cx.error_at(
                *span,
                format!(
                    "`{name}` positions must be 0..{} without gaps; {pos} leaves a gap",
                    keyed.len() - 1
                ),
            );
        }
        out.insert(f.ident.to_string(), *pos);
    }
    out
}

/// A compound key is text built from other fields of the same row, so the sources must
/// exist, be real columns, not be the key itself, and always have a value.
fn check_compound_key(
    cx: &Ctxt,
    model: &Model<'_>,
    field: &Field<'_>,
    span: Span,
    attr: &super::field::CompoundKeyAttr,
) -> Option<CompoundKeyDef> {
    let is_string = matches!(field.ty, syn::Type::Path(p) if p.path.segments.last().is_some_and(|s| s.ident == "String"));
    if !is_string
        || field
            .cql
            .as_ref()
            .is_some_and(|t| *t != CqlType::Text && *t != CqlType::Ascii)
    {
        cx.error_at(
            span,
            "`compound_key` must be on a `String` field (the joined text)",
        );
        return None;
    }
    let mut sources = Vec::new();
    for ident in &attr.fields {
        match model.field(ident) {
            None => {
                let names: Vec<String> = model.fields.iter().map(|f| f.ident.to_string()).collect();
                let hint = names
                    .iter()
                    .map(|n| (super::value::edit_distance(&ident.to_string(), n), n))
                    .filter(|(d, _)| *d <= 2)
                    .min()
                    .map_or(String::new(), |(_, n)| format!("; did you mean `{n}`?"));
                cx.error_spanned_by(
                    ident,
                    format!("`compound_key` names unknown field `{ident}`{hint}"),
                );
            }
            Some(src) if src.ident == field.ident => {
                cx.error_spanned_by(ident, "a compound key cannot be built from itself");
            }
            Some(src) if src.is_skipped() => {
                cx.error_spanned_by(
                    ident,
                    format!("`compound_key` source `{ident}` is `skip`ped; it must be a column"),
                );
            }
            Some(src) if src.nullable => {
                cx.error_spanned_by(ident, format!("`compound_key` source `{ident}` is an `Option`; it must always have a value"));
            }
            Some(src) => sources.push(Str::from(src.column.clone())),
        }
    }
    (sources.len() == attr.fields.len()).then(|| CompoundKeyDef {
        column: field.column.clone().into(),
        fields: sources.into(),
        separator: attr.separator.value().into(),
    })
}

/// Query tables copy this model's columns under another key: their key fields must be
/// columns of this model and the copy needs its own name.
fn check_query_tables(cx: &Ctxt, model: &Model<'_>, table: &str) -> Vec<QueryTableDef> {
    let mut out = Vec::new();
    let mut names: Vec<String> = vec![table.to_owned()];
    let counter = model
        .fields
        .iter()
        .any(|f| f.cql.as_ref().is_some_and(CqlType::contains_counter));
    for qt in &model.attrs.query_tables {
        // Copies are written in the same logged batch as the row; Cassandra refuses counter
        // updates in a logged batch ("Cannot include a counter statement in a logged batch")
        // and counter increments cannot be copied (they are deltas, not values).
        if counter {
            cx.error_at(
                qt.span,
                "a counter table cannot have query tables: counter increments cannot be copied in a logged batch",
            );
        }
        let Some(name) = &qt.name else { continue };
        if names.contains(&name.value()) {
            cx.error_spanned_by(
                name,
                format!(
                    "table name `{}` is already used by this model",
                    name.value()
                ),
            );
        }
        names.push(name.value());
        // Cassandra's table names (`SchemaConstants.isValidName`): word characters only, at
        // most 48; the generated finder `find_<name>` is named after it too.
        let valid = name.value();
        if valid.is_empty()
            || valid.len() > 48
            || !valid
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_')
        {
            cx.error_spanned_by(
                name,
                format!(
                    "`{valid}` is not a valid table name: use 1 to 48 ASCII letters, digits or `_`"
                ),
            );
        }
        let resolve = |idents: &[syn::Ident]| -> Vec<Str> {
            let mut cols = Vec::new();
            for ident in idents {
                match model.field(ident) {
                    Some(f) if !f.is_skipped() => {
                        if cols.iter().any(|c: &Str| *c == f.column) {
                            cx.error_spanned_by(
                                ident,
                                format!("field `{ident}` is already in this query table's key"),
                            );
                        }
                        check_query_key_field(cx, ident, f);
                        cols.push(f.column.clone().into());
                    }
                    Some(_) => cx.error_spanned_by(
                        ident,
                        format!("field `{ident}` is `skip`ped; a key needs a column"),
                    ),
                    None => cx.error_spanned_by(
                        ident,
                        format!("`query_table` names unknown field `{ident}`"),
                    ),
                }
            }
            cols
        };
        let pk = resolve(&qt.partition_key);
        let ck = resolve(&qt.clustering_key);
        if let Some(dup) = pk.iter().find(|c| ck.contains(c)) {
            cx.error_at(
                qt.span,
                format!(
                    "column `{dup}` is in both the partition and clustering key of this query table"
                ),
            );
        }
        out.push(QueryTableDef {
            name: name.value().into(),
            partition_key: pk.into(),
            clustering_key: ck.into(),
        });
    }
    out
}

/// A query table's key column follows the rules of any key column (no null, no
/// non-frozen collection, counter or duration; see [`check_key_type`]), and it cannot be
/// `static`: a static value belongs to a base partition, so it would be the same in every
/// copy of that partition's rows, and a `json` key would be bound as its decoded type.
fn check_query_key_field(cx: &Ctxt, ident: &syn::Ident, field: &Field<'_>) {
    if field.nullable {
        cx.error_spanned_by(
            ident,
            format!(
                "query table key field `{ident}` is an `Option`: Cassandra has no null key values"
            ),
        );
    }
    if field.attrs.is_static.is_set() {
        cx.error_spanned_by(
            ident,
            format!(
                "query table key field `{ident}` is `static`; a key column holds one value per row"
            ),
        );
    }
    if field.attrs.json.is_set() {
        cx.error_spanned_by(
            ident,
            format!("query table key field `{ident}` is `json`; store the key as a plain CQL type"),
        );
    }
    let Some(ty) = &field.cql else { return };
    if ty.is_collection() || ty.is_unfrozen_udt() {
        cx.error_spanned_by(
            ident,
            format!("query table key field `{ident}` is a non-frozen `{ty}`; add `#[cassmodel(frozen)]` to the field"),
        );
    } else if ty.contains_counter() {
        cx.error_spanned_by(
            ident,
            format!(
                "query table key field `{ident}` is a counter; a counter cannot be part of a key"
            ),
        );
    } else if ty.contains_duration() {
        cx.error_spanned_by(
            ident,
            format!("query table key field `{ident}` is a `duration`; durations have no order"),
        );
    }
}

/// Validates a `#[derive(UserType)]` and builds its type definition.
pub fn check_user_type(cx: &Ctxt, model: &Model<'_>) -> UserTypeDef {
    let name = match model.attrs.name.get() {
        Some(lit) => lit.value(),
        None => snake_case(&model.ident.to_string()),
    };
    let mut fields: Vec<(Str, CqlType)> = Vec::new();
    for field in model.fields.iter().filter(|f| !f.is_skipped()) {
        // Same reason as for tables: field names must be unique after `rename`.
        if fields.iter().any(|(n, _)| *n == field.column) {
            let at = field
                .attrs
                .rename
                .span()
                .unwrap_or_else(|| field.ident.span());
            cx.error_at(at, format!("duplicate field name `{}`", field.column));
        }
        // Counters cannot live inside a user type ("A user type cannot contain counters").
        if let Some(ty) = &field.cql {
            if ty.contains_counter() {
                cx.error_spanned_by(field.ty, "a user type cannot contain counters");
            }
            fields.push((field.column.clone().into(), ty.clone()));
        }
    }
    if fields.is_empty() && !cx.has_errors() {
        cx.error_spanned_by(model.ident, "a user type needs at least one field");
    }
    UserTypeDef {
        name: name.into(),
        fields: fields.into(),
    }
}
