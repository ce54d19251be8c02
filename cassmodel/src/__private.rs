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

pub use crate::model::{Model, ModelCql, UserType};
pub use crate::row::{Bind, Binder, ColumnChecker, KeyValues, ModelRow, RowReader};
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
