//! `Display` renders the AST back to CQL text that parses to the same tree (names, types,
//! terms and schema statements here; data statements in `display_dml`).
//!
//! Identifiers are quoted only when needed (upper case, reserved word, other characters).
//! Arithmetic is printed without parentheses, which round-trips every tree the parser builds.

use std::fmt::{self, Display, Formatter, Write};

use super::Statement;
use super::ddl::*;
use super::names::{Ident, NativeType, QualifiedName, TypeExpr};
use super::term::{ArithOp, BindMarker, Literal, Term};
use crate::keywords::is_reserved;

/// Writes `items` separated by `", "`.
pub(super) fn comma<T: Display>(f: &mut Formatter<'_>, items: &[T]) -> fmt::Result {
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            f.write_str(", ")?;
        }
        write!(f, "{item}")?;
    }
    Ok(())
}

/// Writes `(k: v, ...)` pairs separated by `", "`.
pub(super) fn pairs<K: Display, V: Display>(
    f: &mut Formatter<'_>,
    items: &[(K, V)],
) -> fmt::Result {
    for (i, (k, v)) in items.iter().enumerate() {
        if i > 0 {
            f.write_str(", ")?;
        }
        write!(f, "{k}: {v}")?;
    }
    Ok(())
}

impl Display for Ident {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        let s = self.as_str();
        let plain = s.bytes().next().is_some_and(|b| b.is_ascii_lowercase())
            && s.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
            && !is_reserved(s);
        if plain {
            return f.write_str(s);
        }
        f.write_char('"')?;
        f.write_str(&s.replace('"', "\"\""))?;
        f.write_char('"')
    }
}

impl Display for QualifiedName {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        if let Some(ks) = &self.keyspace {
            write!(f, "{ks}.")?;
        }
        write!(f, "{}", self.name)
    }
}

impl Display for NativeType {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl Display for TypeExpr {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            TypeExpr::Native(t) => write!(f, "{t}"),
            TypeExpr::List(t) => write!(f, "list<{t}>"),
            TypeExpr::Set(t) => write!(f, "set<{t}>"),
            TypeExpr::Map(k, v) => write!(f, "map<{k}, {v}>"),
            TypeExpr::Tuple(items) => {
                f.write_str("tuple<")?;
                comma(f, items)?;
                f.write_str(">")
            }
            TypeExpr::Frozen(t) => write!(f, "frozen<{t}>"),
            TypeExpr::UserType(name) => write!(f, "{name}"),
            TypeExpr::Vector(t, n) => write!(f, "vector<{t}, {n}>"),
            TypeExpr::Custom(class) => write!(f, "{}", Literal::String(class.clone())),
        }
    }
}

impl Display for Literal {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            Literal::String(s) => write!(f, "'{}'", s.replace('\'', "''")),
            Literal::Integer(t) | Literal::Float(t) | Literal::Uuid(t) | Literal::Duration(t) => {
                f.write_str(t)
            }
            Literal::Boolean(b) => write!(f, "{b}"),
            Literal::Hex(h) => write!(f, "0x{h}"),
        }
    }
}

impl Display for BindMarker {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match &self.name {
            Some(name) => write!(f, ":{name}"),
            None => f.write_str("?"),
        }
    }
}

impl Display for ArithOp {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ArithOp::Add => "+",
            ArithOp::Sub => "-",
            ArithOp::Mul => "*",
            ArithOp::Div => "/",
            ArithOp::Rem => "%",
        })
    }
}

