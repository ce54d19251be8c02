//! `Display` for SELECT, INSERT, UPDATE, DELETE and BATCH (see `display` for the rules).

use std::fmt::{self, Display, Formatter};

use super::display::{comma, pairs};
use super::dml::*;

impl Display for SelectorExpr {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            SelectorExpr::Column(c) => write!(f, "{c}"),
            SelectorExpr::CountAll => f.write_str("count(*)"),
            SelectorExpr::WriteTime(c) => write!(f, "writetime({c})"),
            SelectorExpr::Ttl(c) => write!(f, "ttl({c})"),
            SelectorExpr::Function { name, args } => {
                write!(f, "{name}(")?;
                comma(f, args)?;
                f.write_str(")")
            }
            SelectorExpr::Cast { expr, ty } => write!(f, "cast({expr} AS {ty})"),
            SelectorExpr::Field { expr, field } => write!(f, "{expr}.{field}"),
            SelectorExpr::Element { expr, key } => write!(f, "{expr}[{key}]"),
            SelectorExpr::Slice { expr, from, to } => {
                write!(f, "{expr}[")?;
                if let Some(from) = from {
                    write!(f, "{from}")?;
                }
                f.write_str("..")?;
                if let Some(to) = to {
                    write!(f, "{to}")?;
                }
                f.write_str("]")
            }
            SelectorExpr::Term(t) => write!(f, "{t}"),
            SelectorExpr::Arithmetic { op, left, right } => write!(f, "{left} {op} {right}"),
            SelectorExpr::Negate(e) => write!(f, "- {e}"),
            SelectorExpr::TypeHint { ty, expr } => write!(f, "({ty}) {expr}"),
            SelectorExpr::Tuple(items) => {
                f.write_str("(")?;
                comma(f, items)?;
                f.write_str(")")
            }
            SelectorExpr::List(items) => {
                f.write_str("[")?;
                comma(f, items)?;
                f.write_str("]")
            }
            SelectorExpr::Set(items) => {
                f.write_str("{")?;
                comma(f, items)?;
                f.write_str("}")
            }
            SelectorExpr::Map(entries) => {
                f.write_str("{")?;
                pairs(f, entries)?;
                f.write_str("}")
            }
        }
    }
}

impl Display for Selector {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.expr)?;
        match &self.alias {
            Some(alias) => write!(f, " AS {alias}"),
            None => Ok(()),
        }
    }
}

impl Display for Operator {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Display for InValues {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            InValues::List(items) => {
                f.write_str("(")?;
                comma(f, items)?;
                f.write_str(")")
            }
            InValues::Marker(m) => write!(f, "{m}"),
        }
    }
}

fn columns_tuple(f: &mut Formatter<'_>, columns: &[super::Ident]) -> fmt::Result {
    f.write_str("(")?;
    comma(f, columns)?;
    f.write_str(")")
}

impl Display for Relation {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            Relation::Compare { column, op, value } => write!(f, "{column} {op} {value}"),
            Relation::In { column, values } => write!(f, "{column} IN {values}"),
            Relation::Element {
                column,
                key,
                op,
                value,
            } => {
                write!(f, "{column}[{key}] {op} {value}")
            }
            Relation::IsNotNull(c) => write!(f, "{c} IS NOT NULL"),
            Relation::MultiCompare { columns, op, value } => {
                columns_tuple(f, columns)?;
                write!(f, " {op} {value}")
            }
            Relation::MultiIn { columns, values } => {
                columns_tuple(f, columns)?;
                write!(f, " IN {values}")
            }
            Relation::Token { columns, op, value } => {
                f.write_str("token")?;
                columns_tuple(f, columns)?;
                write!(f, " {op} {value}")
            }
        }
    }
}

fn where_clause(f: &mut Formatter<'_>, relations: &[Relation]) -> fmt::Result {
    for (i, r) in relations.iter().enumerate() {
        f.write_str(if i == 0 { " WHERE " } else { " AND " })?;
        write!(f, "{r}")?;
    }
    Ok(())
}

impl Display for Select {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_str("SELECT ")?;
        if self.json {
            f.write_str("JSON ")?;
        }
        if self.distinct {
            f.write_str("DISTINCT ")?;
        }
        match &self.selection {
            Selection::Wildcard => f.write_str("*")?,
            Selection::Selectors(s) => comma(f, s)?,
        }
        write!(f, " FROM {}", self.table)?;
        where_clause(f, &self.where_clause)?;
        if !self.group_by.is_empty() {
            f.write_str(" GROUP BY ")?;
            comma(f, &self.group_by)?;
        }
        for (i, (c, o)) in self.order_by.iter().enumerate() {
            f.write_str(if i == 0 { " ORDER BY " } else { ", " })?;
            write!(f, "{c} {o}")?;
        }
        if let Some(n) = &self.per_partition_limit {
            write!(f, " PER PARTITION LIMIT {n}")?;
        }
        if let Some(n) = &self.limit {
            write!(f, " LIMIT {n}")?;
        }
        if self.allow_filtering {
            f.write_str(" ALLOW FILTERING")?;
        }
        Ok(())
    }
}

