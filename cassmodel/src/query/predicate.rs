//! The predicate tree of a query, django's `Q` objects with types: leaves built from
//! [`Column`] handles (`c.age.gt(30)`), combined with `&`, `|`, `!` (or
//! [`Predicate::and`]/[`Predicate::or`]/[`Predicate::not`]).
//!
//! Each leaf keeps the column it restricts, the operator, the values to bind when the server
//! can evaluate it, and a compiled closure that evaluates it on a model in the client. A leaf
//! on a null value is false (`is_null` excepted), and `!` is plain boolean negation, so
//! `!(c.age.lt(5))` matches rows whose `age` is null — the planner only turns a negation into
//! the opposite comparison on primary-key columns, which are never null.

use std::cmp::Ordering;
use std::fmt;
use std::ops;
use std::sync::Arc;

use super::column::{Collection, Column, MapKeys, QueryValue};
use super::order::Collation;
use crate::model::Model;

/// A value bound to a CQL marker.
pub(crate) type Value = Arc<dyn QueryValue>;

/// The evaluator of one leaf.
type Eval<M> = Arc<dyn Fn(&M) -> bool + Send + Sync>;

/// The operator of a leaf.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Op {
    /// `=`
    Eq,
    /// `!=`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Lte,
    /// `>`
    Gt,
    /// `>=`
    Gte,
    /// `IN (..)`
    In,
    /// `CONTAINS` (an element of a list or set, a value of a map)
    Contains,
    /// `CONTAINS KEY` (a key of a map)
    ContainsKey,
    /// Text starting with a prefix (client only).
    StartsWith,
    /// Text ending with a suffix (client only).
    EndsWith,
    /// Text containing a substring, ignoring case (client only).
    IContains,
    /// Text matching a regular expression (client only).
    Regex,
    /// The column is null.
    IsNull,
    /// The column is not null.
    IsNotNull,
}

impl Op {
    /// The CQL operator, for the operators the server can evaluate.
    pub fn cql(self) -> Option<&'static str> {
        Some(match self {
            Op::Eq => "=",
            Op::Lt => "<",
            Op::Lte => "<=",
            Op::Gt => ">",
            Op::Gte => ">=",
            Op::In => "IN",
            Op::Contains => "CONTAINS",
            Op::ContainsKey => "CONTAINS KEY",
            _ => return None,
        })
    }

    /// The operator matching exactly the rows this one does not, on a never-null column.
    pub(crate) fn negate(self) -> Option<Op> {
        Some(match self {
            Op::Eq => Op::Ne,
            Op::Ne => Op::Eq,
            Op::Lt => Op::Gte,
            Op::Lte => Op::Gt,
            Op::Gt => Op::Lte,
            Op::Gte => Op::Lt,
            Op::IsNull => Op::IsNotNull,
            Op::IsNotNull => Op::IsNull,
            _ => return None,
        })
    }

    fn symbol(self) -> &'static str {
        match self {
            Op::Ne => "!=",
            Op::StartsWith => "starts_with",
            Op::EndsWith => "ends_with",
            Op::IContains => "icontains",
            Op::Regex => "regex",
            Op::IsNull => "IS NULL",
            Op::IsNotNull => "IS NOT NULL",
            other => other.cql().unwrap_or("?"),
        }
    }
}

/// One comparison: a column, an operator, its operands.
pub(crate) struct Leaf<M> {
    /// Position of the column in `M::TABLE.columns`.
    pub(crate) column: usize,
    /// The column name.
    pub(crate) name: &'static str,
    /// The operator.
    pub(crate) op: Op,
    /// The operands, bindable (empty for `is_null`; the pattern for text operators).
    pub(crate) values: Vec<Value>,
    /// Evaluates the leaf on a row.
    pub(crate) eval: Eval<M>,
}

impl<M> fmt::Display for Leaf<M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.name, self.op.symbol())?;
        match (self.op, self.values.as_slice()) {
            (Op::IsNull | Op::IsNotNull, _) => Ok(()),
            (Op::In, values) => {
                f.write_str(" (")?;
                for (i, v) in values.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{v:?}")?;
                }
                f.write_str(")")
            }
            (_, [v]) => write!(f, " {v:?}"),
            (_, values) => write!(f, " {values:?}"),
        }
    }
}

