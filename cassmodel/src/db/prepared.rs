//! The hot-path statement cache: statements whose CQL is a `&'static str` (the model's
//! generated CQL, and shapes rendered once per process by `crate::rendered`) are prepared
//! once per session and found again by the address of their text, so a call neither copies
//! the CQL into a new `Statement` nor hashes it (as the driver's `CachingSession` does).
//!
//! The cached statement carries the Db's defaults (consistency, page size) and the
//! settings of its first use (idempotence, serial consistency); a call that wants other
//! settings gets a clone (cheap: the prepared data is behind an `Arc`) with them applied.

use scylla::client::session::Session;
use scylla::errors::PrepareError;
use scylla::statement::prepared::PreparedStatement;
use scylla::statement::{Consistency, SerialConsistency};
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::ops::Deref;
use std::sync::{Arc, PoisonError, RwLock};

/// The per-call settings of a prepared statement; `None` means "the Db's default".
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Settings {
    /// Consistency override.
    pub(crate) consistency: Option<Consistency>,
    /// Page size override (paged reads).
    pub(crate) page_size: Option<i32>,
    /// Whether the driver may retry the request.
    pub(crate) idempotent: bool,
    /// Serial consistency (conditional writes).
    pub(crate) serial: Option<SerialConsistency>,
}

/// Statements prepared in one session, keyed by the address and length of their
/// `'static` text (two keys are equal only for the very same bytes, which never change).
#[derive(Default)]
pub(super) struct PreparedCache {
    map: RwLock<ByAddress>,
}

/// `(address, length)` of a statement's text → the statement.
type ByAddress = HashMap<(usize, usize), Arc<PreparedStatement>, BuildHasherDefault<AddrHasher>>;

/// A hasher for `(address, length)` keys: mixes the two words with a multiply, no
/// byte-by-byte hashing (the keys are distinct addresses, not attacker-chosen data).
#[derive(Default)]
pub(super) struct AddrHasher(u64);

impl Hasher for AddrHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(5) ^ u64::from(b)).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        }
    }

    fn write_usize(&mut self, word: usize) {
        self.0 = (self.0.rotate_left(5) ^ word as u64).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

/// A prepared statement configured for one call: the cached one itself when the call keeps
/// its settings, else a clone with the call's settings.
pub(crate) enum Prepared {
    /// The cached statement, unchanged.
    Shared(Arc<PreparedStatement>),
    /// A clone with per-call settings.
    Owned(PreparedStatement),
}

impl Deref for Prepared {
    type Target = PreparedStatement;

    fn deref(&self) -> &PreparedStatement {
        match self {
            Prepared::Shared(p) => p,
            Prepared::Owned(p) => p,
        }
    }
}

impl From<Prepared> for PreparedStatement {
    fn from(p: Prepared) -> PreparedStatement {
        match p {
            Prepared::Shared(p) => PreparedStatement::clone(&p),
            Prepared::Owned(p) => p,
        }
    }
}

impl PreparedCache {
    /// The statement for `cql` with `settings` over the defaults `consistency` and
    /// `page_size`, preparing it in `session` on first use.
    pub(super) async fn get(
        &self,
        session: &Session,
        cql: &'static str,
        settings: Settings,
        consistency: Consistency,
        page_size: i32,
    ) -> Result<Prepared, PrepareError> {
        let key = (cql.as_ptr() as usize, cql.len());
        let cached = self
            .map
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .get(&key)
            .cloned();
        let shared = match cached {
            Some(shared) => shared,
            None => {
                let mut prepared = session.prepare(cql).await?;
                configure(&mut prepared, consistency, page_size, settings);
                prepared.set_use_cached_result_metadata(reads_fixed_columns(cql));
                let shared = Arc::new(prepared);
                // A concurrent first use may have prepared it too; either copy is right.
                self.map
                    .write()
                    .unwrap_or_else(PoisonError::into_inner)
                    .insert(key, Arc::clone(&shared));
                shared
            }
        };
        let consistency = settings.consistency.unwrap_or(consistency);
        let page_size = settings.page_size.unwrap_or(page_size);
        let keeps = shared.get_consistency() == Some(consistency)
            && shared.get_page_size() == page_size
            && shared.get_is_idempotent() == settings.idempotent
            && shared.get_serial_consistency() == settings.serial;
        if keeps {
            return Ok(Prepared::Shared(shared));
        }
        let mut own = PreparedStatement::clone(&shared);
        configure(&mut own, consistency, page_size, settings);
        Ok(Prepared::Owned(own))
    }
}

/// True for the cached statements whose result columns are fixed at prepare time: the
/// generated SELECTs, which name every column (a `SELECT *` is left out: its columns
/// follow the table's). Their rows are decoded with the
/// metadata the PREPARE returned, and the server is asked not to repeat it in every
/// response (the SKIP_METADATA flag of EXECUTE, `native_protocol_v4.spec` §4.1.4): less to
/// encode, send and parse per page, most of a single-row read's result frame. Safe because
/// Cassandra 4 cannot change a column's type (ALTER ... TYPE is gone, and a dropped column
/// cannot be re-added with another type), and a dropped column fails the statement. A
/// conditional write is never cached this way: its result columns depend on whether it
/// applied.
fn reads_fixed_columns(cql: &str) -> bool {
    cql.get(..7)
        .is_some_and(|head| head.eq_ignore_ascii_case("SELECT "))
        && !cql[7..].trim_start().starts_with('*')
}

/// Applies a call's settings (`consistency` and `page_size` already resolved).
fn configure(
    statement: &mut PreparedStatement,
    consistency: Consistency,
    page_size: i32,
    settings: Settings,
) {
    statement.set_consistency(consistency);
    statement.set_page_size(page_size);
    statement.set_is_idempotent(settings.idempotent);
    statement.set_serial_consistency(settings.serial);
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::hash::BuildHasher;

    #[test]
    fn distinct_addresses_hash_apart() {
        let build = BuildHasherDefault::<AddrHasher>::default();
        let a = build.hash_one((0x1000usize, 40usize));
        let b = build.hash_one((0x1008usize, 40usize));
        let c = build.hash_one((0x1000usize, 41usize));
        assert!(a != b && a != c && b != c);
    }

    #[test]
    fn only_selects_naming_their_columns_reuse_prepared_metadata() {
        assert!(reads_fixed_columns("SELECT a, b FROM t WHERE a = ?"));
        assert!(reads_fixed_columns("select COUNT(*) FROM t"));
        assert!(!reads_fixed_columns("SELECT * FROM t"));
        assert!(!reads_fixed_columns("SELECT  * FROM t"));
        assert!(!reads_fixed_columns(
            "INSERT INTO t (a) VALUES (?) IF NOT EXISTS"
        ));
        assert!(!reads_fixed_columns("SELECT"));
    }
}