impl Display for Using {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match (&self.ttl, &self.timestamp) {
            (None, None) => Ok(()),
            (Some(ttl), None) => write!(f, " USING TTL {ttl}"),
            (None, Some(ts)) => write!(f, " USING TIMESTAMP {ts}"),
            (Some(ttl), Some(ts)) => write!(f, " USING TTL {ttl} AND TIMESTAMP {ts}"),
        }
    }
}

impl Display for Insert {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        write!(f, "INSERT INTO {} ", self.table)?;
        match &self.values {
            InsertValues::Values { columns, values } => {
                columns_tuple(f, columns)?;
                f.write_str(" VALUES (")?;
                comma(f, values)?;
                f.write_str(")")?;
            }
            InsertValues::Json {
                json,
                default_unset,
            } => {
                write!(f, "JSON {json}")?;
                if *default_unset {
                    f.write_str(" DEFAULT UNSET")?;
                }
            }
        }
        if self.if_not_exists {
            f.write_str(" IF NOT EXISTS")?;
        }
        write!(f, "{}", self.using)
    }
}

impl Display for Assignment {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            Assignment::Set { column, value } => write!(f, "{column} = {value}"),
            Assignment::SetElement { column, key, value } => {
                write!(f, "{column}[{key}] = {value}")
            }
            Assignment::SetField {
                column,
                field,
                value,
            } => {
                write!(f, "{column}.{field} = {value}")
            }
            Assignment::Add { column, value } => write!(f, "{column} = {column} + {value}"),
            Assignment::Subtract { column, value } => write!(f, "{column} = {column} - {value}"),
            Assignment::Prepend { column, value } => write!(f, "{column} = {value} + {column}"),
        }
    }
}

impl Display for Condition {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match &self.target {
            ConditionTarget::Column(c) => write!(f, "{c}")?,
            ConditionTarget::Element { column, key } => write!(f, "{column}[{key}]")?,
            ConditionTarget::Field { column, field } => write!(f, "{column}.{field}")?,
        }
        match &self.op {
            ConditionOp::Compare(op, t) => write!(f, " {op} {t}"),
            ConditionOp::In(values) => write!(f, " IN {values}"),
        }
    }
}

fn if_clause(f: &mut Formatter<'_>, clause: Option<&IfClause>) -> fmt::Result {
    match clause {
        None => Ok(()),
        Some(IfClause::Exists) => f.write_str(" IF EXISTS"),
        Some(IfClause::Conditions(conds)) => {
            for (i, c) in conds.iter().enumerate() {
                f.write_str(if i == 0 { " IF " } else { " AND " })?;
                write!(f, "{c}")?;
            }
            Ok(())
        }
    }
}

impl Display for Update {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        write!(f, "UPDATE {}{} SET ", self.table, self.using)?;
        comma(f, &self.assignments)?;
        where_clause(f, &self.where_clause)?;
        if_clause(f, self.if_clause.as_ref())
    }
}

impl Display for DeleteTarget {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            DeleteTarget::Column(c) => write!(f, "{c}"),
            DeleteTarget::Element { column, key } => write!(f, "{column}[{key}]"),
            DeleteTarget::Field { column, field } => write!(f, "{column}.{field}"),
        }
    }
}

impl Display for Delete {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_str("DELETE ")?;
        if !self.targets.is_empty() {
            comma(f, &self.targets)?;
            f.write_str(" ")?;
        }
        write!(f, "FROM {}", self.table)?;
        if let Some(ts) = &self.timestamp {
            write!(f, " USING TIMESTAMP {ts}")?;
        }
        where_clause(f, &self.where_clause)?;
        if_clause(f, self.if_clause.as_ref())
    }
}

impl Display for Modification {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            Modification::Insert(s) => write!(f, "{s}"),
            Modification::Update(s) => write!(f, "{s}"),
            Modification::Delete(s) => write!(f, "{s}"),
        }
    }
}

impl Display for Batch {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_str(match self.kind {
            BatchKind::Logged => "BEGIN BATCH",
            BatchKind::Unlogged => "BEGIN UNLOGGED BATCH",
            BatchKind::Counter => "BEGIN COUNTER BATCH",
        })?;
        write!(f, "{}", self.using)?;
        for s in &self.statements {
            write!(f, " {s};")?;
        }
        f.write_str(" APPLY BATCH")
    }
}
