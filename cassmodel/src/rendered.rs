//! Statements the runtime renders (through `cassmodel_schema::render`) for shapes that are
//! not fixed per model: clustering slices, partial updates, index lookups. Each distinct
//! statement is rendered once per process and kept (a program uses a bounded set of
//! shapes), so the hot path never formats CQL.

use std::any::TypeId;
use std::collections::HashMap;
use std::sync::{Mutex, OnceLock, PoisonError};

type Cache = Mutex<HashMap<(TypeId, String), &'static str>>;

fn cache() -> &'static Cache {
    static CACHE: OnceLock<Cache> = OnceLock::new();
    CACHE.get_or_init(Default::default)
}

/// The statement of shape `shape` for model `M`, rendered by `render` on first use.
pub(crate) fn cached<M: 'static>(shape: String, render: impl FnOnce() -> String) -> &'static str {
    let key = (TypeId::of::<M>(), shape);
    let mut map = cache().lock().unwrap_or_else(PoisonError::into_inner);
    if let Some(cql) = map.get(&key) {
        return cql;
    }
    let cql: &'static str = Box::leak(render().into_boxed_str());
    map.insert(key, cql);
    cql
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_once_per_shape_and_model() {
        let mut calls = 0;
        let a = cached::<u8>("x".into(), || {
            calls += 1;
            "SELECT 1".into()
        });
        let b = cached::<u8>("x".into(), || {
            calls += 1;
            "SELECT 2".into()
        });
        assert_eq!((a, b, calls), ("SELECT 1", "SELECT 1", 1));
        let c = cached::<u16>("x".into(), || "SELECT 3".into());
        assert_eq!(c, "SELECT 3");
    }
}
