//! The derive input as cassmodel sees it: the struct, its container attributes and its
//! fields with their parsed attributes and CQL types. Borrows the syn tree so that any
//! later stage can aim an error at the user's tokens.

use super::container::{Container, DeriveKind};
use super::ctxt::Ctxt;
use super::field::FieldAttrs;
use super::rust_type::{cql_type_of, option_inner};
use crate::cql_type::CqlType;
use crate::ident::unraw;

/// A struct deriving `Model` or `UserType`.
pub struct Model<'a> {
    /// The struct's name.
    pub ident: &'a syn::Ident,
    /// Which derive.
    pub kind: DeriveKind,
    /// Container attributes.
    pub attrs: Container,
    /// Named fields in declaration order.
    pub fields: Vec<Field<'a>>,
}

/// One named field.
pub struct Field<'a> {
    /// The syn field.
    pub original: &'a syn::Field,
    /// Its name.
    pub ident: &'a syn::Ident,
    /// Its full Rust type.
    pub ty: &'a syn::Type,
    /// The type inside `Option<..>`, or the full type.
    pub value_ty: &'a syn::Type,
    /// Whether the Rust type is `Option<T>` (a nullable column).
    pub nullable: bool,
    /// Parsed attributes.
    pub attrs: FieldAttrs,
    /// The column name (`rename`, else the field name without `r#`).
    pub column: String,
    /// The CQL type; `None` when skipped or when it could not be determined (error recorded).
    pub cql: Option<CqlType>,
}

impl Field<'_> {
    /// Whether `#[cassmodel(skip)]` is set.
    pub fn is_skipped(&self) -> bool {
        self.attrs.skip.is_set()
    }
}

impl<'a> Model<'a> {
    /// Reads `input`; `None` (with errors in `cx`) if it is not a struct with named fields.
    pub fn from_ast(cx: &Ctxt, input: &'a syn::DeriveInput, kind: DeriveKind) -> Option<Model<'a>> {
        let attrs = Container::from_attrs(cx, kind, &input.attrs);
        let what = if kind == DeriveKind::Model {
            "Model"
        } else {
            "UserType"
        };
        // A CQL table or user type is a fixed set of named columns; a generic struct would
        // need one table per instantiation, which a single `TABLE` static cannot describe.
        if !input.generics.params.is_empty() {
            cx.error_spanned_by(
                &input.generics,
                format!("#[derive({what})] does not support generic structs"),
            );
        }
        let fields = match &input.data {
            syn::Data::Struct(syn::DataStruct {
                fields: syn::Fields::Named(named),
                ..
            }) => &named.named,
            // Columns are named; positional fields would have no column name to map to.
            syn::Data::Struct(syn::DataStruct {
                fields: syn::Fields::Unnamed(f),
                ..
            }) => {
                cx.error_spanned_by(
                    f,
                    format!(
                        "#[derive({what})] needs named fields; tuple structs are not supported"
                    ),
                );
                return None;
            }
            syn::Data::Struct(_) => {
                cx.error_spanned_by(
                    input,
                    format!("#[derive({what})] needs named fields; unit structs are not supported"),
                );
                return None;
            }
            // A row has every column; an enum has one variant's fields at a time.
            syn::Data::Enum(e) => {
                cx.error_spanned_by(
                    e.enum_token,
                    format!("#[derive({what})] only supports structs with named fields, not enums"),
                );
                return None;
            }
            syn::Data::Union(u) => {
                cx.error_spanned_by(
                    u.union_token,
                    format!(
                        "#[derive({what})] only supports structs with named fields, not unions"
                    ),
                );
                return None;
            }
        };
        let fields = fields
            .iter()
            .filter_map(|f| Field::from_ast(cx, kind, f))
            .collect();
        Some(Model {
            ident: &input.ident,
            kind,
            attrs,
            fields,
        })
    }

    /// The field named `name`.
    pub fn field(&self, name: &syn::Ident) -> Option<&Field<'a>> {
        self.fields.iter().find(|f| f.ident == name)
    }
}

impl<'a> Field<'a> {
    fn from_ast(cx: &Ctxt, kind: DeriveKind, field: &'a syn::Field) -> Option<Field<'a>> {
        let ident = field.ident.as_ref()?;
        let attrs = FieldAttrs::from_attrs(cx, kind, &field.attrs);
        let inner = option_inner(&field.ty);
        let value_ty = inner.unwrap_or(&field.ty);
        let column = match attrs.rename.get() {
            Some(lit) => lit.value(),
            None => unraw(&ident.to_string()).to_owned(),
        };
        let cql = if attrs.skip.is_set() {
            None
        } else if let Some(lit) = attrs.ty.get() {
            // #[cassmodel(type = "..")] wins over the Rust type.
            match CqlType::parse(&lit.value()) {
                Ok(t) => Some(t),
                Err(e) => {
                    cx.error_spanned_by(lit, format!("invalid CQL type: {e}"));
                    None
                }
            }
        } else if attrs.json.is_set() {
            Some(CqlType::Text)
        } else if attrs.counter.is_set() {
            Some(CqlType::Counter)
        } else {
            match cql_type_of(value_ty) {
                Ok(t) => Some(t),
                Err(e) => {
                    cx.syn_error(e);
                    None
                }
            }
        };
        let cql = match (cql, attrs.frozen.span()) {
            (Some(t), Some(span)) => {
                if t.is_collection() || matches!(t, CqlType::Udt(_)) {
                    Some(CqlType::frozen(t))
                } else {
                    cx.error_at(
                        span,
                        format!("`frozen` applies to collections and user types, not to `{t}`"),
                    );
                    Some(t)
                }
            }
            (cql, _) => cql,
        };
        Some(Field {
            original: field,
            ident,
            ty: &field.ty,
            value_ty,
            nullable: inner.is_some(),
            attrs,
            column,
            cql,
        })
    }
}
