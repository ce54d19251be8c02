//! Data statements: SELECT, INSERT, UPDATE, DELETE, BATCH and their clauses.

use super::ddl::Order;
use super::names::{FunctionName, Ident, NativeType, QualifiedName, TypeExpr};
use super::term::{ArithOp, BindMarker, Term};

/// A selector expression (the part of a selector before `AS`).
#[derive(Debug, Clone, PartialEq)]
pub enum SelectorExpr {
    /// A column.
    Column(Ident),
    /// `count(*)` (Cassandra names the result column `count`).
    CountAll,
    /// `writetime(c)`
    WriteTime(Ident),
    /// `ttl(c)`
    Ttl(Ident),
    /// A function call, e.g. `token(a, b)`, `now()`, `toTimestamp(c)`, `max(c)`, `count(1)`.
    Function {
        /// Function name (lower-cased unless quoted).
        name: FunctionName,
        /// Arguments.
        args: Vec<SelectorExpr>,
    },
    /// `CAST(expr AS type)`
    Cast {
        /// The converted expression.
        expr: Box<SelectorExpr>,
        /// Target type.
        ty: NativeType,
    },
    /// `expr.field` on a UDT.
    Field {
        /// The UDT-valued expression.
        expr: Box<SelectorExpr>,
        /// The selected field.
        field: Ident,
    },
    /// `expr[key]` on a map or set (Cassandra 4.0+).
    Element {
        /// The collection-valued expression.
        expr: Box<SelectorExpr>,
        /// The key (element).
        key: Term,
    },
    /// `expr[from..to]` with either bound optional (Cassandra 4.0+).
    Slice {
        /// The collection-valued expression.
        expr: Box<SelectorExpr>,
        /// Lower bound, inclusive.
        from: Option<Term>,
        /// Upper bound, inclusive.
        to: Option<Term>,
    },
    /// A constant, `null` or bind marker used as a selector (Cassandra 4.0+), e.g.
    /// `SELECT 1 FROM t`.
    Term(Term),
    /// `a + b`, `a * b`... on selectors (Cassandra 4.0+ arithmetic).
    Arithmetic {
        /// The operator.
        op: ArithOp,
        /// Left operand.
        left: Box<SelectorExpr>,
        /// Right operand.
        right: Box<SelectorExpr>,
    },
    /// `-expr`.
    Negate(Box<SelectorExpr>),
    /// `(type) expr`.
    TypeHint {
        /// The hinted type.
        ty: TypeExpr,
        /// The hinted selector.
        expr: Box<SelectorExpr>,
    },
    /// `(a, b)`: a tuple of two or more selectors (`(a)` is just `a`), or one operation
    /// between parentheses (`(a + b)`), which keeps them for its name.
    Tuple(Vec<SelectorExpr>),
    /// `[a, b]`
    List(Vec<SelectorExpr>),
    /// `{a, b}` (and `{}`).
    Set(Vec<SelectorExpr>),
    /// `{k: v, ...}`. A UDT literal `{field: v}` parses as a map whose keys are
    /// [`SelectorExpr::Column`]s; the receiver type decides (`Selectable.WithMapOrUdt`).
    Map(Vec<(SelectorExpr, SelectorExpr)>),
}

/// One selector with its optional alias.
#[derive(Debug, Clone, PartialEq)]
pub struct Selector {
    /// The expression.
    pub expr: SelectorExpr,
    /// `AS alias`.
    pub alias: Option<Ident>,
}

/// The selection of a SELECT.
#[derive(Debug, Clone, PartialEq)]
pub enum Selection {
    /// `*`
    Wildcard,
    /// A list of selectors.
    Selectors(Vec<Selector>),
}

/// A comparison operator of a relation or condition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Operator {
    /// `=`
    Eq,
    /// `<`
    Lt,
    /// `<=`
    Lte,
    /// `>`
    Gt,
    /// `>=`
    Gte,
    /// `!=`
    Neq,
    /// `CONTAINS`
    Contains,
    /// `CONTAINS KEY`
    ContainsKey,
    /// `LIKE`
    Like,
}

impl Operator {
    /// The operator as CQL spells it (Cassandra's `Operator.toString()`, which error
    /// messages quote).
    pub fn as_str(self) -> &'static str {
        match self {
            Operator::Eq => "=",
            Operator::Lt => "<",
            Operator::Lte => "<=",
            Operator::Gt => ">",
            Operator::Gte => ">=",
            Operator::Neq => "!=",
            Operator::Contains => "CONTAINS",
            Operator::ContainsKey => "CONTAINS KEY",
            Operator::Like => "LIKE",
        }
    }
}

