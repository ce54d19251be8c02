//! Borrowed-or-owned building blocks of the schema data model.
//!
//! Generated code builds a [`crate::TableDef`] in a `static` (borrowing `&'static` string
//! literals and slices), while `cassmodel migrate` builds the same types from the live
//! schema at run time (owning `String`s and `Vec`s). [`Str`] and [`List`] are plain
//! `Cow<'static, _>` aliases; [`Shared`] is the recursive counterpart used inside
//! [`crate::CqlType`], where a `Cow<'static, CqlType>` would have infinite size.

use std::borrow::Cow;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::ops::Deref;

/// A string that is either a `&'static str` literal or an owned `String`.
pub type Str = Cow<'static, str>;

/// A slice that is either a `&'static [T]` or an owned `Vec<T>`.
pub type List<T> = Cow<'static, [T]>;

/// A value behind a pointer: `&'static T` in generated statics, `Box<T>` when built at run time.
///
/// Comparison, hashing and `Debug` look through the pointer, so a static and an owned copy
/// of the same value are equal.
pub enum Shared<T: 'static> {
    /// Borrowed from a `static` (what the derive emits).
    Static(&'static T),
    /// Owned (what parsers and the live-schema reader build).
    Owned(Box<T>),
}

impl<T: 'static> Shared<T> {
    /// Wraps an owned value.
    pub fn new(value: T) -> Self {
        Shared::Owned(Box::new(value))
    }
}

impl<T: 'static> Deref for Shared<T> {
    type Target = T;
    fn deref(&self) -> &T {
        match self {
            Shared::Static(value) => value,
            Shared::Owned(value) => value,
        }
    }
}

impl<T: Clone + 'static> Clone for Shared<T> {
    fn clone(&self) -> Self {
        match self {
            Shared::Static(value) => Shared::Static(value),
            Shared::Owned(value) => Shared::Owned(value.clone()),
        }
    }
}

impl<T: PartialEq + 'static> PartialEq for Shared<T> {
    fn eq(&self, other: &Self) -> bool {
        **self == **other
    }
}

impl<T: Eq + 'static> Eq for Shared<T> {}

impl<T: Hash + 'static> Hash for Shared<T> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        (**self).hash(state);
    }
}

impl<T: fmt::Debug + 'static> fmt::Debug for Shared<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        (**self).fmt(f)
    }
}

/// Turns a `&'static str` or a `String` into a [`Str`].
pub fn str(value: impl Into<Str>) -> Str {
    value.into()
}