impl Display for Term {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            Term::Literal(l) => write!(f, "{l}"),
            Term::Null => f.write_str("null"),
            Term::Marker(m) => write!(f, "{m}"),
            Term::List(items) => {
                f.write_str("[")?;
                comma(f, items)?;
                f.write_str("]")
            }
            Term::Set(items) => {
                f.write_str("{")?;
                comma(f, items)?;
                f.write_str("}")
            }
            Term::Map(entries) => {
                f.write_str("{")?;
                pairs(f, entries)?;
                f.write_str("}")
            }
            Term::Tuple(items) => {
                f.write_str("(")?;
                comma(f, items)?;
                f.write_str(")")
            }
            Term::Udt(fields) => {
                f.write_str("{")?;
                pairs(f, fields)?;
                f.write_str("}")
            }
            Term::FunctionCall { name, args } => {
                write!(f, "{name}(")?;
                comma(f, args)?;
                f.write_str(")")
            }
            Term::TypeHint { ty, term } => write!(f, "({ty}) {term}"),
            // The space keeps `- 1` a negation (`-1` would lex as a negative literal).
            Term::Negate(t) => write!(f, "- {t}"),
            Term::Arithmetic { op, left, right } => write!(f, "{left} {op} {right}"),
        }
    }
}

impl Display for PropertyValue {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            PropertyValue::Constant(t) => write!(f, "{t}"),
            PropertyValue::Ident(i) => write!(f, "{i}"),
            PropertyValue::Map(entries) => {
                f.write_str("{")?;
                pairs(f, entries)?;
                f.write_str("}")
            }
        }
    }
}

impl Display for Property {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        write!(f, "{} = {}", self.name, self.value)
    }
}

fn properties(f: &mut Formatter<'_>, props: &[Property]) -> fmt::Result {
    for (i, p) in props.iter().enumerate() {
        f.write_str(if i == 0 { " WITH " } else { " AND " })?;
        write!(f, "{p}")?;
    }
    Ok(())
}

impl Display for ColumnDefinition {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.name, self.ty)?;
        if self.is_static {
            f.write_str(" STATIC")?;
        }
        if self.primary_key {
            f.write_str(" PRIMARY KEY")?;
        }
        Ok(())
    }
}

impl Display for PrimaryKey {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_str("PRIMARY KEY ((")?;
        comma(f, &self.partition_key)?;
        f.write_str(")")?;
        for c in &self.clustering {
            write!(f, ", {c}")?;
        }
        f.write_str(")")
    }
}

impl Display for Order {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Order::Asc => "ASC",
            Order::Desc => "DESC",
        })
    }
}

impl Display for TableOptions {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        let mut first = true;
        let mut sep = |f: &mut Formatter<'_>| {
            let s = if first { " WITH " } else { " AND " };
            first = false;
            f.write_str(s)
        };
        if !self.clustering_order.is_empty() {
            sep(f)?;
            f.write_str("CLUSTERING ORDER BY (")?;
            for (i, (c, o)) in self.clustering_order.iter().enumerate() {
                if i > 0 {
                    f.write_str(", ")?;
                }
                write!(f, "{c} {o}")?;
            }
            f.write_str(")")?;
        }
        if self.compact_storage {
            sep(f)?;
            f.write_str("COMPACT STORAGE")?;
        }
        for p in &self.properties {
            sep(f)?;
            write!(f, "{p}")?;
        }
        Ok(())
    }
}

fn if_not_exists(f: &mut Formatter<'_>, yes: bool) -> fmt::Result {
    if yes {
        f.write_str("IF NOT EXISTS ")
    } else {
        Ok(())
    }
}

fn if_exists(f: &mut Formatter<'_>, yes: bool) -> fmt::Result {
    if yes {
        f.write_str("IF EXISTS ")
    } else {
        Ok(())
    }
}

fn renames(f: &mut Formatter<'_>, list: &[(Ident, Ident)]) -> fmt::Result {
    for (i, (from, to)) in list.iter().enumerate() {
        if i > 0 {
            f.write_str(" AND ")?;
        }
        write!(f, "{from} TO {to}")?;
    }
    Ok(())
}

