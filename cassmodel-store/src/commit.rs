//! Group commit: writers that committed to the journal wait until an fsync covers their
//! commit; one of them (the leader) runs the fsync for everybody who committed before it
//! started, so concurrent writers share fsyncs.
//!
//! fjall's own `persist(SyncData)` fsyncs while holding the journal writer's lock, so no
//! transaction can commit during the fsync and the next group only starts forming after it.
//! The leader therefore only flushes the journal's user-space buffer under that lock
//! (`PersistMode::Buffer`) and fsyncs the active journal file through its own descriptor,
//! outside the lock: writers keep committing (and queueing for the next fsync) meanwhile.
//! This is sound because fjall seals a journal with `sync_all` before it creates the next
//! one (`journal/writer.rs`, `rotate`): everything flushed before the leader looked for the
//! newest journal file is either in that file or in an already synced older one.

use std::fs::File;
use std::path::{Path, PathBuf};
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
    /// A deferred commit waits for the background syncer (see `durability.rs`).
    requested: bool,
    /// The store is closing: the background syncer returns.
    stopping: bool,
    /// The background syncer sleeps until `requested` (a wake-up is a system call: only
    /// made when it sleeps).
    syncer_idle: bool,
}

/// What async waiters see of the sync state.
#[derive(Debug, Clone, Default)]
struct Published {
    synced: u64,
    failed: Option<String>,
}

/// The newest journal file and an open descriptor of it.
#[derive(Debug)]
struct ActiveJournal {
    id: u64,
    file: File,
}

/// The group-commit coordinator.
#[derive(Debug)]
pub struct GroupCommit {
    /// Sequence of the last commit that reached the journal buffer. Handed out only after
    /// the commit is in the journal, so an fsync started after reading it covers it.
    committed: AtomicU64,
    state: Mutex<SyncState>,
    cond: Condvar,
    /// Wakes the background syncer when a deferred commit asks for an fsync.
    wanted: Condvar,
    /// The sync state for async waiters ([`GroupCommit::durable`]).
    published: tokio::sync::watch::Sender<Published>,
    /// The database directory, where fjall keeps its journals (`<id>.jnl`).
    dir: PathBuf,
    /// The journal file last fsynced (only the leader touches it).
    journal: Mutex<Option<ActiveJournal>>,
}

fn journal_path(dir: &Path, id: u64) -> PathBuf {
    dir.join(format!("{id}.jnl"))
}

/// The highest journal id in `dir`, if any.
fn newest_journal(dir: &Path) -> std::io::Result<Option<u64>> {
    let mut best = None;
    for entry in std::fs::read_dir(dir)? {
        let name = entry?.file_name();
        let id = name
            .to_str()
            .and_then(|n| n.strip_suffix(".jnl"))
            .and_then(|n| n.parse::<u64>().ok());
        if let Some(id) = id {
            best = best.max(Some(id));
        }
    }
    Ok(best)
}

impl GroupCommit {
    /// A coordinator for the database in `dir`.
    pub fn new(dir: &Path) -> Self {
        GroupCommit {
            committed: AtomicU64::new(0),
            state: Mutex::default(),
            cond: Condvar::new(),
            wanted: Condvar::new(),
            published: tokio::sync::watch::Sender::new(Published::default()),
            dir: dir.to_path_buf(),
            journal: Mutex::new(None),
        }
    }

    /// Makes everything committed so far durable: flushes fjall's journal buffer under its
    /// lock, then fsyncs the newest journal file without holding that lock (see the module
    /// docs). Falls back to fjall's own fsync if the journal file cannot be found.
    fn persist(&self, db: &SingleWriterTxDatabase) -> StoreResult<()> {
        db.persist(PersistMode::Buffer)?;
        let mut active = self.journal.lock().unwrap_or_else(|p| p.into_inner());
        // Follow rotations: a newer journal exists only after the older one was sealed
        // and synced by fjall.
        let mut id = match &*active {
            Some(a) => a.id,
            None => match newest_journal(&self.dir)? {
                Some(id) => id,
                None => {
                    db.persist(PersistMode::SyncData)?;
                    return Ok(());
                }
            },
        };
        while journal_path(&self.dir, id + 1).exists() {
            id += 1;
        }
        if active.as_ref().is_none_or(|a| a.id != id) {
            let file = match std::fs::OpenOptions::new()
                .write(true)
                .open(journal_path(&self.dir, id))
            {
                Ok(f) => f,
                Err(_) => {
                    // Rotated and removed between the check and the open: fjall syncs.
                    *active = None;
                    db.persist(PersistMode::SyncData)?;
                    return Ok(());
                }
            };
            *active = Some(ActiveJournal { id, file });
        }
        if let Some(a) = &*active {
            a.file.sync_data()?;
        }
        Ok(())
    }

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
                let res = self.persist(db);
                st = self.lock();
                st.syncing = false;
                match res {
                    Ok(()) => st.synced = st.synced.max(target),
                    Err(e) => st.failed = Some(e.to_string()),
                }
                self.publish(&st);
                self.cond.notify_all();
                continue;
            }
            st = self.cond.wait(st).unwrap_or_else(|p| p.into_inner());
        }
    }

    fn publish(&self, st: &SyncState) {
        self.published.send_modify(|p| {
            p.synced = st.synced;
            p.failed.clone_from(&st.failed);
        });
    }

    /// Asks the background syncer for an fsync covering everything committed so far.
    pub fn request_sync(&self) {
        let mut st = self.lock();
        if !st.requested {
            st.requested = true;
            if st.syncer_idle {
                self.wanted.notify_one();
            }
        }
    }

    /// Waits (asynchronously) until commit `seq` is fsynced. Someone must run the fsync:
    /// [`GroupCommit::request_sync`] and the background syncer.
    pub async fn durable(&self, seq: u64) -> StoreResult<()> {
        let mut rx = self.published.subscribe();
        let outcome = rx
            .wait_for(|p| p.synced >= seq || p.failed.is_some())
            .await
            .map(|p| p.failed.clone());
        match outcome {
            Ok(None) => Ok(()),
            Ok(Some(m)) => Err(StoreError::Poisoned(m)),
            // The sender lives as long as `self`: unreachable while we borrow it.
            Err(_) => Err(StoreError::Poisoned("the store closed".into())),
        }
    }

    /// The background syncer's loop: fsyncs whenever a deferred commit asks, until
    /// [`GroupCommit::stop_syncer`].
    ///
    /// It starts each fsync at once, covering everything committed by then; writers that
    /// commit meanwhile form the next group. Delaying the fsync for more writers to join
    /// (as Cassandra's `commitlog_sync: group` window does) was measured here: with 50
    /// connections a 200 µs window cost a quarter of the INSERT throughput (median 35.6k
    /// against 48.1k ops/s without it), and with 200 connections it gained nothing.
    pub fn run_syncer(&self, db: &SingleWriterTxDatabase) {
        loop {
            {
                let mut st = self.lock();
                while !st.requested && !st.stopping {
                    st.syncer_idle = true;
                    st = self.wanted.wait(st).unwrap_or_else(|p| p.into_inner());
                    st.syncer_idle = false;
                }
                if st.stopping {
                    return;
                }
                st.requested = false;
            }
            let seq = self.committed.load(Ordering::SeqCst);
            if let Err(e) = self.wait_durable(db, seq) {
                tracing::error!("journal sync failed: {e}");
            }
        }
    }

    /// Makes [`GroupCommit::run_syncer`] return.
    pub fn stop_syncer(&self) {
        self.lock().stopping = true;
        self.wanted.notify_all();
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
