//! Selector expressions evaluated per row: native function calls over columns, constants
//! and other calls (`C*: cql3/selection/Selectable.java` `WithFunction`, `WithTerm`,
//! `WithCast`, `WithTypeHint`, `WithFieldSelection`, `WithElementSelection`,
//! `WithSliceSelection`), with Cassandra's result column names
//! (`AbstractFunction.columnName`: `system.totimestamp(system.now())`) and types. Element
//! and slice selection live in [`super::elements`].

use cassmodel_cql::ast::{SelectorExpr, Term};

use super::elements::Elements;
use super::functions::{Native, overloads};
use super::resolve::{Arg, Fit, pick, term_text};
use super::{cast, invalid};
use crate::error::{CqlError, CqlResult};
use crate::exec::row::CqlRow;
use crate::exec::select::aggregate::AggregateFn;
use crate::schema::TableMeta;
use crate::types::CqlType;

/// A selector evaluated against one row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expr {
    /// A column by position in `table.columns`.
    Column(usize),
    /// A constant (a literal typed by its receiver).
    Const(Option<Vec<u8>>),
    /// A native scalar function over its arguments.
    Call(Native, Vec<Expr>),
    /// Field `n` of a UDT value.
    Field(Box<Expr>, usize),
    /// `c[x]` on a set or map (`C*: cql3/selection/ElementsSelector.java` `ElementSelector`).
    Element(Box<Elements>),
    /// `c[x..y]` on a set or map (`ElementsSelector.SliceSelector`).
    Slice(Box<Elements>),
    /// `writetime(c)` of a column by position (`C*: cql3/selection/WritetimeOrTTLSelector.java`).
    WriteTime(usize),
    /// `ttl(c)` of a column by position.
    Ttl(usize),
    /// The result of the selector's aggregate (`todate(min(c))`), known once its group
    /// is complete ([`Expr::eval_aggregated`]).
    Aggregated,
}

impl Expr {
    /// The value for `row`.
    pub fn eval(&self, row: &CqlRow) -> CqlResult<Option<Vec<u8>>> {
        self.eval_in(Some(row), None)
    }

    /// The value of an expression over an aggregate, given the aggregate's result
    /// (`C*: cql3/selection/ScalarFunctionSelector.java` over an
    /// `AggregateFunctionSelector` argument). The planner admits no column here.
    pub fn eval_aggregated(&self, aggregated: Option<&[u8]>) -> CqlResult<Option<Vec<u8>>> {
        self.eval_in(None, aggregated)
    }

    fn eval_in(
        &self,
        row: Option<&CqlRow>,
        aggregated: Option<&[u8]>,
    ) -> CqlResult<Option<Vec<u8>>> {
        Ok(match self {
            Expr::Aggregated => aggregated.map(<[u8]>::to_vec),
            Expr::Column(i) => row.and_then(|r| r.values[*i].value.clone()),
            Expr::WriteTime(i) => {
                row.and_then(|r| r.values[*i].timestamp.map(|t| t.to_be_bytes().to_vec()))
            }
            Expr::Ttl(i) => row.and_then(|r| {
                r.values[*i]
                    .ttl
                    .map(|t| i32::try_from(t).unwrap_or(i32::MAX).to_be_bytes().to_vec())
            }),
            Expr::Const(v) => v.clone(),
            Expr::Call(f, args) => {
                let vals = args
                    .iter()
                    .map(|a| a.eval_in(row, aggregated))
                    .collect::<CqlResult<Vec<_>>>()?;
                let refs: Vec<Option<&[u8]>> = vals.iter().map(Option::as_deref).collect();
                f.apply(&refs)?
            }
            Expr::Field(inner, n) => {
                let Some(v) = inner.eval_in(row, aggregated)? else {
                    return Ok(None);
                };
                let fields = crate::types::codec::read_fields(&v, usize::MAX, "user type")?;
                fields.get(*n).copied().flatten().map(<[u8]>::to_vec)
            }
            Expr::Element(e) => match e.inner.eval_in(row, aggregated)? {
                Some(v) => e.element(&v)?,
                None => None,
            },
            Expr::Slice(e) => match e.inner.eval_in(row, aggregated)? {
                Some(v) => e.slice(&v)?,
                None => None,
            },
        })
    }

