//! The `BigDecimal` arithmetic of `C*: db/marshal/DecimalType.java` (4.1): exact addition,
//! subtraction and multiplication (`MathContext(10000)` never rounds the values CQL holds),
//! division at a predicted scale rounded `HALF_UP` then stripped of trailing zeros, and
//! `BigDecimal.remainder`.

use num_bigint::{BigInt, Sign};

/// `DecimalType.MIN_SCALE` (also `MIN_SIGNIFICANT_DIGITS`).
const MIN_SCALE: i64 = 32;
/// `DecimalType.MAX_SCALE`.
const MAX_SCALE: i64 = 1000;

/// A decimal `unscaled × 10^-scale`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dec {
    /// The unscaled value.
    pub unscaled: BigInt,
    /// The scale.
    pub scale: i32,
}

fn pow10(n: u32) -> BigInt {
    BigInt::from(10).pow(n)
}

impl Dec {
    /// An integer (scale 0).
    pub fn from_big(v: BigInt) -> Dec {
        Dec {
            unscaled: v,
            scale: 0,
        }
    }

    /// `BigDecimal.valueOf(double)`: the digits of Java's `Double.toString`, which has at
    /// least one fractional digit and switches to `E` notation outside `[1e-3, 1e7)`.
    pub fn from_f64(v: f64) -> Result<Dec, String> {
        // FloatType/DoubleType.toBigDecimal refuse what BigDecimal cannot hold.
        if v.is_nan() {
            return Err("A NaN cannot be converted into a decimal".to_owned());
        }
        if v.is_infinite() {
            return Err("An infinite number cannot be converted into a decimal".to_owned());
        }
        if v == 0.0 {
            // "0.0": unscaled 0, scale 1.
            return Ok(Dec {
                unscaled: BigInt::from(0),
                scale: 1,
            });
        }
        let sci = format!("{:e}", v.abs());
        let (mant, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
        let exp: i64 = exp.parse().unwrap_or(0);
        let digits: String = mant.chars().filter(char::is_ascii_digit).collect();
        let n = digits.len() as i64;
        let plain = (1e-3..1e7).contains(&v.abs());
        // Fractional digits Java prints: at least one.
        let scale = if plain {
            (n - 1 - exp).max(1)
        } else {
            (n - 1).max(1) - exp
        };
        // unscaled = digits × 10^(scale - (n - 1 - exp))
        let pad = scale - (n - 1 - exp);
        let mut unscaled: BigInt = digits.parse().unwrap_or_default();
        if pad > 0 {
            unscaled *= pow10(pad as u32);
        }
        if v < 0.0 {
            unscaled = -unscaled;
        }
        Ok(Dec {
            unscaled,
            scale: scale as i32,
        })
    }

    /// The value at a scale at least its own.
    fn at_scale(&self, scale: i64) -> BigInt {
        let up = scale - i64::from(self.scale);
        if up > 0 {
            &self.unscaled * pow10(up as u32)
        } else {
            self.unscaled.clone()
        }
    }

    /// `BigDecimal.negate`.
    pub fn neg(&self) -> Dec {
        Dec {
            unscaled: -&self.unscaled,
            scale: self.scale,
        }
    }

    /// `BigDecimal.add`: exact, at the larger scale.
    pub fn add(&self, o: &Dec) -> Dec {
        let s = i64::from(self.scale.max(o.scale));
        Dec {
            unscaled: self.at_scale(s) + o.at_scale(s),
            scale: s as i32,
        }
    }

    /// `BigDecimal.multiply`: exact, scales added.
    pub fn mul(&self, o: &Dec) -> Dec {
        Dec {
            unscaled: &self.unscaled * &o.unscaled,
            scale: self.scale.saturating_add(o.scale),
        }
    }

    /// `BigDecimal.precision`: the number of digits of the unscaled value (1 for zero).
    fn precision(&self) -> i64 {
        if self.unscaled.sign() == Sign::NoSign {
            1
        } else {
            self.unscaled.magnitude().to_str_radix(10).len() as i64
        }
    }

    /// `DecimalType.divide`: the quotient at a scale predicted from the operands (at least
    /// 32 significant digits, at least either operand's scale, at most 1000), rounded
    /// `HALF_UP`, with trailing zeros stripped.
    pub fn div(&self, o: &Dec) -> Result<Dec, String> {
        if o.unscaled.sign() == Sign::NoSign {
            return Err("BigInteger divide by zero".to_owned());
        }
        let (s1, s2) = (i64::from(self.scale), i64::from(o.scale));
        let first = (self.precision() - s1) - (o.precision() - s2);
        let scale = (MIN_SCALE - first)
            .max(s1)
            .max(s2)
            .clamp(MIN_SCALE, MAX_SCALE);
        // self / o = (u1 / u2) × 10^(s2 - s1); wanted: q × 10^-scale.
        let shift = scale - s1 + s2;
        let (mut num, mut den) = (self.unscaled.clone(), o.unscaled.clone());
        if shift >= 0 {
            num *= pow10(shift as u32);
        } else {
            den *= pow10((-shift) as u32);
        }
        let q = round_half_up(&num, &den);
        Ok(strip(Dec {
            unscaled: q,
            scale: scale as i32,
        }))
    }

    /// `BigDecimal.remainder`: `self - trunc(self / o) × o`, at the larger scale.
    pub fn rem(&self, o: &Dec) -> Result<Dec, String> {
        if o.unscaled.sign() == Sign::NoSign {
            return Err(if self.unscaled.sign() == Sign::NoSign {
                "Division undefined".to_owned()
            } else {
                "Division by zero".to_owned()
            });
        }
        let s = i64::from(self.scale.max(o.scale));
        Ok(Dec {
            unscaled: self.at_scale(s) % o.at_scale(s),
            scale: s as i32,
        })
    }
}

/// `num / den` rounded half away from zero.
fn round_half_up(num: &BigInt, den: &BigInt) -> BigInt {
    let q = num / den;
    let r = num % den;
    if r.magnitude() * 2u32 >= *den.magnitude() {
        let away = if (num.sign() == Sign::Minus) != (den.sign() == Sign::Minus) {
            BigInt::from(-1)
        } else {
            BigInt::from(1)
        };
        q + away
    } else {
        q
    }
}

/// `BigDecimal.stripTrailingZeros` (zero becomes `0` at scale 0).
fn strip(mut d: Dec) -> Dec {
    if d.unscaled.sign() == Sign::NoSign {
        return Dec::from_big(BigInt::from(0));
    }
    let ten = BigInt::from(10);
    while (&d.unscaled % &ten).sign() == Sign::NoSign {
        d.unscaled /= &ten;
        d.scale -= 1;
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(u: i64, s: i32) -> Dec {
        Dec {
            unscaled: BigInt::from(u),
            scale: s,
        }
    }

    #[test]
    fn doubles_take_java_to_string_digits() {
        assert_eq!(Dec::from_f64(2.5), Ok(dec(25, 1)));
        assert_eq!(Dec::from_f64(3.0), Ok(dec(30, 1)));
        assert_eq!(Dec::from_f64(1e7), Ok(dec(10, -6)));
        assert_eq!(Dec::from_f64(-0.0001), Ok(dec(-10, 5)));
    }

    #[test]
    fn division_rounds_half_up_and_strips_zeros() {
        assert_eq!(dec(10, 0).div(&dec(4, 0)), Ok(dec(25, 1)));
        let third = dec(1, 0).div(&dec(3, 0)).expect("divides");
        assert_eq!(third.scale, 32);
        let two_thirds = dec(2, 0).div(&dec(3, 0)).expect("divides");
        assert!(two_thirds.unscaled.to_string().ends_with('7'));
        assert!(dec(1, 0).div(&dec(0, 2)).is_err());
    }

    #[test]
    fn remainder_keeps_the_larger_scale() {
        assert_eq!(dec(75, 1).rem(&dec(2, 0)), Ok(dec(15, 1)));
        assert_eq!(dec(-7, 0).rem(&dec(2, 0)), Ok(dec(-1, 0)));
    }
}