/// A node of the tree.
pub(crate) enum Node<M> {
    Leaf(Arc<Leaf<M>>),
    Not(Box<Node<M>>),
    And(Vec<Node<M>>),
    Or(Vec<Node<M>>),
}

impl<M> Clone for Node<M> {
    fn clone(&self) -> Self {
        match self {
            Node::Leaf(l) => Node::Leaf(Arc::clone(l)),
            Node::Not(n) => Node::Not(n.clone()),
            Node::And(v) => Node::And(v.clone()),
            Node::Or(v) => Node::Or(v.clone()),
        }
    }
}

impl<M> Node<M> {
    pub(crate) fn eval(&self, row: &M) -> bool {
        match self {
            Node::Leaf(l) => (l.eval)(row),
            Node::Not(n) => !n.eval(row),
            Node::And(v) => v.iter().all(|n| n.eval(row)),
            Node::Or(v) => v.iter().any(|n| n.eval(row)),
        }
    }
}

impl<M> fmt::Display for Node<M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let join = |f: &mut fmt::Formatter<'_>, v: &[Node<M>], sep: &str, empty: &str| {
            if v.is_empty() {
                return f.write_str(empty);
            }
            for (i, n) in v.iter().enumerate() {
                if i > 0 {
                    f.write_str(sep)?;
                }
                match n {
                    Node::And(_) | Node::Or(_) => write!(f, "({n})")?,
                    _ => write!(f, "{n}")?,
                }
            }
            Ok(())
        };
        match self {
            Node::Leaf(l) => write!(f, "{l}"),
            Node::Not(n) => write!(f, "NOT ({n})"),
            Node::And(v) => join(f, v, " AND ", "TRUE"),
            Node::Or(v) => join(f, v, " OR ", "FALSE"),
        }
    }
}

/// A boolean condition on rows of model `M`.
pub struct Predicate<M> {
    pub(crate) node: Node<M>,
}

impl<M> Clone for Predicate<M> {
    fn clone(&self) -> Self {
        Predicate {
            node: self.node.clone(),
        }
    }
}

impl<M> fmt::Debug for Predicate<M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Predicate({})", self.node)
    }
}

impl<M> fmt::Display for Predicate<M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.node.fmt(f)
    }
}

impl<M> Predicate<M> {
    /// Always true (matches every row).
    pub fn all() -> Self {
        Predicate {
            node: Node::And(Vec::new()),
        }
    }

    /// Both conditions.
    pub fn and(self, other: Predicate<M>) -> Self {
        let mut items = match self.node {
            Node::And(v) => v,
            n => vec![n],
        };
        match other.node {
            Node::And(v) => items.extend(v),
            n => items.push(n),
        }
        Predicate {
            node: Node::And(items),
        }
    }

    /// Either condition.
    pub fn or(self, other: Predicate<M>) -> Self {
        let mut items = match self.node {
            Node::Or(v) => v,
            n => vec![n],
        };
        match other.node {
            Node::Or(v) => items.extend(v),
            n => items.push(n),
        }
        Predicate {
            node: Node::Or(items),
        }
    }

    /// The negation.
    #[expect(
        clippy::should_implement_trait,
        reason = "`ops::Not` is implemented too; the method reads better in chains"
    )]
    pub fn not(self) -> Self {
        Predicate {
            node: match self.node {
                Node::Not(n) => *n,
                n => Node::Not(Box::new(n)),
            },
        }
    }

    /// Evaluates the condition on a row, in the client.
    pub fn matches(&self, row: &M) -> bool {
        self.node.eval(row)
    }
}

impl<M> ops::BitAnd for Predicate<M> {
    type Output = Predicate<M>;
    fn bitand(self, rhs: Self) -> Self {
        self.and(rhs)
    }
}

impl<M> ops::BitOr for Predicate<M> {
    type Output = Predicate<M>;
    fn bitor(self, rhs: Self) -> Self {
        self.or(rhs)
    }
}

