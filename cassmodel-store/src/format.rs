//! The storage format version of a data directory.
//!
//! The key layout (`docs/storage.md`) and the record encodings are this crate's own; a
//! build that changes them bumps [`FORMAT_VERSION`]. Every store records the version it
//! was created with in the meta keyspace, and a build refuses to open a directory of
//! another version, with an error that says so, instead of misreading its keys (a
//! clustering or tuple key decoded with the wrong layout sorts and compares wrongly, and
//! nothing would flag it).
//!
//! A directory written before the version existed carries no record; it is taken as the
//! current version and stamped on open (the only layout change before versioning, the
//! tuple/UDT key encoding, cannot be detected from the bytes).

use fjall::{PersistMode, Readable, SingleWriterTxDatabase, SingleWriterTxKeyspace};

use crate::error::{StoreError, StoreResult};

/// The storage format this build reads and writes: 2 since table ids in keys take 1 to
/// 5 bytes instead of a fixed 4 (`keys::push_table_id`).
pub const FORMAT_VERSION: u32 = 2;

/// The meta key of the version record (the other meta records use `g`, `c`, `n`, `t`).
const KEY: &[u8] = b"v";

/// Checks the directory's recorded format against [`FORMAT_VERSION`], recording it
/// durably on a directory that has none.
pub(crate) fn check_or_stamp(
    db: &SingleWriterTxDatabase,
    meta: &SingleWriterTxKeyspace,
) -> StoreResult<()> {
    let recorded = db.read_tx().get(meta, KEY)?;
    match recorded {
        Some(bytes) => {
            let found = decode(&bytes)?;
            if found == FORMAT_VERSION {
                Ok(())
            } else {
                Err(StoreError::UnsupportedFormat {
                    found,
                    supported: FORMAT_VERSION,
                })
            }
        }
        None => {
            let mut tx = db.write_tx();
            tx.insert(meta, KEY, FORMAT_VERSION.to_be_bytes());
            tx.commit()?;
            db.persist(PersistMode::SyncAll)?;
            Ok(())
        }
    }
}

fn decode(bytes: &[u8]) -> StoreResult<u32> {
    let b: [u8; 4] = bytes.try_into().map_err(|_| {
        StoreError::Corrupt(format!("storage format record of {} bytes", bytes.len()))
    })?;
    Ok(u32::from_be_bytes(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn open(dir: &std::path::Path) -> (SingleWriterTxDatabase, SingleWriterTxKeyspace) {
        let db = SingleWriterTxDatabase::builder(dir).open().expect("open");
        let meta = db
            .keyspace("meta", fjall::KeyspaceCreateOptions::default)
            .expect("keyspace");
        (db, meta)
    }

    #[test]
    fn a_new_directory_is_stamped_and_another_version_is_refused() {
        let dir = tempfile::tempdir().expect("tempdir");
        {
            let (db, meta) = open(dir.path());
            check_or_stamp(&db, &meta).expect("stamps a new directory");
            assert_eq!(
                db.read_tx().get(&meta, KEY).expect("read").as_deref(),
                Some(&FORMAT_VERSION.to_be_bytes()[..])
            );
            check_or_stamp(&db, &meta).expect("its own version opens");
            let mut tx = db.write_tx();
            tx.insert(&meta, KEY, (FORMAT_VERSION + 1).to_be_bytes());
            tx.commit().expect("commit");
            db.persist(PersistMode::SyncAll).expect("persist");
        }
        let (db, meta) = open(dir.path());
        let err = check_or_stamp(&db, &meta).expect_err("a newer format is refused");
        assert!(
            matches!(err, StoreError::UnsupportedFormat { found, supported }
                if found == FORMAT_VERSION + 1 && supported == FORMAT_VERSION),
            "{err}"
        );
        let expected = format!("storage format {}", FORMAT_VERSION + 1);
        assert!(err.to_string().contains(&expected), "{err}");
    }
}
