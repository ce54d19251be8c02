//! Group commit: writers that committed to the journal wait until an fsync covers their
//! commit; one of them (the leader) runs the fsync for everybody who committed before it
//! started, so concurrent writers share fsyncs.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Condvar, Mutex, MutexGuard};

use fjall::{PersistMode, SingleWriterTxDatabase};

use crate::error::{StoreError, StoreResult};

#[derive(Debug, Default)]
struct SyncState {
    /// Every commit with a sequence `<=` this is on disk.
    synced: u64,
    /// A leader is fsyncing.
    syncing: bool,
    /// An fsync failed: nothing can be acknowledged any more.
    failed: Option<String>,
}

/// The group-commit coordinator.
#[derive(Debug, Default)]
pub struct GroupCommit {
    /// Sequence of the last commit that reached the journal buffer. Handed out only after
    /// the commit is in the journal, so an fsync started after reading it covers it.
    committed: AtomicU64,
    state: Mutex<SyncState>,
    cond: Condvar,
}

impl GroupCommit {
    /// Records a commit that has just been written to the journal; returns its sequence.
    pub fn committed(&self) -> u64 {
        self.committed.fetch_add(1, Ordering::SeqCst) + 1
    }

    fn lock(&self) -> MutexGuard<'_, SyncState> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Returns the poison message if an fsync ever failed.
    pub fn check(&self) -> StoreResult<()> {
        match &self.lock().failed {
            Some(m) => Err(StoreError::Poisoned(m.clone())),
            None => Ok(()),
        }
    }

    /// Blocks until commit `seq` is fsynced, running the fsync if no one else is.
    pub fn wait_durable(&self, db: &SingleWriterTxDatabase, seq: u64) -> StoreResult<()> {
        let mut st = self.lock();
        loop {
            if let Some(m) = &st.failed {
                return Err(StoreError::Poisoned(m.clone()));
            }
            if st.synced >= seq {
                return Ok(());
            }
            if !st.syncing {
                st.syncing = true;
                let target = self.committed.load(Ordering::SeqCst);
                drop(st);
                let res = db.persist(PersistMode::SyncData);
                st = self.lock();
                st.syncing = false;
                match res {
                    Ok(()) => st.synced = st.synced.max(target),
                    Err(e) => st.failed = Some(e.to_string()),
                }
                self.cond.notify_all();
                continue;
            }
            st = self.cond.wait(st).unwrap_or_else(|p| p.into_inner());
        }
    }

    /// Fsyncs everything committed so far (shutdown, periodic mode).
    pub fn sync_all(&self, db: &SingleWriterTxDatabase) -> StoreResult<()> {
        let seq = self.committed.load(Ordering::SeqCst);
        if seq == 0 {
            db.persist(PersistMode::SyncAll)?;
            return Ok(());
        }
        self.wait_durable(db, seq)
    }
}