/// The right side of an `IN`.
#[derive(Debug, Clone, PartialEq)]
pub enum InValues {
    /// `IN (t1, t2, ...)` (each may itself be a marker or, for multi-column relations, a tuple).
    List(Vec<Term>),
    /// `IN ?` / `IN :name`: one marker bound to a whole list.
    Marker(BindMarker),
}

/// A WHERE-clause relation.
#[derive(Debug, Clone, PartialEq)]
pub enum Relation {
    /// `c op term`.
    Compare {
        /// The column.
        column: Ident,
        /// The operator.
        op: Operator,
        /// The value.
        value: Term,
    },
    /// `c IN ...`.
    In {
        /// The column.
        column: Ident,
        /// The values.
        values: InValues,
    },
    /// `c[key] op term` (map element, Cassandra requires an index and `=`).
    Element {
        /// The collection column.
        column: Ident,
        /// The element key.
        key: Term,
        /// The operator.
        op: Operator,
        /// The value.
        value: Term,
    },
    /// `c IS NOT NULL`.
    IsNotNull(Ident),
    /// `(a, b) op (x, y)` or `(a, b) op ?`; the value is a [`Term::Tuple`] or a marker.
    MultiCompare {
        /// The columns.
        columns: Vec<Ident>,
        /// The operator.
        op: Operator,
        /// The tuple value.
        value: Term,
    },
    /// `(a, b) IN ((x, y), (z, w))`, `(a, b) IN (?, ?)` or `(a, b) IN ?`.
    MultiIn {
        /// The columns.
        columns: Vec<Ident>,
        /// The tuples.
        values: InValues,
    },
    /// `token(a, b) op term`.
    Token {
        /// The columns inside `token(...)`.
        columns: Vec<Ident>,
        /// The operator.
        op: Operator,
        /// The value (often itself `token(?, ?)`).
        value: Term,
    },
}

/// `SELECT ...`.
#[derive(Debug, Clone, PartialEq)]
pub struct Select {
    /// `SELECT JSON`.
    pub json: bool,
    /// `SELECT DISTINCT`.
    pub distinct: bool,
    /// What is selected.
    pub selection: Selection,
    /// The table.
    pub table: QualifiedName,
    /// WHERE relations, joined by AND, in source order.
    pub where_clause: Vec<Relation>,
    /// `GROUP BY` columns.
    pub group_by: Vec<Ident>,
    /// `ORDER BY` columns.
    pub order_by: Vec<(Ident, Order)>,
    /// `PER PARTITION LIMIT n|?`.
    pub per_partition_limit: Option<Term>,
    /// `LIMIT n|?`.
    pub limit: Option<Term>,
    /// `ALLOW FILTERING`.
    pub allow_filtering: bool,
}

/// `USING TTL t AND TIMESTAMP t` (either order, each optional).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Using {
    /// `TTL` value (integer literal or marker).
    pub ttl: Option<Term>,
    /// `TIMESTAMP` value (integer literal or marker).
    pub timestamp: Option<Term>,
}

/// The data part of an INSERT.
#[derive(Debug, Clone, PartialEq)]
pub enum InsertValues {
    /// `(c1, c2) VALUES (t1, t2)`.
    Values {
        /// Column names.
        columns: Vec<Ident>,
        /// Values; Cassandra rejects a length different from `columns` with
        /// `Unmatched column names/values` (an Invalid error, left to the executor).
        values: Vec<Term>,
    },
    /// `JSON 'doc' [DEFAULT NULL|UNSET]`; the document is a string literal or a marker.
    Json {
        /// The JSON document.
        json: Term,
        /// `DEFAULT UNSET` (otherwise `DEFAULT NULL`, the default).
        default_unset: bool,
    },
}

/// `INSERT INTO [ks.]t ... [IF NOT EXISTS] [USING ...]`.
#[derive(Debug, Clone, PartialEq)]
pub struct Insert {
    /// Table.
    pub table: QualifiedName,
    /// Values.
    pub values: InsertValues,
    /// `IF NOT EXISTS`.
    pub if_not_exists: bool,
    /// `USING` clause.
    pub using: Using,
}

