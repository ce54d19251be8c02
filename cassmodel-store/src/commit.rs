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
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Condvar, Mutex, MutexGuard};
use std::task::{Context, Poll, Waker};
use std::time::{Duration, Instant};

use fjall::{PersistMode, SingleWriterTxDatabase};

use crate::error::{StoreError, StoreResult};

/// How long no new commit must arrive before the background syncer starts an fsync.
const SETTLE_QUIET: Duration = Duration::from_micros(15);
/// The longest the background syncer delays an fsync for commits to settle.
const SETTLE_MAX: Duration = Duration::from_micros(50);

#[derive(Debug, Default)]
struct SyncState {
    /// Every commit with a sequence `<=` this is on disk.
    synced: u64,
    /// A leader is fsyncing.
    syncing: bool,
    /// An fsync failed: nothing can be acknowledged any more.
    failed: Option<String>,
    /// The store is closing: the background syncer returns.
    stopping: bool,
    /// The background syncer sleeps until `requested` (a wake-up is a system call: only
    /// made when it sleeps).
    syncer_idle: bool,
}

/// What async waiters see of the sync state, and who waits.
///
/// Each waiter is woken only once an fsync covers its commit (or one failed): waking every
/// waiter on every fsync, as a broadcast channel would, re-polls the tasks whose commits
/// came after the fsync started for nothing, and those wake-ups come from the syncer's
/// thread, so each can cost a system call to unpark a runtime worker.
#[derive(Debug, Default)]
struct Published {
    /// Every commit with a sequence `<=` this is on disk.
    synced: AtomicU64,
    /// An fsync failed (the message is in [`SyncState::failed`]).
    failed: AtomicBool,
    /// Tasks waiting for a commit to be on disk: its sequence and the task's waker.
    waiters: Mutex<Vec<(u64, Waker)>>,
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
    /// A deferred commit waits for the background syncer (see `durability.rs`). An atomic
    /// outside the state lock: every deferred write asks, and only the first ask after the
    /// syncer took the last one needs the lock (to wake the syncer if it sleeps).
    requested: AtomicBool,
    /// The sync state for async waiters ([`GroupCommit::durable`]).
    published: Published,
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
            requested: AtomicBool::new(false),
            published: Published::default(),
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
    ///
    /// Every write asks: the published flag answers without the state lock, which the
    /// syncer holds around each fsync's bookkeeping (profiling showed writers blocked on
    /// it); the message is read under the lock only once something failed.
    pub fn check(&self) -> StoreResult<()> {
        if !self.published.failed.load(Ordering::SeqCst) {
            return Ok(());
        }
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

    /// Makes `st` visible to async waiters and wakes those whose commits it covers (all of
    /// them if an fsync failed).
    fn publish(&self, st: &SyncState) {
        let p = &self.published;
        p.synced.store(st.synced, Ordering::SeqCst);
        let failed = st.failed.is_some();
        if failed {
            p.failed.store(true, Ordering::SeqCst);
        }
        let mut ready = Vec::new();
        {
            let mut waiters = p.waiters.lock().unwrap_or_else(|e| e.into_inner());
            waiters.retain(|(seq, waker)| {
                let done = failed || *seq <= st.synced;
                if done {
                    ready.push(waker.clone());
                }
                !done
            });
        }
        for waker in ready {
            waker.wake();
        }
    }

    /// Asks the background syncer for an fsync covering everything committed so far.
    pub fn request_sync(&self) {
        // Set before the lock is taken: a syncer that checks the flag under the lock
        // either sees it, or is idle by the time this thread holds the lock and is woken.
        if self.requested.swap(true, Ordering::SeqCst) {
            return;
        }
        if self.lock().syncer_idle {
            self.wanted.notify_one();
        }
    }

    /// Waits (asynchronously) until commit `seq` is fsynced. Someone must run the fsync:
    /// [`GroupCommit::request_sync`] and the background syncer.
    pub async fn durable(&self, seq: u64) -> StoreResult<()> {
        std::future::poll_fn(|cx| self.poll_durable(seq, cx)).await
    }

    fn poll_durable(&self, seq: u64, cx: &mut Context<'_>) -> Poll<StoreResult<()>> {
        if let Some(durable) = self.settled(seq) {
            return Poll::Ready(self.outcome(durable));
        }
        let p = &self.published;
        let mut waiters = p.waiters.lock().unwrap_or_else(|e| e.into_inner());
        // `publish` stores the new state before it takes this lock: checked again under
        // the lock, a wake-up cannot be missed.
        if let Some(durable) = self.settled(seq) {
            drop(waiters);
            return Poll::Ready(self.outcome(durable));
        }
        // Polled again before its wake-up (it sits in a `select!`): one entry per waiter.
        match waiters
            .iter_mut()
            .find(|(s, w)| *s == seq && w.will_wake(cx.waker()))
        {
            Some(entry) => entry.1.clone_from(cx.waker()),
            None => waiters.push((seq, cx.waker().clone())),
        }
        Poll::Pending
    }

    /// Whether commit `seq` is settled: `Some(true)` on disk, `Some(false)` never will be
    /// (an fsync failed), `None` not yet.
    fn settled(&self, seq: u64) -> Option<bool> {
        let p = &self.published;
        if p.failed.load(Ordering::SeqCst) {
            Some(false)
        } else {
            (p.synced.load(Ordering::SeqCst) >= seq).then_some(true)
        }
    }

    /// A settled waiter's result. Takes the state lock (for the failure's message): never
    /// called under the waiters' lock, which `publish` takes under the state lock.
    fn outcome(&self, durable: bool) -> StoreResult<()> {
        if durable {
            Ok(())
        } else {
            let message = self.lock().failed.clone().unwrap_or_default();
            Err(StoreError::Poisoned(message))
        }
    }

    /// The background syncer's loop: fsyncs whenever a deferred commit asks, until
    /// [`GroupCommit::stop_syncer`].
    ///
    /// Each fsync covers everything committed when it starts; writers that commit meanwhile
    /// form the next group. Before starting, it waits for the commits of a burst to settle
    /// ([`GroupCommit::settle`]: 15 µs without a new commit, 50 µs at most). A fixed window
    /// (as Cassandra's `commitlog_sync: group`) was measured here first: with 50
    /// connections a 200 µs window cost a quarter of the INSERT throughput (35.6k against
    /// 48.1k ops/s). The settling wait, measured with `examples/throughput.rs` (50
    /// connections, 2 cores, interleaved runs): 76k ops/s starting at once; 81k settling
    /// for 20/100 µs, 84k for 15/50 µs.
    pub fn run_syncer(&self, db: &SingleWriterTxDatabase) {
        loop {
            {
                let mut st = self.lock();
                while !self.requested.load(Ordering::SeqCst) && !st.stopping {
                    st.syncer_idle = true;
                    st = self.wanted.wait(st).unwrap_or_else(|p| p.into_inner());
                    st.syncer_idle = false;
                }
                if st.stopping {
                    return;
                }
                self.requested.store(false, Ordering::SeqCst);
            }
            self.settle();
            let seq = self.committed.load(Ordering::SeqCst);
            if let Err(e) = self.wait_durable(db, seq) {
                tracing::error!("journal sync failed: {e}");
            }
        }
    }

    /// Lets a burst of commits finish before the fsync starts: returns once no commit has
    /// arrived for [`SETTLE_QUIET`], or after [`SETTLE_MAX`] at most.
    ///
    /// An fsync answers a whole group at once, and the group's writers come back together:
    /// their next requests arrive over the following tens of microseconds. Started at the
    /// first of them, the fsync covers only that one and the rest wait for a whole extra
    /// fsync. The syncer yields its core meanwhile, so the writers it waits for can run.
    fn settle(&self) {
        let start = Instant::now();
        let mut last = self.committed.load(Ordering::SeqCst);
        let mut last_change = start;
        loop {
            std::thread::yield_now();
            let now = Instant::now();
            let seen = self.committed.load(Ordering::SeqCst);
            if seen != last {
                last = seen;
                last_change = now;
            }
            if now - last_change >= SETTLE_QUIET || now - start >= SETTLE_MAX {
                return;
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::task::Wake;

    /// Counts its wake-ups.
    #[derive(Default)]
    struct Counter(AtomicU64);

    impl Wake for Counter {
        fn wake(self: Arc<Self>) {
            self.0.fetch_add(1, Ordering::SeqCst);
        }
    }

    fn state(synced: u64, failed: Option<&str>) -> SyncState {
        SyncState {
            synced,
            failed: failed.map(str::to_owned),
            ..SyncState::default()
        }
    }

    #[test]
    fn a_waiter_is_woken_once_an_fsync_covers_its_commit_and_not_before() {
        let gc = GroupCommit::new(Path::new("unused"));
        let (early, late) = (Arc::new(Counter::default()), Arc::new(Counter::default()));
        let (early_waker, late_waker) = (Waker::from(early.clone()), Waker::from(late.clone()));
        let mut early_cx = Context::from_waker(&early_waker);
        let mut late_cx = Context::from_waker(&late_waker);
        assert!(gc.poll_durable(3, &mut early_cx).is_pending());
        assert!(gc.poll_durable(7, &mut late_cx).is_pending());
        // Polled again before any wake-up: still one entry.
        assert!(gc.poll_durable(7, &mut late_cx).is_pending());
        gc.publish(&state(5, None));
        assert_eq!(early.0.load(Ordering::SeqCst), 1);
        assert_eq!(
            late.0.load(Ordering::SeqCst),
            0,
            "commit 7 is not on disk yet"
        );
        assert!(matches!(
            gc.poll_durable(3, &mut early_cx),
            Poll::Ready(Ok(()))
        ));
        gc.publish(&state(7, None));
        assert_eq!(late.0.load(Ordering::SeqCst), 1, "woken once");
        assert!(matches!(
            gc.poll_durable(7, &mut late_cx),
            Poll::Ready(Ok(()))
        ));
    }

    #[test]
    fn settling_ends_even_while_commits_keep_arriving() {
        let gc = Arc::new(GroupCommit::new(Path::new("unused")));
        let stop = Arc::new(AtomicBool::new(false));
        let committer = {
            let (gc, stop) = (gc.clone(), stop.clone());
            std::thread::spawn(move || {
                while !stop.load(Ordering::SeqCst) {
                    gc.committed();
                    std::hint::spin_loop();
                }
            })
        };
        while gc.committed.load(Ordering::SeqCst) == 0 {
            std::thread::yield_now();
        }
        // Without the cap, a steady stream of commits would delay the fsync forever.
        let start = Instant::now();
        gc.settle();
        let waited = start.elapsed();
        stop.store(true, Ordering::SeqCst);
        committer.join().unwrap();
        assert!(waited < Duration::from_secs(1), "settled after {waited:?}");
    }

    #[test]
    fn a_failed_fsync_wakes_every_waiter_with_the_error() {
        let gc = GroupCommit::new(Path::new("unused"));
        let counter = Arc::new(Counter::default());
        let waker = Waker::from(counter.clone());
        let mut cx = Context::from_waker(&waker);
        assert!(gc.poll_durable(9, &mut cx).is_pending());
        assert!(gc.check().is_ok());
        gc.lock().failed = Some("disk full".into());
        gc.publish(&state(0, Some("disk full")));
        assert!(
            matches!(gc.check(), Err(StoreError::Poisoned(m)) if m == "disk full"),
            "writes are refused once an fsync failed"
        );
        assert_eq!(counter.0.load(Ordering::SeqCst), 1);
        match gc.poll_durable(1, &mut cx) {
            Poll::Ready(Err(StoreError::Poisoned(m))) => assert_eq!(m, "disk full"),
            other => panic!("expected the fsync error, got {other:?}"),
        }
    }
}
