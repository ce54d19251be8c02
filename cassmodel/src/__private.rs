//! Everything generated code needs, under one path: `::cassmodel::__private`.
//!
//! Code expanded by `#[derive(Model)]`/`#[derive(UserType)]` names the runtime ONLY through
//! this module (plus `::core`/`::std`), so that it keeps compiling when the user renames
//! the crate or has `#![no_implicit_prelude]`. Not part of the public API: no stability
//! promise beyond "the derive of the same version compiles against it". The derive
//! engineer may append items here.
//!
//! What an expansion looks like (see [`crate::model`] for the contract):
//!
//! ```text
//! const _: () = {
//!     use ::cassmodel::__private as cm;
//!     #[automatically_derived]
//!     impl cm::Model for User {
//!         const TABLE: &'static cm::TableDef = &TABLE; // a `static TABLE: cm::TableDef`
//!         const CQL: &'static cm::ModelCql = &cm::ModelCql { insert: "INSERT INTO ..", .. };
//!         type PrimaryKey = (::std::string::String,);
//!         type PartitionKey = (::std::string::String,);
//!         fn bind_row(&self, b: &mut cm::Binder<'_, '_>) -> cm::Result<(), cm::SerializationError> {
//!             b.bind("name", &self.name)?;
//!             b.bind("age", &self.age)?;
//!             cm::Ok(())
//!         }
//!         fn bind_primary_key(&self, b: &mut cm::Binder<'_, '_>) -> cm::Result<(), cm::SerializationError> {
//!             b.bind("name", &self.name)
//!         }
//!         fn check_columns(c: &mut cm::ColumnChecker<'_>) -> cm::Result<(), cm::TypeCheckError> {
//!             c.column::<::std::string::String>("name")?;
//!             c.column::<::core::option::Option<i32>>("age")
//!         }
//!         fn read_row(r: &mut cm::RowReader<'_, '_>) -> cm::Result<Self, cm::DeserializationError> {
//!             cm::Ok(User { name: r.get("name")?, age: r.get("age")? })
//!         }
//!     }
//! };
//! ```
#![doc(hidden)]

pub use crate::model::{Model, ModelCql, QueryTableCql, UserType};
pub use crate::query::{Column, ModelColumns, Query};
pub use crate::read::{SliceQuery, find_in_query_table};
pub use crate::row::no_such_column;
pub use crate::row::{Bind, Binder, ColumnChecker, KeyValues, ModelRow, RowReader};
pub use crate::stream::RowStream;
pub use crate::{Db, ModelExt, ReadOptions, WriteOptions};
pub use cassmodel_schema as schema;
pub use cassmodel_schema::{
    ColumnDef, ColumnKind, CqlType, IndexDef, Order, TableDef, TableOptions,
};
pub use core::option::Option::{self, None, Some};
pub use core::result::Result::{self, Err, Ok};
pub use scylla;
pub use scylla::deserialize::row::{ColumnIterator, DeserializeRow};
pub use scylla::deserialize::value::DeserializeValue;
pub use scylla::deserialize::{DeserializationError, FrameSlice, TypeCheckError};
pub use scylla::frame::response::result::{ColumnSpec, ColumnType};
pub use scylla::serialize::SerializationError;
pub use scylla::serialize::row::{RowSerializationContext, SerializeRow};
pub use scylla::serialize::value::SerializeValue;
pub use scylla::serialize::writers::{CellWriter, RowWriter, WrittenCellProof};
pub use std::string::String;
pub use std::vec::Vec;

/// `#[cassmodel(json)]` fields: the value as JSON text (added by the derive engineer).
pub fn json_encode<T: serde::Serialize + ?Sized>(value: &T) -> Result<String, SerializationError> {
    serde_json::to_string(value).map_err(SerializationError::new)
}

/// `#[cassmodel(json)]` fields: the value back from its JSON text (added by the derive engineer).
pub fn json_decode<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, DeserializationError> {
    serde_json::from_str(text).map_err(DeserializationError::new)
}

// --- user types (added by the derive engineer for `#[derive(UserType)]`) ---