    /// The columns the expression reads, added to `out`.
    pub fn columns(&self, out: &mut Vec<usize>) {
        match self {
            Expr::Column(i) | Expr::WriteTime(i) | Expr::Ttl(i) => out.push(*i),
            Expr::Const(_) | Expr::Aggregated => {}
            Expr::Call(_, args) => args.iter().for_each(|a| a.columns(out)),
            Expr::Field(inner, _) => inner.columns(out),
            Expr::Element(e) | Expr::Slice(e) => e.inner.columns(out),
        }
    }
}

/// Rejects `writetime()`/`ttl()` of a key column or a multi-cell column
/// (`C*: cql3/selection/Selectable.java` `WritetimeOrTTL.newSelectorFactory`).
pub fn check_write_time_or_ttl(table: &TableMeta, i: usize, write_time: bool) -> CqlResult<()> {
    let fname = if write_time { "writeTime" } else { "ttl" };
    let col = &table.columns[i];
    if col.kind.is_primary_key() {
        return Err(invalid(format!(
            "Cannot use selection function {fname} on PRIMARY KEY part {}",
            col.name
        )));
    }
    if col.ty.is_multi_cell() {
        let what = if matches!(col.ty, CqlType::Udt(_)) {
            "UDT"
        } else {
            "collection"
        };
        return Err(invalid(format!(
            "Cannot use selection function {fname} on non-frozen {what} {}",
            col.name
        )));
    }
    Ok(())
}

/// A planned selector: the expression, its result column name and type.
#[derive(Debug, Clone)]
pub struct Planned {
    /// The expression.
    pub expr: Expr,
    /// The result column name.
    pub name: String,
    /// The result type.
    pub ty: CqlType,
}

/// Plans selector expressions of one selection; `defs` are the columns selected so far in
/// order (`Selection`'s `defs`, which one CAST message names).
pub struct Planner<'a> {
    /// The table.
    pub table: &'a TableMeta,
    /// Columns read so far, in order of first use.
    pub defs: Vec<usize>,
    /// The aggregate met inside the selector being planned (`todate(min(c))`), which
    /// its [`Expr::Aggregated`] stands for.
    pub aggregate: Option<crate::exec::select::plan::Sel>,
}

/// Functions Cassandra 4.1 has that this planner leaves to others (`token`) or does not
/// implement (`floor`, the `TimeFcts` grouping functions).
const ELSEWHERE: &[&str] = &["token", "floor"];

fn cannot_infer(text: &str) -> CqlError {
    invalid(format!(
        "Cannot infer type for term {text} in selection clause (try using a cast to force a type)"
    ))
}

/// A selector that is a term (or a collection literal of terms) as a [`Term`].
pub(super) fn as_term(e: &SelectorExpr) -> Option<Term> {
    let all = |items: &[SelectorExpr]| items.iter().map(as_term).collect::<Option<Vec<_>>>();
    Some(match e {
        SelectorExpr::Term(t) => t.clone(),
        SelectorExpr::List(items) => Term::List(all(items)?),
        SelectorExpr::Set(items) => Term::Set(all(items)?),
        SelectorExpr::Tuple(items) => Term::Tuple(all(items)?),
        SelectorExpr::Map(entries) => Term::Map(
            entries
                .iter()
                .map(|(k, v)| Some((as_term(k)?, as_term(v)?)))
                .collect::<Option<Vec<_>>>()?,
        ),
        _ => return None,
    })
}