impl<M> ops::Not for Predicate<M> {
    type Output = Predicate<M>;
    fn not(self) -> Self {
        Predicate::not(self)
    }
}

fn leaf<M>(
    column: usize,
    name: &'static str,
    op: Op,
    values: Vec<Value>,
    eval: impl Fn(&M) -> bool + Send + Sync + 'static,
) -> Predicate<M> {
    Predicate {
        node: Node::Leaf(Arc::new(Leaf {
            column,
            name,
            op,
            values,
            eval: Arc::new(eval),
        })),
    }
}

impl<M: Model, T: QueryValue + PartialOrd + Clone> Column<M, T> {
    /// How the server orders this column's values (see [`Collation`]).
    fn collation(self) -> Collation {
        Collation::of::<T>(M::TABLE.columns.get(self.index()).map(|c| &c.ty))
    }

    /// A comparison leaf: `native` on Rust's order when it is the server's, else `collated`
    /// on the column's collation (decided once here, not per row).
    fn compare(
        self,
        op: Op,
        value: T,
        native: fn(&T, &T) -> bool,
        collated: fn(Option<Ordering>) -> bool,
    ) -> Predicate<M> {
        let bound: Value = Arc::new(value.clone());
        match self.collation() {
            Collation::Native => leaf(self.index(), self.name(), op, vec![bound], move |m| {
                self.get(m).is_some_and(|x| native(x, &value))
            }),
            c => leaf(self.index(), self.name(), op, vec![bound], move |m| {
                self.get(m).is_some_and(|x| collated(c.cmp(x, &value)))
            }),
        }
    }

    /// `column = value`.
    pub fn eq(self, value: impl Into<T>) -> Predicate<M> {
        self.compare(
            Op::Eq,
            value.into(),
            |a, b| a == b,
            |o| o == Some(Ordering::Equal),
        )
    }

    /// `column != value` (false on null; evaluated in the client).
    pub fn ne(self, value: impl Into<T>) -> Predicate<M> {
        self.compare(
            Op::Ne,
            value.into(),
            |a, b| a != b,
            |o| o != Some(Ordering::Equal),
        )
    }

    /// `column < value`.
    pub fn lt(self, value: impl Into<T>) -> Predicate<M> {
        self.compare(
            Op::Lt,
            value.into(),
            |a, b| a < b,
            |o| o == Some(Ordering::Less),
        )
    }

    /// `column <= value`.
    pub fn lte(self, value: impl Into<T>) -> Predicate<M> {
        self.compare(
            Op::Lte,
            value.into(),
            |a, b| a <= b,
            |o| matches!(o, Some(Ordering::Less | Ordering::Equal)),
        )
    }

    /// `column > value`.
    pub fn gt(self, value: impl Into<T>) -> Predicate<M> {
        self.compare(
            Op::Gt,
            value.into(),
            |a, b| a > b,
            |o| o == Some(Ordering::Greater),
        )
    }

    /// `column >= value`.
    pub fn gte(self, value: impl Into<T>) -> Predicate<M> {
        self.compare(
            Op::Gte,
            value.into(),
            |a, b| a >= b,
            |o| matches!(o, Some(Ordering::Greater | Ordering::Equal)),
        )
    }

    /// `low <= column <= high`.
    pub fn between(self, low: impl Into<T>, high: impl Into<T>) -> Predicate<M> {
        self.gte(low).and(self.lte(high))
    }

    /// `column IN (values)`; duplicates are removed, an empty list matches nothing.
    pub fn is_in<I>(self, values: I) -> Predicate<M>
    where
        I: IntoIterator,
        I::Item: Into<T>,
    {
        let mut list: Vec<T> = Vec::new();
        for v in values {
            let v = v.into();
            if !list.contains(&v) {
                list.push(v);
            }
        }
        let bound = list.iter().map(|v| Arc::new(v.clone()) as Value).collect();
        let c = self.collation();
        leaf(self.index(), self.name(), Op::In, bound, move |m| {
            self.get(m).is_some_and(|x| list.iter().any(|v| c.eq(x, v)))
        })
    }
}