/// Why a `#[derive(UserType)]` struct does not match the server's user type.
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum UdtMismatch {
    /// The column is not a user type.
    #[error("`{rust_name}` is a user type but the column is not one")]
    NotUdt {
        /// The Rust type.
        rust_name: &'static str,
    },
    /// The struct has a field the server's type lacks.
    #[error(
        "user type `{type_name}` has no field `{field}` (the Rust type `{rust_name}` has one); alter the type or fix the struct"
    )]
    NoSuchField {
        /// The Rust type.
        rust_name: &'static str,
        /// The server's type name.
        type_name: String,
        /// The missing field.
        field: String,
    },
}

fn udt_definition<'a>(
    typ: &'a ColumnType<'a>,
) -> Option<&'a scylla::frame::response::result::UserDefinedType<'a>> {
    match typ {
        ColumnType::UserDefinedType { definition, .. } => Some(definition),
        _ => None,
    }
}

/// Serializes a user-type value: one cell per field of the server's definition, in its
/// order; a field the struct lacks is written as null.
pub fn serialize_udt<'b>(
    rust_name: &'static str,
    typ: &ColumnType<'_>,
    writer: CellWriter<'b>,
    fields: &[(&str, &dyn SerializeValue)],
) -> Result<WrittenCellProof<'b>, SerializationError> {
    let Some(def) = udt_definition(typ) else {
        return Err(SerializationError::new(UdtMismatch::NotUdt { rust_name }));
    };
    if let Some((missing, _)) = fields
        .iter()
        .find(|(name, _)| !def.field_types.iter().any(|(f, _)| f == name))
    {
        return Err(SerializationError::new(UdtMismatch::NoSuchField {
            rust_name,
            type_name: def.name.to_string(),
            field: (*missing).to_owned(),
        }));
    }
    let mut builder = writer.into_value_builder();
    for (name, field_type) in &def.field_types {
        let sub = builder.make_sub_writer();
        match fields.iter().find(|(f, _)| *f == name.as_ref()) {
            Some((_, value)) => {
                value.serialize(field_type, sub)?;
            }
            None => {
                sub.set_null();
            }
        }
    }
    builder.finish().map_err(SerializationError::new)
}

/// A user-type field's type check: `<T as DeserializeValue>::type_check`.
pub type FieldTypeCheck = fn(&ColumnType<'_>) -> Result<(), TypeCheckError>;

/// Type-checks a user-type column against the struct's fields (by name).
pub fn udt_type_check(
    rust_name: &'static str,
    typ: &ColumnType<'_>,
    fields: &[(&str, FieldTypeCheck)],
) -> Result<(), TypeCheckError> {
    let Some(def) = udt_definition(typ) else {
        return Err(TypeCheckError::new(UdtMismatch::NotUdt { rust_name }));
    };
    for (name, check) in fields {
        match def.field_types.iter().find(|(f, _)| f == name) {
            Some((_, field_type)) => check(field_type)?,
            None => {
                return Err(TypeCheckError::new(UdtMismatch::NoSuchField {
                    rust_name,
                    type_name: def.name.to_string(),
                    field: (*name).to_owned(),
                }));
            }
        }
    }
    Ok(())
}

/// Reads a user-type value's fields by name (a field absent from the serialized value is
/// null, as Cassandra sends values written before `ALTER TYPE ... ADD`).
pub struct UdtReader<'f, 'm> {
    fields: Vec<(&'m str, &'m ColumnType<'m>, Option<FrameSlice<'f>>)>,
}

impl<'f, 'm> UdtReader<'f, 'm> {
    /// Splits a user-type value into its fields.
    pub fn new(
        typ: &'m ColumnType<'m>,
        value: Option<FrameSlice<'f>>,
    ) -> Result<Self, DeserializationError> {
        let iter = <scylla::deserialize::value::UdtIterator<'f, 'm> as DeserializeValue<'f, 'm>>::deserialize(typ, value)?;
        let mut fields = Vec::new();
        for ((name, field_type), raw) in iter {
            fields.push((name.as_ref(), field_type, raw?.flatten()));
        }
        Ok(UdtReader { fields })
    }

    /// Deserializes field `name` as `T`.
    pub fn get<T: DeserializeValue<'f, 'm>>(&self, name: &str) -> Result<T, DeserializationError> {
        match self.fields.iter().find(|(n, _, _)| *n == name) {
            Some((_, field_type, raw)) => T::deserialize(field_type, *raw),
            None => T::deserialize(
                &ColumnType::Native(scylla::frame::response::result::NativeType::Blob),
                None,
            ),
        }
    }
}