impl Display for AlterTableAction {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            AlterTableAction::Add {
                if_not_exists: ine,
                columns,
            } => {
                f.write_str("ADD ")?;
                if_not_exists(f, *ine)?;
                f.write_str("(")?;
                comma(f, columns)?;
                f.write_str(")")
            }
            AlterTableAction::Drop {
                if_exists: ie,
                columns,
                timestamp,
            } => {
                f.write_str("DROP ")?;
                if_exists(f, *ie)?;
                f.write_str("(")?;
                comma(f, columns)?;
                f.write_str(")")?;
                match timestamp {
                    Some(ts) => write!(f, " USING TIMESTAMP {ts}"),
                    None => Ok(()),
                }
            }
            AlterTableAction::Rename {
                if_exists: ie,
                renames: list,
            } => {
                f.write_str("RENAME ")?;
                if_exists(f, *ie)?;
                renames(f, list)
            }
            AlterTableAction::With(opts) => write!(f, "{}", opts.to_string().trim_start()),
            AlterTableAction::AlterColumnType { column, ty } => {
                write!(f, "ALTER {column} TYPE {ty}")
            }
            AlterTableAction::DropCompactStorage => f.write_str("DROP COMPACT STORAGE"),
        }
    }
}

impl Display for IndexTarget {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        let c = &self.column;
        match self.kind {
            IndexTargetKind::Simple => write!(f, "{c}"),
            IndexTargetKind::Values => write!(f, "values({c})"),
            IndexTargetKind::Keys => write!(f, "keys({c})"),
            IndexTargetKind::Entries => write!(f, "entries({c})"),
            IndexTargetKind::Full => write!(f, "full({c})"),
        }
    }
}

impl Display for AlterTypeAction {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            AlterTypeAction::Add {
                if_not_exists: ine,
                field,
                ty,
            } => {
                f.write_str("ADD ")?;
                if_not_exists(f, *ine)?;
                write!(f, "{field} {ty}")
            }
            AlterTypeAction::Rename {
                if_exists: ie,
                renames: list,
            } => {
                f.write_str("RENAME ")?;
                if_exists(f, *ie)?;
                renames(f, list)
            }
            AlterTypeAction::AlterFieldType { field, ty } => write!(f, "ALTER {field} TYPE {ty}"),
        }
    }
}

/// Renders the schema statements; data statements are delegated to `display_dml`.
impl Display for Statement {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            Statement::Use(ks) => write!(f, "USE {ks}"),
            Statement::CreateKeyspace(s) => {
                f.write_str("CREATE KEYSPACE ")?;
                if_not_exists(f, s.if_not_exists)?;
                write!(f, "{}", s.name)?;
                properties(f, &s.properties)
            }
            Statement::AlterKeyspace(s) => {
                f.write_str("ALTER KEYSPACE ")?;
                if_exists(f, s.if_exists)?;
                write!(f, "{}", s.name)?;
                properties(f, &s.properties)
            }
            Statement::DropKeyspace(d) => drop(f, "KEYSPACE", d.if_exists, &d.name),
            Statement::CreateTable(t) => {
                f.write_str("CREATE TABLE ")?;
                if_not_exists(f, t.if_not_exists)?;
                write!(f, "{} (", t.name)?;
                comma(f, &t.columns)?;
                for pk in &t.primary_keys {
                    if !t.columns.is_empty() {
                        f.write_str(", ")?;
                    }
                    write!(f, "{pk}")?;
                }
                write!(f, "){}", t.options)
            }
            Statement::AlterTable(a) => {
                f.write_str("ALTER TABLE ")?;
                if_exists(f, a.if_exists)?;
                write!(f, "{} {}", a.name, a.action)
            }
            Statement::DropTable(d) => drop(f, "TABLE", d.if_exists, &d.name),
            Statement::Truncate(t) => write!(f, "TRUNCATE TABLE {t}"),
            Statement::CreateIndex(i) => {
                f.write_str(if i.custom {
                    "CREATE CUSTOM INDEX "
                } else {
                    "CREATE INDEX "
                })?;
                if_not_exists(f, i.if_not_exists)?;
                if let Some(name) = &i.name {
                    write!(f, "{name} ")?;
                }
                write!(f, "ON {} (", i.table)?;
                comma(f, &i.targets)?;
                f.write_str(")")?;
                if let Some(class) = &i.using {
                    write!(f, " USING {}", Literal::String(class.clone()))?;
                }
                properties(f, &i.properties)
            }
            Statement::DropIndex(d) => drop(f, "INDEX", d.if_exists, &d.name),
            Statement::CreateType(t) => {
                f.write_str("CREATE TYPE ")?;
                if_not_exists(f, t.if_not_exists)?;
                write!(f, "{} (", t.name)?;
                for (i, (name, ty)) in t.fields.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{name} {ty}")?;
                }
                f.write_str(")")
            }
            Statement::AlterType(a) => {
                f.write_str("ALTER TYPE ")?;
                if_exists(f, a.if_exists)?;
                write!(f, "{} {}", a.name, a.action)
            }
            Statement::DropType(d) => drop(f, "TYPE", d.if_exists, &d.name),
            Statement::Select(s) => write!(f, "{s}"),
            Statement::Insert(s) => write!(f, "{s}"),
            Statement::Update(s) => write!(f, "{s}"),
            Statement::Delete(s) => write!(f, "{s}"),
            Statement::Batch(s) => write!(f, "{s}"),
            Statement::Describe(d) => write!(f, "{d}"),
            Statement::Unsupported { what, .. } => f.write_str(what),
        }
    }
}