/// One `SET` operation of an UPDATE.
#[derive(Debug, Clone, PartialEq)]
pub enum Assignment {
    /// `c = term`.
    Set {
        /// Column.
        column: Ident,
        /// Value.
        value: Term,
    },
    /// `c[key] = term` (list index or map key).
    SetElement {
        /// Column.
        column: Ident,
        /// Index or key.
        key: Term,
        /// Value.
        value: Term,
    },
    /// `u.field = term`.
    SetField {
        /// UDT column.
        column: Ident,
        /// Field.
        field: Ident,
        /// Value.
        value: Term,
    },
    /// `c = c + term` or `c += term` (counter increment, collection append/union/put).
    /// Also `c = c -5`, which Cassandra reads as adding the negative literal.
    Add {
        /// Column.
        column: Ident,
        /// Added value.
        value: Term,
    },
    /// `c = c - term` or `c -= term` (counter decrement, collection removal).
    Subtract {
        /// Column.
        column: Ident,
        /// Subtracted value.
        value: Term,
    },
    /// `c = term + c` (list prepend).
    Prepend {
        /// Column.
        column: Ident,
        /// Prepended value.
        value: Term,
    },
}

impl Assignment {
    /// The column this operation writes.
    pub fn column(&self) -> &Ident {
        match self {
            Assignment::Set { column, .. }
            | Assignment::SetElement { column, .. }
            | Assignment::SetField { column, .. }
            | Assignment::Add { column, .. }
            | Assignment::Subtract { column, .. }
            | Assignment::Prepend { column, .. } => column,
        }
    }
}

/// The left side of an IF condition.
#[derive(Debug, Clone, PartialEq)]
pub enum ConditionTarget {
    /// `c`
    Column(Ident),
    /// `c[key]`
    Element {
        /// Column.
        column: Ident,
        /// Index or key.
        key: Term,
    },
    /// `u.field`
    Field {
        /// Column.
        column: Ident,
        /// Field.
        field: Ident,
    },
}

/// The operator and right side of an IF condition.
#[derive(Debug, Clone, PartialEq)]
pub enum ConditionOp {
    /// `op term` (`=`, `!=`, `<`, `<=`, `>`, `>=`, `CONTAINS`, `CONTAINS KEY`).
    Compare(Operator, Term),
    /// `IN (...)` / `IN ?`.
    In(InValues),
}

/// One IF condition of a conditional UPDATE/DELETE.
#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    /// What is tested.
    pub target: ConditionTarget,
    /// How.
    pub op: ConditionOp,
}

/// The IF clause of UPDATE/DELETE.
#[derive(Debug, Clone, PartialEq)]
pub enum IfClause {
    /// `IF EXISTS`
    Exists,
    /// `IF c = t AND ...`
    Conditions(Vec<Condition>),
}

/// `UPDATE [ks.]t [USING ...] SET ... WHERE ... [IF ...]`.
#[derive(Debug, Clone, PartialEq)]
pub struct Update {
    /// Table.
    pub table: QualifiedName,
    /// `USING` clause.
    pub using: Using,
    /// SET operations in source order.
    pub assignments: Vec<Assignment>,
    /// WHERE relations.
    pub where_clause: Vec<Relation>,
    /// IF clause.
    pub if_clause: Option<IfClause>,
}

/// One item of DELETE's column list.
#[derive(Debug, Clone, PartialEq)]
pub enum DeleteTarget {
    /// `c`
    Column(Ident),
    /// `c[key]`
    Element {
        /// Column.
        column: Ident,
        /// Index or key.
        key: Term,
    },
    /// `u.field`
    Field {
        /// Column.
        column: Ident,
        /// Field.
        field: Ident,
    },
}

/// `DELETE [targets] FROM [ks.]t [USING TIMESTAMP n] WHERE ... [IF ...]`.
#[derive(Debug, Clone, PartialEq)]
pub struct Delete {
    /// Deleted columns/elements; empty means the whole row (or range/partition).
    pub targets: Vec<DeleteTarget>,
    /// Table.
    pub table: QualifiedName,
    /// `USING TIMESTAMP`.
    pub timestamp: Option<Term>,
    /// WHERE relations.
    pub where_clause: Vec<Relation>,
    /// IF clause.
    pub if_clause: Option<IfClause>,
}

/// The kind of a batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum BatchKind {
    /// `BEGIN BATCH` (logged).
    #[default]
    Logged,
    /// `BEGIN UNLOGGED BATCH`.
    Unlogged,
    /// `BEGIN COUNTER BATCH`.
    Counter,
}

/// A statement allowed inside a batch.
#[derive(Debug, Clone, PartialEq)]
pub enum Modification {
    /// INSERT
    Insert(Insert),
    /// UPDATE
    Update(Update),
    /// DELETE
    Delete(Delete),
}

/// `BEGIN [UNLOGGED|COUNTER] BATCH [USING ...] stmt; ... APPLY BATCH`.
#[derive(Debug, Clone, PartialEq)]
pub struct Batch {
    /// Batch kind.
    pub kind: BatchKind,
    /// `USING` clause (Cassandra accepts TTL syntactically and then rejects it).
    pub using: Using,
    /// The statements in order.
    pub statements: Vec<Modification>,
}
