//! Moving model fields in and out of the driver's wire format.
//!
//! Generated code (and hand-written [`Model`] impls) use three small helpers:
//! * [`Binder`] walks the bind markers of a prepared statement in order and serializes one
//!   value per marker, checked against the marker's CQL type (a mismatch is an error, never
//!   garbage on the wire);
//! * [`ColumnChecker`] type-checks a result's columns against the model's fields, by name;
//! * [`RowReader`] reads a result row's columns by name.
//!
//! [`ModelRow`] adapts any [`Model`] to the driver's `DeserializeRow`, and [`Bind`] turns
//! a closure over a [`Binder`] into the driver's `SerializeRow`.

use crate::model::Model;
use scylla::deserialize::row::{ColumnIterator, DeserializeRow};
use scylla::deserialize::value::DeserializeValue;
use scylla::deserialize::{DeserializationError, TypeCheckError};
use scylla::frame::response::result::{ColumnSpec, ColumnType};
use scylla::serialize::SerializationError;
use scylla::serialize::row::{RowSerializationContext, SerializeRow};
use scylla::serialize::value::SerializeValue;
use scylla::serialize::writers::RowWriter;
use std::fmt;

/// What went wrong while binding values to a statement's markers.
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum BindError {
    /// More values than the statement has bind markers.
    #[error(
        "statement has {markers} bind marker(s) but a value was given for `{column}`; the model and its CQL disagree (is the derive up to date?)"
    )]
    TooManyValues {
        /// Number of bind markers of the statement.
        markers: usize,
        /// The column the extra value was meant for.
        column: String,
    },
    /// Fewer values than bind markers.
    #[error("statement has {markers} bind marker(s) but only {given} value(s) were bound")]
    TooFewValues {
        /// Number of bind markers of the statement.
        markers: usize,
        /// Number of values bound.
        given: usize,
    },
    /// The marker at this position is for another column.
    #[error(
        "bind marker {index} is for column `{marker}` but the value is for `{column}`; the model and its CQL disagree"
    )]
    WrongColumn {
        /// Position of the marker.
        index: usize,
        /// The marker's name as the server reported it.
        marker: String,
        /// The column the value was meant for.
        column: String,
    },
    /// A column the model does not have (a query table naming an unknown column: the
    /// derive and the runtime disagree).
    #[error("table `{table}` has no column `{column}`")]
    NoSuchColumn {
        /// The model's table.
        table: String,
        /// The column asked for.
        column: String,
    },
    /// The value could not be serialized as the marker's CQL type.
    #[error("cannot write `{column}` as CQL `{cql_type}`: {source}")]
    Value {
        /// The column (or marker) name.
        column: String,
        /// The CQL type the server expects.
        cql_type: String,
        /// The driver's error.
        source: SerializationError,
    },
}

/// The error of [`Model::bind_column`] for a column `table` lacks.
pub fn no_such_column(table: &cassmodel_schema::TableDef, column: &str) -> SerializationError {
    SerializationError::new(BindError::NoSuchColumn {
        table: table.name.to_string(),
        column: column.to_owned(),
    })
}

/// Binds values to the markers of a prepared statement, in order, with type checks.
pub struct Binder<'a, 'w> {
    specs: &'a [ColumnSpec<'a>],
    writer: &'a mut RowWriter<'w>,
    next: usize,
}

impl<'a, 'w> Binder<'a, 'w> {
    fn new(specs: &'a [ColumnSpec<'a>], writer: &'a mut RowWriter<'w>) -> Self {
        Binder {
            specs,
            writer,
            next: 0,
        }
    }

    /// Binds `value` to the next marker, which must be for column `column` (unquoted name).
    pub fn bind<T: SerializeValue + ?Sized>(
        &mut self,
        column: &str,
        value: &T,
    ) -> Result<(), SerializationError> {
        if let Some(spec) = self.specs.get(self.next)
            && spec.name() != column
        {
            return Err(SerializationError::new(BindError::WrongColumn {
                index: self.next,
                marker: spec.name().to_owned(),
                column: column.to_owned(),
            }));
        }
        self.bind_positional(column, value)
    }

    /// Binds `value` to the next marker whatever its name (`[ttl]`, `[limit]`, key values);
    /// `what` only names the value in error messages.
    pub fn bind_positional<T: SerializeValue + ?Sized>(
        &mut self,
        what: &str,
        value: &T,
    ) -> Result<(), SerializationError> {
        let Some(spec) = self.specs.get(self.next) else {
            return Err(SerializationError::new(BindError::TooManyValues {
                markers: self.specs.len(),
                column: what.to_owned(),
            }));
        };
        self.next += 1;
        value
            .serialize(spec.typ(), self.writer.make_cell_writer())
            .map(|_proof| ())
            .map_err(|source| {
                SerializationError::new(BindError::Value {
                    column: spec.name().to_owned(),
                    cql_type: cql_type_name(spec.typ()),
                    source,
                })
            })
    }

    fn finish(&self) -> Result<(), SerializationError> {
        if self.next == self.specs.len() {
            Ok(())
        } else {
            Err(SerializationError::new(BindError::TooFewValues {
                markers: self.specs.len(),
                given: self.next,
            }))
        }
    }
}