impl<M: 'static, T: Collection + 'static> Column<M, T> {
    /// `column CONTAINS elem`: an element of a list or set, a value of a map.
    pub fn contains(self, elem: impl Into<T::Elem>) -> Predicate<M>
    where
        T::Elem: Clone,
    {
        let elem: T::Elem = elem.into();
        let bound: Value = Arc::new(elem.clone());
        leaf(
            self.index(),
            self.name(),
            Op::Contains,
            vec![bound],
            move |m| self.get(m).is_some_and(|c| c.has(&elem)),
        )
    }
}

impl<M: 'static, T: MapKeys + 'static> Column<M, T> {
    /// `column CONTAINS KEY key` on a map.
    pub fn contains_key(self, key: impl Into<T::Key>) -> Predicate<M>
    where
        T::Key: Clone,
    {
        let key: T::Key = key.into();
        let bound: Value = Arc::new(key.clone());
        leaf(
            self.index(),
            self.name(),
            Op::ContainsKey,
            vec![bound],
            move |m| self.get(m).is_some_and(|c| c.has_key(&key)),
        )
    }
}

impl<M: 'static, T: AsRef<str> + 'static> Column<M, T> {
    fn text(
        self,
        op: Op,
        pattern: String,
        test: impl Fn(&str) -> bool + Send + Sync + 'static,
    ) -> Predicate<M> {
        let shown: Value = Arc::new(pattern);
        leaf(self.index(), self.name(), op, vec![shown], move |m| {
            self.get(m).is_some_and(|t| test(t.as_ref()))
        })
    }

    /// Text starting with `prefix` (evaluated in the client).
    pub fn starts_with(self, prefix: impl Into<String>) -> Predicate<M> {
        let prefix: String = prefix.into();
        let p = prefix.clone();
        self.text(Op::StartsWith, prefix, move |t| t.starts_with(p.as_str()))
    }

    /// Text ending with `suffix` (evaluated in the client).
    pub fn ends_with(self, suffix: impl Into<String>) -> Predicate<M> {
        let suffix: String = suffix.into();
        let s = suffix.clone();
        self.text(Op::EndsWith, suffix, move |t| t.ends_with(s.as_str()))
    }

    /// Text containing `needle`, ignoring case (evaluated in the client; ASCII needles are
    /// matched without allocating).
    pub fn icontains(self, needle: impl Into<String>) -> Predicate<M> {
        let needle: String = needle.into();
        let lower = needle.to_lowercase();
        self.text(Op::IContains, needle, move |t| icontains(t, &lower))
    }

    /// Text matching the regular expression `re` anywhere (evaluated in the client).
    pub fn regex(self, re: regex::Regex) -> Predicate<M> {
        self.text(Op::Regex, re.as_str().to_owned(), move |t| re.is_match(t))
    }
}

impl<M: 'static, T: 'static> Column<M, T> {
    /// The column is null (evaluated in the client).
    pub fn is_null(self) -> Predicate<M> {
        leaf(
            self.index(),
            self.name(),
            Op::IsNull,
            Vec::new(),
            move |m| self.get(m).is_none(),
        )
    }

    /// The column is not null (evaluated in the client).
    pub fn is_not_null(self) -> Predicate<M> {
        leaf(
            self.index(),
            self.name(),
            Op::IsNotNull,
            Vec::new(),
            move |m| self.get(m).is_some(),
        )
    }
}

/// Whether `text` contains `lower` (already lower-cased), ignoring case.
fn icontains(text: &str, lower: &str) -> bool {
    if lower.is_empty() {
        return true;
    }
    if lower.is_ascii() {
        let needle = lower.as_bytes();
        return text
            .as_bytes()
            .windows(needle.len())
            .any(|w| w.eq_ignore_ascii_case(needle));
    }
    text.to_lowercase().contains(lower)
}

#[cfg(test)]
mod tests {
    use super::icontains;

    #[test]
    fn icontains_ascii_and_unicode() {
        assert!(icontains("Hello World", "o wo"));
        assert!(!icontains("Hello", "hex"));
        assert!(icontains("ÉCOLE", "école"));
        assert!(icontains("", ""));
        assert!(!icontains("", "a"));
    }
}
