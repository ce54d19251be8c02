//! CQL arithmetic operators (`+ - * / %` and unary minus), shared by selectors and terms.
//!
//! Cassandra 4.1 declares them as native functions `_add`, `_substract`, `_multiply`,
//! `_divide`, `_modulo` and `_negate` (`C*: cql3/functions/OperationFcts.java`): one overload
//! per pair of numeric types (tinyint, smallint, int, bigint, float, double, decimal, varint,
//! counter), whose result is the "wider" of the two (`OperationFcts.returnType`: floating
//! point if either side is, of the larger fixed size, a counter counting as a bigint, and
//! decimal/varint past 8 bytes), plus `timestamp ± duration` and `date ± duration`.
//! The arithmetic itself follows `C*: db/marshal/NumberType.java` and its subclasses
//! (`ByteType`, `ShortType`, `Int32Type`, `LongType`: Java's wrapping integer arithmetic;
//! `FloatType`, `DoubleType`: IEEE; `IntegerType`: `BigInteger`; `DecimalType`: `BigDecimal`)
//! and `TemporalType.addDuration`/`substractDuration` with `cql3/Duration.addTo`; `+` also
//! concatenates text and ascii values.

use cassmodel_cql::ast::ArithOp;
use num_bigint::{BigInt, Sign};

use crate::error::{CqlError, CqlResult};
use crate::types::CqlType;
use crate::types::value::Value;

mod decimal;
pub mod resolve;
mod time;

pub use decimal::Dec;

/// The function name Cassandra gives an operator (`OperationFcts.OPERATION`).
pub fn function_name(op: ArithOp) -> &'static str {
    match op {
        ArithOp::Add => "_add",
        ArithOp::Sub => "_substract",
        ArithOp::Mul => "_multiply",
        ArithOp::Div => "_divide",
        ArithOp::Rem => "_modulo",
    }
}

/// The operator's symbol.
pub fn symbol(op: ArithOp) -> char {
    match op {
        ArithOp::Add => '+',
        ArithOp::Sub => '-',
        ArithOp::Mul => '*',
        ArithOp::Div => '/',
        ArithOp::Rem => '%',
    }
}

/// The numeric types, in `OperationFcts.all()` declaration order.
pub const NUMERIC: [CqlType; 9] = [
    CqlType::Tinyint,
    CqlType::Smallint,
    CqlType::Int,
    CqlType::Bigint,
    CqlType::Float,
    CqlType::Double,
    CqlType::Decimal,
    CqlType::Varint,
    CqlType::Counter,
];

/// `NumberType.valueLengthIfFixed`, a counter counting as a bigint, `None` for unbounded.
fn size(t: &CqlType) -> Option<u8> {
    match t {
        CqlType::Tinyint => Some(1),
        CqlType::Smallint => Some(2),
        CqlType::Int | CqlType::Float => Some(4),
        CqlType::Bigint | CqlType::Double | CqlType::Counter => Some(8),
        _ => None,
    }
}

/// `OperationFcts.returnType`.
pub fn numeric_result(l: &CqlType, r: &CqlType) -> CqlType {
    let floating = |t: &CqlType| matches!(t, CqlType::Float | CqlType::Double | CqlType::Decimal);
    let size = match (size(l), size(r)) {
        (Some(a), Some(b)) => Some(a.max(b)),
        _ => None,
    };
    match (floating(l) || floating(r), size) {
        (true, Some(4)) => CqlType::Float,
        (true, Some(8)) => CqlType::Double,
        (true, _) => CqlType::Decimal,
        (false, Some(1)) => CqlType::Tinyint,
        (false, Some(2)) => CqlType::Smallint,
        (false, Some(4)) => CqlType::Int,
        (false, Some(8)) => CqlType::Bigint,
        (false, _) => CqlType::Varint,
    }
}

/// One overload of an operator: its operand types and result type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpSig {
    /// The operator.
    pub op: ArithOp,
    /// Left operand type.
    pub left: CqlType,
    /// Right operand type.
    pub right: CqlType,
    /// Result type.
    pub result: CqlType,
}