/// The values of a statement, produced by a closure over a [`Binder`]; implements the
/// driver's `SerializeRow`.
pub struct Bind<F>(pub F);

impl<F> Bind<F>
where
    F: Fn(&mut Binder<'_, '_>) -> Result<(), SerializationError>,
{
    /// Wraps `f` (this constructor gives the closure its higher-ranked signature).
    pub fn new(f: F) -> Self {
        Bind(f)
    }
}

impl<F> SerializeRow for Bind<F>
where
    F: Fn(&mut Binder<'_, '_>) -> Result<(), SerializationError>,
{
    fn serialize(
        &self,
        ctx: &RowSerializationContext<'_>,
        writer: &mut RowWriter,
    ) -> Result<(), SerializationError> {
        let mut binder = Binder::new(ctx.columns(), writer);
        (self.0)(&mut binder)?;
        binder.finish()
    }

    fn is_empty(&self) -> bool {
        false
    }
}

/// Key values (a tuple of the key columns' values, in key order) bound positionally.
///
/// Implemented for tuples of up to 8 `SerializeValue`s (owned or borrowed), and for
/// references to them: `("alice",)`, `(&name, 2024)`.
pub trait KeyValues {
    /// Number of values.
    const LEN: usize;

    /// Binds the values, in order, to the next markers.
    fn bind_keys(&self, binder: &mut Binder<'_, '_>) -> Result<(), SerializationError>;

    /// Binds the value at `index` (0-based) to the next marker, which must be for column
    /// `column`; used to copy a row's key into a query table's statements. The default
    /// knows no index.
    fn bind_one(
        &self,
        index: usize,
        column: &str,
        binder: &mut Binder<'_, '_>,
    ) -> Result<(), SerializationError> {
        let _ = (index, binder);
        Err(SerializationError::new(BindError::TooManyValues {
            markers: Self::LEN,
            column: column.to_owned(),
        }))
    }
}

impl<K: KeyValues + ?Sized> KeyValues for &K {
    const LEN: usize = K::LEN;
    fn bind_keys(&self, binder: &mut Binder<'_, '_>) -> Result<(), SerializationError> {
        (**self).bind_keys(binder)
    }
    fn bind_one(
        &self,
        index: usize,
        column: &str,
        binder: &mut Binder<'_, '_>,
    ) -> Result<(), SerializationError> {
        (**self).bind_one(index, column, binder)
    }
}

macro_rules! key_values_tuple {
    ($len:expr; $($t:ident $i:tt),+) => {
        impl<$($t: SerializeValue),+> KeyValues for ($($t,)+) {
            const LEN: usize = $len;
            fn bind_keys(&self, binder: &mut Binder<'_, '_>) -> Result<(), SerializationError> {
                $( binder.bind_positional("key", &self.$i)?; )+
                Ok(())
            }
            fn bind_one(
                &self,
                index: usize,
                column: &str,
                binder: &mut Binder<'_, '_>,
            ) -> Result<(), SerializationError> {
                match index {
                    $( $i => binder.bind(column, &self.$i), )+
                    _ => Err(SerializationError::new(BindError::TooManyValues {
                        markers: $len,
                        column: column.to_owned(),
                    })),
                }
            }
        }
    };
}

key_values_tuple!(1; A 0);
key_values_tuple!(2; A 0, B 1);
key_values_tuple!(3; A 0, B 1, C 2);
key_values_tuple!(4; A 0, B 1, C 2, D 3);
key_values_tuple!(5; A 0, B 1, C 2, D 3, E 4);
key_values_tuple!(6; A 0, B 1, C 2, D 3, E 4, F 5);
key_values_tuple!(7; A 0, B 1, C 2, D 3, E 4, F 5, G 6);
key_values_tuple!(8; A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7);

/// The model's columns do not match the live table's.
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum MismatchError {
    /// The result has no column of that name.
    #[error(
        "table `{table}` has no column `{column}` (the model has one); add it with `cassmodel migrate` or fix the model"
    )]
    MissingColumn {
        /// The model's table.
        table: String,
        /// The column the model expects.
        column: String,
    },
    /// The column exists with another CQL type.
    #[error(
        "column `{column}` of table `{table}` is `{cql_type}` in the database but the model's field is `{rust_type}`; change the field's type (or its `type = \"..\"`) to match, or migrate the table"
    )]
    WrongType {
        /// The model's table.
        table: String,
        /// The column.
        column: String,
        /// The live CQL type.
        cql_type: String,
        /// The field's Rust type.
        rust_type: &'static str,
        /// The driver's detailed reason.
        detail: TypeCheckError,
    },
}