impl Planner<'_> {
    fn column(&mut self, name: &str) -> CqlResult<usize> {
        let i = self
            .table
            .columns
            .iter()
            .position(|c| c.name == name)
            .ok_or_else(|| {
                invalid(format!(
                    "Undefined column name {name} in table {}.{}",
                    self.table.keyspace, self.table.name
                ))
            })?;
        if !self.defs.contains(&i) {
            self.defs.push(i);
        }
        Ok(i)
    }

    /// Plans `e`; `expected` is the type its receiver wants (a function parameter or a
    /// type hint), which types literals.
    pub fn plan(&mut self, e: &SelectorExpr, expected: Option<&CqlType>) -> CqlResult<Planned> {
        match e {
            SelectorExpr::Column(c) => {
                let i = self.column(c.as_str())?;
                Ok(Planned {
                    expr: Expr::Column(i),
                    name: c.as_str().to_owned(),
                    ty: self.table.columns[i].ty.clone(),
                })
            }
            SelectorExpr::WriteTime(c) | SelectorExpr::Ttl(c) => {
                let write_time = matches!(e, SelectorExpr::WriteTime(_));
                let i = self.column(c.as_str())?;
                check_write_time_or_ttl(self.table, i, write_time)?;
                Ok(if write_time {
                    Planned {
                        expr: Expr::WriteTime(i),
                        name: format!("writetime({})", c.as_str()),
                        ty: CqlType::Bigint,
                    }
                } else {
                    Planned {
                        expr: Expr::Ttl(i),
                        name: format!("ttl({})", c.as_str()),
                        ty: CqlType::Int,
                    }
                })
            }
            SelectorExpr::CountAll => self.aggregate_arg(AggregateFn::Count, None),
            SelectorExpr::Function { name, args } => self.call(name, args),
            SelectorExpr::Cast { expr, ty } => self.cast(expr, crate::schema::typeres::native(*ty)),
            SelectorExpr::Field { expr, field } => {
                let inner = self.plan(expr, None)?;
                let CqlType::Udt(u) = inner.ty.unfrozen() else {
                    return Err(invalid(format!(
                        "Invalid field selection: {} of type {} is not a user type",
                        inner.name, inner.ty
                    )));
                };
                let Some(n) = u.fields.iter().position(|(f, _)| f == field.as_str()) else {
                    return Err(invalid(format!(
                        "{} of type {} has no field {}",
                        inner.name,
                        inner.ty,
                        field.as_str()
                    )));
                };
                let ty = u.fields[n].1.clone();
                Ok(Planned {
                    expr: Expr::Field(Box::new(inner.expr), n),
                    name: format!("{}.{}", inner.name, field.as_str()),
                    ty,
                })
            }
            SelectorExpr::TypeHint { ty, expr } => self.type_hint(ty, expr),
            SelectorExpr::Arithmetic { op, left, right } => {
                self.arithmetic(*op, left, right, expected)
            }
            SelectorExpr::Negate(inner) => self.negation(inner, expected),
            // `(a + b)`: the operation, named with its parentheses.
            SelectorExpr::Tuple(items)
                if items.len() == 1
                    && matches!(
                        items[0],
                        SelectorExpr::Arithmetic { .. } | SelectorExpr::Negate(_)
                    ) =>
            {
                let p = self.plan(&items[0], expected)?;
                Ok(Planned {
                    name: format!("({})", p.name),
                    ..p
                })
            }
            SelectorExpr::Element { expr, key } => self.elements(expr, Some(key), None, None),
            SelectorExpr::Slice { expr, from, to } => {
                // A slice has the collection's type, so the expected type passes through.
                self.elements(expr, from.as_ref(), to.as_ref(), Some(expected))
            }
            _ => match as_term(e) {
                Some(t) => self.term(&t, expected),
                None => Err(CqlError::unsupported("This selector")),
            },
        }
    }

    /// `Selectable.WithTerm`: a literal takes the type its receiver expects.
    pub(super) fn term(&mut self, t: &Term, expected: Option<&CqlType>) -> CqlResult<Planned> {
        let text = term_text(t);
        let Some(ty) = expected else {
            return Err(cannot_infer(&text));
        };
        if contains_marker(t) {
            return Err(CqlError::unsupported("A bind marker in a selection"));
        }
        if super::resolve::term_fit(t, ty) == Fit::Not {
            return Err(invalid(format!("{text} is not of the expected type: {ty}")));
        }
        let v = crate::exec::term::eval(t, ty, "[selection]", &[])?;
        Ok(Planned {
            expr: Expr::Const(v.bytes().map(<[u8]>::to_vec)),
            name: text,
            ty: ty.clone(),
        })
    }

    /// `Selectable.WithTypeHint`: `(type)selector` has the hinted type when the selector
    /// can be assigned to it, and shows as `(type)name`.
    fn type_hint(
        &mut self,
        ty: &cassmodel_cql::ast::TypeExpr,
        expr: &SelectorExpr,
    ) -> CqlResult<Planned> {
        let type_name = crate::schema::typeres::raw_to_string(ty);
        let hinted = crate::schema::typeres::resolve(
            &self.table.keyspace,
            &crate::schema::typeres::UserTypes::new(),
            ty,
        )
        .map_err(|_| CqlError::unsupported("A type hint naming a user type in a selection"))?;
        let hinted = crate::schema::typeres::freeze(hinted);
        let fit = match as_term(expr) {
            Some(t) => super::resolve::term_fit(&t, &hinted),
            None => {
                let mut probe = Planner {
                    table: self.table,
                    defs: Vec::new(),
                    aggregate: None,
                };
                let inner = probe.plan(expr, Some(&hinted))?;
                super::resolve::type_fit(&inner.ty, &hinted)
            }
        };
        if fit == Fit::Not {
            let this = format!("({type_name}){}", self.text_of(expr));
            return Err(invalid(format!(
                "Cannot assign value {this} to {this} of type {hinted}"
            )));
        }
        let inner = self.plan(expr, Some(&hinted))?;
        Ok(Planned {
            expr: inner.expr,
            name: format!("({type_name}){}", inner.name),
            ty: hinted,
        })
    }

    /// The text of a selector for a message, without planning it.
    fn text_of(&self, e: &SelectorExpr) -> String {
        match as_term(e) {
            Some(t) => term_text(&t),
            None => e.to_string(),
        }
    }

    /// `toJson(x)`: one argument of any type, text result (`ToJsonFct.getInstance`).
    fn plan_to_json(&mut self, args: &[SelectorExpr]) -> CqlResult<Planned> {
        let [arg] = args else {
            return Err(invalid(format!(
                "toJson() only accepts one argument (got {})",
                args.len()
            )));
        };
        let p = self.plan(arg, None)?;
        Ok(Planned {
            expr: Expr::Call(Native::ToJson(p.ty), vec![p.expr]),
            name: format!("system.tojson({})", p.name),
            ty: CqlType::Text,
        })
    }

    /// `Selectable.WithFunction.Raw.prepare`: the overload the arguments select
    /// (`FunctionResolver.get`), then the arguments typed by its parameters.
    fn call(
        &mut self,
        name: &cassmodel_cql::ast::FunctionName,
        args: &[SelectorExpr],
    ) -> CqlResult<Planned> {
        let f = name.name.as_str();
        let called = name.to_string();
        let native_ks = name
            .keyspace
            .as_ref()
            .is_none_or(|k| k.as_str() == "system");
        if native_ks && ELSEWHERE.contains(&f) {
            return Err(CqlError::unsupported(format!(
                "Function {f} in this position of a selection"
            )));
        }
        if let (true, Some(agg)) = (native_ks, AggregateFn::from_name(f)) {
            return match args {
                [SelectorExpr::Column(c)] => self.aggregate_arg(agg, Some(c.as_str())),
                // `count(1)` counts rows as `count(*)` does.
                [SelectorExpr::Term(Term::Literal(_))] if agg == AggregateFn::Count => {
                    self.aggregate_arg(agg, None)
                }
                _ => Err(CqlError::unsupported(format!("This {f}() argument"))),
            };
        }
        if native_ks && f == "tojson" {
            return self.plan_to_json(args);
        }
        // FunctionResolver.get: fromJson() needs a receiver type, which a selection lacks.
        if native_ks && f == "fromjson" {
            return Err(invalid(
                "fromJson() cannot be used in the selection clause of a SELECT statement",
            ));
        }
        let cands = if native_ks { overloads(f) } else { Vec::new() };
        if cands.is_empty() {
            return Err(invalid(format!("Unknown function '{called}'")));
        }
        let terms: Vec<Option<Term>> = args.iter().map(as_term).collect();
        let mut typed: Vec<Option<Planned>> = Vec::with_capacity(args.len());
        for (a, t) in args.iter().zip(&terms) {
            typed.push(if t.is_some() {
                None
            } else {
                Some(self.plan(a, None)?)
            });
        }
        let infos: Vec<Arg<'_>> = typed
            .iter()
            .zip(&terms)
            .map(|(p, t)| match (p, t) {
                (Some(p), _) => Arg::Typed(p.ty.clone(), p.name.clone()),
                (None, Some(t)) => Arg::Term(t),
                (None, None) => Arg::Typed(CqlType::Blob, String::new()),
            })
            .collect();
        let o = pick(f, &called, cands, &infos)?;
        let mut exprs = Vec::with_capacity(args.len());
        let mut names = Vec::with_capacity(args.len());
        for ((p, t), param) in typed.into_iter().zip(&terms).zip(&o.args) {
            let p = match (p, t) {
                (Some(p), _) => p,
                (None, Some(t)) => self.term(t, Some(param))?,
                (None, None) => return Err(CqlError::unsupported("This selector")),
            };
            exprs.push(p.expr);
            names.push(p.name);
        }
        Ok(Planned {
            expr: Expr::Call(o.native, exprs),
            name: format!("system.{f}({})", names.join(", ")),
            ty: o.result,
        })
    }

    /// An aggregate inside another selector (`todate(min(c))`): Cassandra's function
    /// selectors take aggregate selectors as arguments and apply once the group is done
    /// (`C*: cql3/selection/AbstractFunctionSelector.java` `isAggregateSelectorFactory`).
    /// `column` `None` is `count(*)`. One aggregate per selector is supported here.
    fn aggregate_arg(&mut self, f: AggregateFn, column: Option<&str>) -> CqlResult<Planned> {
        if self.aggregate.is_some() {
            return Err(CqlError::unsupported(
                "More than one aggregate within one selector",
            ));
        }
        let (sel, name, ty) = match column {
            None => (
                crate::exec::select::plan::Sel::CountAll,
                "count".to_owned(),
                CqlType::Bigint,
            ),
            Some(c) => {
                let i = self.column(c)?;
                (
                    crate::exec::select::plan::Sel::Aggregate(f, i),
                    format!("system.{}({c})", f.name()),
                    f.result_type(&self.table.columns[i].ty)?,
                )
            }
        };
        self.aggregate = Some(sel);
        Ok(Planned {
            expr: Expr::Aggregated,
            name,
            ty,
        })
    }

    /// `Selectable.WithCast`: a cast to the value's own type is the value itself (same
    /// name); otherwise the `castAs<Type>` overload of the argument's type.
    fn cast(&mut self, expr: &SelectorExpr, to: CqlType) -> CqlResult<Planned> {
        let inner = self.plan(expr, None)?;
        if *inner.ty.unfrozen() == to {
            return Ok(inner);
        }
        let cands = cast::overloads(&to);
        if cands.is_empty() {
            // Cassandra names the first column of the selection here (`defs.get(0)`).
            let first = self.defs.first().map_or_else(
                || inner.name.clone(),
                |i| self.table.columns[*i].name.clone(),
            );
            return Err(invalid(format!("{first} cannot be cast to {to}")));
        }
        let f = cast::function_name(&to);
        let o = pick(
            &f,
            &format!("system.{f}"),
            cands,
            &[Arg::Typed(inner.ty.clone(), inner.name.clone())],
        )?;
        Ok(Planned {
            expr: Expr::Call(o.native, vec![inner.expr]),
            name: format!("cast({} as {to})", inner.name),
            ty: to,
        })
    }
}

pub(super) fn contains_marker(t: &Term) -> bool {
    match t {
        Term::Marker(_) => true,
        Term::List(items) | Term::Set(items) | Term::Tuple(items) => {
            items.iter().any(contains_marker)
        }
        Term::Map(entries) => entries
            .iter()
            .any(|(k, v)| contains_marker(k) || contains_marker(v)),
        Term::Udt(fields) => fields.iter().any(|(_, v)| contains_marker(v)),
        Term::FunctionCall { args, .. } => args.iter().any(contains_marker),
        Term::TypeHint { term, .. } | Term::Negate(term) => contains_marker(term),
        Term::Arithmetic { left, right, .. } => contains_marker(left) || contains_marker(right),
        Term::Literal(_) | Term::Null => false,
    }
}