/// Every overload of `op`, in declaration order (`OperationFcts.all`).
pub fn overloads(op: ArithOp) -> Vec<OpSig> {
    let mut out = Vec::with_capacity(83);
    for l in &NUMERIC {
        for r in &NUMERIC {
            out.push(OpSig {
                op,
                left: l.clone(),
                right: r.clone(),
                result: numeric_result(l, r),
            });
        }
    }
    if matches!(op, ArithOp::Add | ArithOp::Sub) {
        for t in [CqlType::Timestamp, CqlType::Date] {
            out.push(OpSig {
                op,
                left: t.clone(),
                right: CqlType::Duration,
                result: t,
            });
        }
    }
    if op == ArithOp::Add {
        // `OperationFcts.addStringConcatenations` (CASSANDRA-17190, 4.1): text or ascii
        // operands, ascii only when both are.
        use CqlType::{Ascii, Text};
        for (left, right, result) in [
            (Text, Text, Text),
            (Ascii, Ascii, Ascii),
            (Ascii, Text, Text),
            (Text, Ascii, Text),
        ] {
            out.push(OpSig {
                op,
                left,
                right,
                result,
            });
        }
    }
    out
}

/// A numeric operand, decoded.
enum Num {
    Int(i64),
    Float(f32),
    Double(f64),
    Big(BigInt),
    Dec(Dec),
}

fn decode(ty: &CqlType, b: &[u8]) -> CqlResult<Num> {
    Ok(match crate::types::codec::deserialize(ty, b)? {
        Value::Tinyint(v) => Num::Int(v.into()),
        Value::Smallint(v) => Num::Int(v.into()),
        Value::Int(v) => Num::Int(v.into()),
        Value::Bigint(v) | Value::Counter(v) => Num::Int(v),
        Value::Float(v) => Num::Float(v),
        Value::Double(v) => Num::Double(v),
        Value::Varint(v) => Num::Big(v),
        Value::Decimal { unscaled, scale } => Num::Dec(Dec { unscaled, scale }),
        _ => return Err(CqlError::invalid(format!("{ty} is not a numeric type"))),
    })
}

impl Num {
    /// `NumberType.toInt`/`toLong` (only called on integer types of at most 8 bytes).
    fn long(&self) -> i64 {
        match self {
            Num::Int(v) => *v,
            _ => 0,
        }
    }

    /// `toFloat`: an `int` widened as Java does.
    fn float(&self) -> f32 {
        match self {
            Num::Int(v) => *v as f32,
            Num::Float(v) => *v,
            Num::Double(v) => *v as f32,
            _ => 0.0,
        }
    }

    /// `toDouble`.
    fn double(&self) -> f64 {
        match self {
            Num::Int(v) => *v as f64,
            Num::Float(v) => f64::from(*v),
            Num::Double(v) => *v,
            _ => 0.0,
        }
    }

    /// `toBigInteger`.
    fn big(&self) -> BigInt {
        match self {
            Num::Big(v) => v.clone(),
            other => BigInt::from(other.long()),
        }
    }

    /// `toBigDecimal`: `BigDecimal.valueOf` of a double (its `Double.toString` digits).
    fn dec(&self) -> Result<Dec, String> {
        match self {
            Num::Int(v) => Ok(Dec::from_big(BigInt::from(*v))),
            Num::Big(v) => Ok(Dec::from_big(v.clone())),
            Num::Dec(d) => Ok(d.clone()),
            Num::Float(_) | Num::Double(_) => Dec::from_f64(self.double()),
        }
    }
}

/// Java's `ArithmeticException` for integer division by zero.
const DIV_ZERO: &str = "/ by zero";