/// Type-checks the columns of a result against a model's fields, by column name.
pub struct ColumnChecker<'a> {
    table: &'a str,
    specs: &'a [ColumnSpec<'a>],
}

impl<'a> ColumnChecker<'a> {
    /// A checker over `specs` for the model table `table` (used in messages).
    pub fn new(table: &'a str, specs: &'a [ColumnSpec<'a>]) -> Self {
        ColumnChecker { table, specs }
    }

    /// Checks that column `name` exists and that its CQL type deserializes into `T`.
    pub fn column<T>(&mut self, name: &str) -> Result<(), TypeCheckError>
    where
        T: for<'f, 'm> DeserializeValue<'f, 'm>,
    {
        let Some(spec) = self.specs.iter().find(|s| s.name() == name) else {
            return Err(TypeCheckError::new(MismatchError::MissingColumn {
                table: self.table.to_owned(),
                column: name.to_owned(),
            }));
        };
        <T as DeserializeValue<'_, '_>>::type_check(spec.typ()).map_err(|detail| {
            TypeCheckError::new(MismatchError::WrongType {
                table: self.table.to_owned(),
                column: name.to_owned(),
                cql_type: cql_type_name(spec.typ()),
                rust_type: std::any::type_name::<T>(),
                detail,
            })
        })
    }
}

/// A column the result row lacks (only possible if the type check was skipped).
#[derive(Debug, Clone, thiserror::Error)]
#[error("result row has no column `{column}`")]
pub struct MissingColumnError {
    /// The missing column.
    pub column: String,
}

/// Reads a result row's columns by name.
///
/// Allocation-free on the hot path: columns usually come in the model's order, so each
/// read first tries the column after the previous one; only a column out of order restarts
/// the search from the row's first column (the iterator is a cheap cursor over the frame).
pub struct RowReader<'f, 'm> {
    first: ColumnIterator<'f, 'm>,
    next: ColumnIterator<'f, 'm>,
}

impl<'f, 'm> RowReader<'f, 'm> {
    /// A reader over a row's columns.
    pub fn new(row: ColumnIterator<'f, 'm>) -> Result<Self, DeserializationError> {
        Ok(RowReader {
            first: row.clone(),
            next: row,
        })
    }

    /// Deserializes column `name` as `T`.
    #[inline(always)]
    pub fn get<T: DeserializeValue<'f, 'm>>(
        &mut self,
        name: &str,
    ) -> Result<T, DeserializationError> {
        // The hot path, inlined into the generated `read_row`: the column after the
        // previous one is the one asked for (results list the model's columns in its
        // field order).
        // On a miss `next` has moved on, which does not matter: the search restarts from
        // the first column and repositions it.
        if let Some(Ok(column)) = self.next.next()
            && same_name(column.spec.name(), name)
        {
            return T::deserialize(column.spec.typ(), column.slice);
        }
        self.search(name)
    }

    /// The slow path of [`RowReader::get`]: a column out of order (or a malformed row),
    /// searched from the row's first column.
    #[cold]
    #[inline(never)]
    fn search<T: DeserializeValue<'f, 'm>>(
        &mut self,
        name: &str,
    ) -> Result<T, DeserializationError> {
        let mut search = self.first.clone();
        while let Some(column) = search.next() {
            let column = column?;
            if column.spec.name() == name {
                self.next = search;
                return T::deserialize(column.spec.typ(), column.slice);
            }
        }
        Err(DeserializationError::new(MissingColumnError {
            column: name.to_owned(),
        }))
    }
}

/// `a == b` for column names, inlined: names are short, and a call to `memcmp` per
/// column costs more than comparing their few bytes here.
#[inline(always)]
fn same_name(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x == y)
}

/// Adapts a [`Model`] to the driver's `DeserializeRow`.
#[derive(Debug, Clone, PartialEq)]
pub struct ModelRow<M>(pub M);

impl<'f, 'm, M: Model> DeserializeRow<'f, 'm> for ModelRow<M> {
    fn type_check(specs: &[ColumnSpec]) -> Result<(), TypeCheckError> {
        M::check_columns(&mut ColumnChecker::new(&M::TABLE.name, specs))
    }

    #[inline]
    fn deserialize(row: ColumnIterator<'f, 'm>) -> Result<Self, DeserializationError> {
        M::read_row(&mut RowReader::new(row)?).map(ModelRow)
    }
}

/// The CQL spelling of a column type, for messages.
pub(crate) fn cql_type_name(typ: &ColumnType<'_>) -> String {
    CqlTypeName(typ).to_string()
}

