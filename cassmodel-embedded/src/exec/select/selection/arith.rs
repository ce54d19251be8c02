//! Arithmetic selectors (`SELECT a + b, -c, d * 2 FROM t`): Cassandra 4.1 turns them into
//! calls of the operator functions (`C*: cql3/selection/Selectable.java`
//! `WithFunction.Raw.newOperation`/`newNegation`, `C*: cql3/functions/OperationFcts.java`),
//! resolved without a receiver type (`FunctionResolver.get`), and named `a + b` / `-c`
//! (`OperationFunction.columnName`, `NumericNegationFunction.columnName`).

use cassmodel_cql::ast::{ArithOp, Literal, SelectorExpr, Term};

use super::expr::{Expr, Planned, Planner, as_term};
use super::functions::Native;
use super::resolve::{Fit, term_text, type_fit};
use crate::error::CqlResult;
use crate::exec::arith::resolve::{Operand, binary, negation};
use crate::exec::arith::symbol;
use crate::exec::term::arithmetic::operand_fit;
use crate::types::CqlType;

/// An operand before the overload is chosen: a term typed by the overload, or a selector
/// already planned.
enum Side {
    Term(Term),
    Planned(Planned),
}

impl Side {
    fn fit(&self, param: &CqlType) -> Fit {
        match self {
            Side::Term(t) => operand_fit(t, param),
            Side::Planned(p) => type_fit(&p.ty, param),
        }
    }

    fn text(&self) -> String {
        match self {
            Side::Term(t) => term_text(t),
            Side::Planned(p) => p.name.clone(),
        }
    }

    fn marker(&self) -> bool {
        matches!(self, Side::Term(Term::Marker(_)))
    }
}

/// `-1` written in a selection is a constant (Cassandra's lexer reads the sign).
fn negated_constant(e: &SelectorExpr) -> Option<Term> {
    match e {
        SelectorExpr::Negate(inner) => match &**inner {
            SelectorExpr::Term(t @ Term::Literal(Literal::Integer(_) | Literal::Float(_))) => {
                Some(Term::Negate(Box::new(t.clone())))
            }
            _ => None,
        },
        _ => None,
    }
}

impl Planner<'_> {
    fn side(&mut self, e: &SelectorExpr) -> CqlResult<Side> {
        if let Some(t) = negated_constant(e).or_else(|| as_term(e)) {
            return Ok(Side::Term(t));
        }
        Ok(Side::Planned(self.plan(e, None)?))
    }

    fn typed(&mut self, side: Side, param: &CqlType) -> CqlResult<Planned> {
        match side {
            Side::Term(t) => self.term(&t, Some(param)),
            Side::Planned(p) => Ok(p),
        }
    }

    /// `left op right`.
    pub(super) fn arithmetic(
        &mut self,
        op: ArithOp,
        left: &SelectorExpr,
        right: &SelectorExpr,
        _expected: Option<&CqlType>,
    ) -> CqlResult<Planned> {
        let (l, r) = (self.side(left)?, self.side(right)?);
        let (lf, rf) = (|t: &CqlType| l.fit(t), |t: &CqlType| r.fit(t));
        let sig = binary(
            op,
            &Operand {
                fit: &lf,
                text: l.text(),
                marker: l.marker(),
            },
            &Operand {
                fit: &rf,
                text: r.text(),
                marker: r.marker(),
            },
            None,
        )?;
        let lp = self.typed(l, &sig.left)?;
        let rp = self.typed(r, &sig.right)?;
        Ok(Planned {
            name: format!("{} {} {}", lp.name, symbol(op), rp.name),
            ty: sig.result.clone(),
            expr: Expr::Call(Native::Arith(sig), vec![lp.expr, rp.expr]),
        })
    }

    /// `-inner`.
    pub(super) fn negation(
        &mut self,
        inner: &SelectorExpr,
        expected: Option<&CqlType>,
    ) -> CqlResult<Planned> {
        let whole = SelectorExpr::Negate(Box::new(inner.clone()));
        if let Some(t) = negated_constant(&whole) {
            return self.term(&t, expected);
        }
        let side = self.side(inner)?;
        let f = |t: &CqlType| side.fit(t);
        let ty = negation(
            &Operand {
                fit: &f,
                text: side.text(),
                marker: side.marker(),
            },
            None,
        )?;
        let p = self.typed(side, &ty)?;
        Ok(Planned {
            name: format!("-{}", p.name),
            expr: Expr::Call(Native::Negate(ty.clone()), vec![p.expr]),
            ty,
        })
    }
}
