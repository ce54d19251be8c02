//! Normal forms of a predicate: negations pushed down to the leaves (NNF), and the
//! disjunctive normal form (an OR of ANDs of literals) the planner splits OR branches by.

use std::fmt;
use std::sync::Arc;

use cassmodel_schema::TableDef;

use super::predicate::{Leaf, Node, Op};

/// Largest number of OR branches the planner splits a predicate into; beyond it the OR is
/// evaluated in the client on the cheapest path of the rest.
pub(crate) const MAX_BRANCHES: usize = 16;

/// A leaf, possibly negated.
pub(crate) struct Lit<M> {
    pub(crate) leaf: Arc<Leaf<M>>,
    pub(crate) negated: bool,
}

impl<M> Clone for Lit<M> {
    fn clone(&self) -> Self {
        Lit {
            leaf: Arc::clone(&self.leaf),
            negated: self.negated,
        }
    }
}

impl<M> Lit<M> {
    /// Evaluates the literal in the client.
    #[inline]
    pub(crate) fn eval(&self, row: &M) -> bool {
        (self.leaf.eval)(row) != self.negated
    }

    /// The operator the server would evaluate: the leaf's own, or for a negated leaf on a
    /// primary-key column (never null, so `!(a < 1)` is exactly `a >= 1`) its opposite.
    /// `None` when only the client can evaluate the negation.
    pub(crate) fn op(&self, table: &TableDef) -> Option<Op> {
        if !self.negated {
            return Some(self.leaf.op);
        }
        let key = table
            .columns
            .get(self.leaf.column)
            .is_some_and(|c| c.kind.is_primary_key());
        if key { self.leaf.op.negate() } else { None }
    }
}

impl<M> fmt::Display for Lit<M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.negated {
            write!(f, "NOT ({})", self.leaf)
        } else {
            write!(f, "{}", self.leaf)
        }
    }
}

/// A predicate in negation normal form.
pub(crate) enum Nnf<M> {
    Lit(Lit<M>),
    And(Vec<Nnf<M>>),
    Or(Vec<Nnf<M>>),
}

impl<M> Clone for Nnf<M> {
    fn clone(&self) -> Self {
        match self {
            Nnf::Lit(l) => Nnf::Lit(l.clone()),
            Nnf::And(v) => Nnf::And(v.clone()),
            Nnf::Or(v) => Nnf::Or(v.clone()),
        }
    }
}

impl<M> Nnf<M> {
    /// Pushes negations down to the leaves (De Morgan), flattening nested ANDs and ORs.
    pub(crate) fn of(node: &Node<M>, negated: bool) -> Nnf<M> {
        match (node, negated) {
            (Node::Leaf(l), _) => Nnf::Lit(Lit {
                leaf: Arc::clone(l),
                negated,
            }),
            (Node::Not(n), _) => Nnf::of(n, !negated),
            (Node::And(v), false) | (Node::Or(v), true) => {
                Nnf::And(flatten(v.iter().map(|n| Nnf::of(n, negated)), true))
            }
            (Node::Or(v), false) | (Node::And(v), true) => {
                Nnf::Or(flatten(v.iter().map(|n| Nnf::of(n, negated)), false))
            }
        }
    }

    /// Evaluates in the client.
    pub(crate) fn eval(&self, row: &M) -> bool {
        match self {
            Nnf::Lit(l) => l.eval(row),
            Nnf::And(v) => v.iter().all(|n| n.eval(row)),
            Nnf::Or(v) => v.iter().any(|n| n.eval(row)),
        }
    }

    /// The top-level conjuncts.
    pub(crate) fn conjuncts(self) -> Vec<Nnf<M>> {
        match self {
            Nnf::And(v) => v,
            n => vec![n],
        }
    }

    /// The DNF as a list of conjunctions of literals, `None` if it has more than
    /// [`MAX_BRANCHES`] branches.
    pub(crate) fn dnf(&self) -> Option<Vec<Vec<Lit<M>>>> {
        match self {
            Nnf::Lit(l) => Some(vec![vec![l.clone()]]),
            Nnf::Or(v) => {
                let mut out = Vec::new();
                for n in v {
                    out.extend(n.dnf()?);
                    if out.len() > MAX_BRANCHES {
                        return None;
                    }
                }
                Some(out)
            }
            Nnf::And(v) => {
                let mut out: Vec<Vec<Lit<M>>> = vec![Vec::new()];
                for n in v {
                    let d = n.dnf()?;
                    if out.len() * d.len() > MAX_BRANCHES {
                        return None;
                    }
                    out = out
                        .iter()
                        .flat_map(|a| {
                            d.iter().map(move |b| {
                                let mut c = a.clone();
                                c.extend(b.iter().cloned());
                                c
                            })
                        })
                        .collect();
                }
                Some(out)
            }
        }
    }
}

fn flatten<M>(items: impl Iterator<Item = Nnf<M>>, and: bool) -> Vec<Nnf<M>> {
    let mut out = Vec::new();
    for n in items {
        match (n, and) {
            (Nnf::And(v), true) | (Nnf::Or(v), false) => out.extend(v),
            (n, _) => out.push(n),
        }
    }
    out
}

impl<M> fmt::Display for Nnf<M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Nnf::Lit(l) => write!(f, "{l}"),
            Nnf::And(v) => join(f, v, " AND ", "TRUE"),
            Nnf::Or(v) => join(f, v, " OR ", "FALSE"),
        }
    }
}

/// Writes `items` separated by `sep`, parenthesizing nested ANDs/ORs.
pub(crate) fn join<M>(
    f: &mut fmt::Formatter<'_>,
    items: &[Nnf<M>],
    sep: &str,
    empty: &str,
) -> fmt::Result {
    if items.is_empty() {
        return f.write_str(empty);
    }
    for (i, n) in items.iter().enumerate() {
        if i > 0 {
            f.write_str(sep)?;
        }
        match n {
            Nnf::Lit(l) => write!(f, "{l}")?,
            n => write!(f, "({n})")?,
        }
    }
    Ok(())
}