struct CqlTypeName<'a, 'b>(&'a ColumnType<'b>);

impl fmt::Display for CqlTypeName<'_, '_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use scylla::frame::response::result::{CollectionType, NativeType, UserDefinedType};
        let native = |n: &NativeType| -> &'static str {
            match n {
                NativeType::Ascii => "ascii",
                NativeType::Boolean => "boolean",
                NativeType::Blob => "blob",
                NativeType::Counter => "counter",
                NativeType::Date => "date",
                NativeType::Decimal => "decimal",
                NativeType::Double => "double",
                NativeType::Duration => "duration",
                NativeType::Float => "float",
                NativeType::Int => "int",
                NativeType::BigInt => "bigint",
                NativeType::Text => "text",
                NativeType::Timestamp => "timestamp",
                NativeType::Inet => "inet",
                NativeType::SmallInt => "smallint",
                NativeType::TinyInt => "tinyint",
                NativeType::Time => "time",
                NativeType::Timeuuid => "timeuuid",
                NativeType::Uuid => "uuid",
                NativeType::Varint => "varint",
                _ => "?",
            }
        };
        match self.0 {
            ColumnType::Native(n) => f.write_str(native(n)),
            ColumnType::Collection { frozen, typ } => {
                if *frozen {
                    f.write_str("frozen<")?;
                }
                match typ {
                    CollectionType::List(t) => write!(f, "list<{}>", CqlTypeName(t))?,
                    CollectionType::Set(t) => write!(f, "set<{}>", CqlTypeName(t))?,
                    CollectionType::Map(k, v) => {
                        write!(f, "map<{}, {}>", CqlTypeName(k), CqlTypeName(v))?
                    }
                    _ => f.write_str("collection")?,
                }
                if *frozen {
                    f.write_str(">")?;
                }
                Ok(())
            }
            ColumnType::Tuple(items) => {
                f.write_str("tuple<")?;
                for (i, t) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{}", CqlTypeName(t))?;
                }
                f.write_str(">")
            }
            ColumnType::UserDefinedType { frozen, definition } => {
                let UserDefinedType { name, .. } = &**definition;
                if *frozen {
                    write!(f, "frozen<{name}>")
                } else {
                    f.write_str(name)
                }
            }
            ColumnType::Vector { typ, dimensions } => {
                write!(f, "vector<{}, {dimensions}>", CqlTypeName(typ))
            }
            _ => f.write_str("?"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use scylla::deserialize::FrameSlice;
    use scylla::frame::response::result::{NativeType, TableSpec};

    /// A row of `(a int, b text, c int)` = `(1, "x", 3)`, as a result frame holds it.
    fn row_bytes() -> Vec<u8> {
        let mut bytes = Vec::new();
        for value in [&1i32.to_be_bytes()[..], b"x", &3i32.to_be_bytes()[..]] {
            bytes.extend_from_slice(
                &i32::try_from(value.len())
                    .expect("short value")
                    .to_be_bytes(),
            );
            bytes.extend_from_slice(value);
        }
        bytes
    }

    fn specs() -> [ColumnSpec<'static>; 3] {
        let table = TableSpec::borrowed("ks", "t");
        [
            ColumnSpec::borrowed("a", ColumnType::Native(NativeType::Int), table.clone()),
            ColumnSpec::borrowed("b", ColumnType::Native(NativeType::Text), table.clone()),
            ColumnSpec::borrowed("c", ColumnType::Native(NativeType::Int), table),
        ]
    }

    #[test]
    fn columns_are_read_by_name_in_any_order() {
        let (bytes, specs) = (row_bytes(), specs());
        let row = ColumnIterator::new(&specs, FrameSlice::new_borrowed(&bytes));
        let mut reader = RowReader::new(row).expect("reader");
        // In order, then out of order (back to the first), then in order again.
        assert_eq!(reader.get::<i32>("a").expect("column"), 1);
        assert_eq!(reader.get::<i32>("c").expect("column"), 3);
        assert_eq!(reader.get::<String>("b").expect("column"), "x");
        assert_eq!(reader.get::<i32>("c").expect("column"), 3);
        assert_eq!(reader.get::<i32>("a").expect("column"), 1);
    }

    #[test]
    fn a_missing_column_is_an_error_naming_it() {
        let (bytes, specs) = (row_bytes(), specs());
        let row = ColumnIterator::new(&specs, FrameSlice::new_borrowed(&bytes));
        let mut reader = RowReader::new(row).expect("reader");
        let err = reader.get::<i32>("zz").expect_err("no such column");
        assert!(err.to_string().contains("zz"), "{err}");
        // The reader still works after the miss.
        assert_eq!(reader.get::<String>("b").expect("column"), "x");
    }
}