fn drop(f: &mut Formatter<'_>, what: &str, ie: bool, name: &dyn Display) -> fmt::Result {
    write!(f, "DROP {what} ")?;
    if_exists(f, ie)?;
    write!(f, "{name}")
}

/// Words that introduce a specific DESCRIBE form.
const DESCRIBE_WORDS: [&str; 15] = [
    "cluster",
    "schema",
    "full",
    "keyspaces",
    "keyspace",
    "only",
    "tables",
    "table",
    "columnfamily",
    "index",
    "materialized",
    "types",
    "functions",
    "aggregates",
    "type",
];

impl Display for Describe {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_str("DESCRIBE ")?;
        match &self.target {
            DescribeTarget::Cluster => f.write_str("CLUSTER")?,
            DescribeTarget::Schema { full } => {
                f.write_str(if *full { "FULL SCHEMA" } else { "SCHEMA" })?
            }
            DescribeTarget::Keyspaces => f.write_str("KEYSPACES")?,
            DescribeTarget::Keyspace { name, only } => {
                f.write_str(if *only { "ONLY KEYSPACE" } else { "KEYSPACE" })?;
                if let Some(name) = name {
                    write!(f, " {name}")?;
                }
            }
            DescribeTarget::Tables => f.write_str("TABLES")?,
            DescribeTarget::Table(n) => write!(f, "TABLE {n}")?,
            DescribeTarget::Index(n) => write!(f, "INDEX {n}")?,
            DescribeTarget::MaterializedView(n) => write!(f, "MATERIALIZED VIEW {n}")?,
            DescribeTarget::Types => f.write_str("TYPES")?,
            DescribeTarget::Type(n) => write!(f, "TYPE {n}")?,
            DescribeTarget::Functions => f.write_str("FUNCTIONS")?,
            DescribeTarget::Function(n) => write!(f, "FUNCTION {n}")?,
            DescribeTarget::Aggregates => f.write_str("AGGREGATES")?,
            DescribeTarget::Aggregate(n) => write!(f, "AGGREGATE {n}")?,
            // A bare name that is also a DESCRIBE keyword must be quoted to stay generic.
            DescribeTarget::Generic(QualifiedName {
                keyspace: None,
                name,
            }) if DESCRIBE_WORDS.contains(&name.as_str()) => write!(f, "\"{}\"", name.as_str())?,
            DescribeTarget::Generic(n) => write!(f, "{n}")?,
        }
        if self.with_internals {
            f.write_str(" WITH INTERNALS")?;
        }
        Ok(())
    }
}