/// Applies `sig` to two non-empty operand values. Errors are Cassandra's
/// `OperationExecutionException` (FUNCTION_FAILURE), `the operation 'int / int' failed: ...`.
pub fn apply(sig: &OpSig, l: &[u8], r: &[u8]) -> CqlResult<Vec<u8>> {
    let fail = |msg: String| {
        let (lt, rt) = (sig.left.to_string(), sig.right.to_string());
        CqlError::function_failure(
            "system",
            function_name(sig.op),
            &[&lt, &rt],
            format!("the operation '{lt} {} {rt}' failed: {msg}", symbol(sig.op)),
        )
    };
    if matches!(sig.left, CqlType::Timestamp | CqlType::Date) {
        return time::apply(sig, l, r).map_err(fail);
    }
    if matches!(sig.left, CqlType::Text | CqlType::Ascii) {
        // StringOperationFunction: `resultType.decompose(left + right)`.
        return Ok([l, r].concat());
    }
    let (a, b) = (decode(&sig.left, l)?, decode(&sig.right, r)?);
    let op = sig.op;
    let int_op = |x: i64, y: i64| -> Result<i64, String> {
        Ok(match op {
            ArithOp::Add => x.wrapping_add(y),
            ArithOp::Sub => x.wrapping_sub(y),
            ArithOp::Mul => x.wrapping_mul(y),
            ArithOp::Div if y == 0 => return Err(DIV_ZERO.to_owned()),
            ArithOp::Div => x.wrapping_div(y),
            ArithOp::Rem if y == 0 => return Err(DIV_ZERO.to_owned()),
            ArithOp::Rem => x.wrapping_rem(y),
        })
    };
    let out = match &sig.result {
        // ByteType/ShortType/Int32Type compute on Java ints, then narrow.
        CqlType::Tinyint | CqlType::Smallint | CqlType::Int => {
            let v = int_op_i32(op, a.long() as i32, b.long() as i32)
                .ok_or_else(|| fail(DIV_ZERO.to_owned()))?;
            match sig.result {
                CqlType::Tinyint => Value::Tinyint(v as i8),
                CqlType::Smallint => Value::Smallint(v as i16),
                _ => Value::Int(v),
            }
        }
        CqlType::Bigint => Value::Bigint(int_op(a.long(), b.long()).map_err(fail)?),
        CqlType::Float => {
            let (x, y) = (a.float(), b.float());
            Value::Float(match op {
                ArithOp::Add => x + y,
                ArithOp::Sub => x - y,
                ArithOp::Mul => x * y,
                ArithOp::Div => x / y,
                ArithOp::Rem => x % y,
            })
        }
        CqlType::Double => {
            let (x, y) = (a.double(), b.double());
            Value::Double(match op {
                ArithOp::Add => x + y,
                ArithOp::Sub => x - y,
                ArithOp::Mul => x * y,
                ArithOp::Div => x / y,
                ArithOp::Rem => x % y,
            })
        }
        CqlType::Varint => {
            let (x, y) = (a.big(), b.big());
            let zero = y.sign() == Sign::NoSign;
            Value::Varint(match op {
                ArithOp::Add => x + y,
                ArithOp::Sub => x - y,
                ArithOp::Mul => x * y,
                // IntegerType: BigInteger.divide / remainder.
                ArithOp::Div | ArithOp::Rem if zero => {
                    return Err(fail("BigInteger divide by zero".to_owned()));
                }
                ArithOp::Div => x / y,
                ArithOp::Rem => x % y,
            })
        }
        _ => {
            let x = a.dec().map_err(fail)?;
            let y = b.dec().map_err(fail)?;
            let d = match op {
                ArithOp::Add => x.add(&y),
                ArithOp::Sub => x.add(&y.neg()),
                ArithOp::Mul => x.mul(&y),
                ArithOp::Div => x.div(&y).map_err(fail)?,
                ArithOp::Rem => x.rem(&y).map_err(fail)?,
            };
            Value::Decimal {
                unscaled: d.unscaled,
                scale: d.scale,
            }
        }
    };
    Ok(crate::types::codec::serialize(&out))
}

/// Java `int` arithmetic (for results of at most 4 bytes); `None` when dividing by zero.
fn int_op_i32(op: ArithOp, x: i32, y: i32) -> Option<i32> {
    Some(match op {
        ArithOp::Add => x.wrapping_add(y),
        ArithOp::Sub => x.wrapping_sub(y),
        ArithOp::Mul => x.wrapping_mul(y),
        ArithOp::Div => x.checked_div(y).or_else(|| (y == -1).then_some(x))?,
        ArithOp::Rem => x.checked_rem(y).or_else(|| (y == -1).then_some(0))?,
    })
}

/// `_negate` of a numeric value (`NumberType.negate`): integers wrap as Java's do.
pub fn negate(ty: &CqlType, b: &[u8]) -> CqlResult<Vec<u8>> {
    let v = match (ty, decode(ty, b)?) {
        (CqlType::Tinyint, Num::Int(v)) => Value::Tinyint((v as i8).wrapping_neg()),
        (CqlType::Smallint, Num::Int(v)) => Value::Smallint((v as i16).wrapping_neg()),
        (CqlType::Int, Num::Int(v)) => Value::Int((v as i32).wrapping_neg()),
        (CqlType::Counter, Num::Int(v)) => Value::Counter(v.wrapping_neg()),
        (_, Num::Int(v)) => Value::Bigint(v.wrapping_neg()),
        (_, Num::Float(v)) => Value::Float(-v),
        (_, Num::Double(v)) => Value::Double(-v),
        (_, Num::Big(v)) => Value::Varint(-v),
        (_, Num::Dec(d)) => {
            let d = d.neg();
            Value::Decimal {
                unscaled: d.unscaled,
                scale: d.scale,
            }
        }
    };
    Ok(crate::types::codec::serialize(&v))
}
