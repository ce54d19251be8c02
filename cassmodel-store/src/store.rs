//! The store: opening and recovering the fjall database, the serialized write section
//! with group commit, reads, scans, truncation.

use std::cell::{Cell, RefCell};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use fjall::{
    KeyspaceCreateOptions, PersistMode, Readable, SingleWriterTxDatabase, SingleWriterTxKeyspace,
    SingleWriterWriteTx as WriteTransaction,
};

use crate::commit::GroupCommit;
use crate::durability::CommitTicket;
use crate::error::{StoreError, StoreResult};
use crate::generations::{Generations, remove_generation};
use crate::model::{Mutation, ReadSpec, ScanEnd, ScanStart, TableId};
use crate::newest::NewestTimestamp;
use crate::purge::PurgeFactory;
use crate::read::PartitionRows;
use crate::scan::PartitionScan;
use crate::write::{Write, encode_all, merge_blind, merge_writes, relocate};

/// When a write is acknowledged relative to the disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SyncMode {
    /// A write returns only after the journal is fsynced; concurrent writers share fsyncs
    /// (group commit). The default.
    #[default]
    Batch,
    /// A write returns once it reaches the OS; the journal is fsynced in the background
    /// every [`StoreOptions::periodic_interval`]. A machine crash (not a process crash)
    /// can lose the last interval.
    Periodic,
}

/// How to open a [`Store`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreOptions {
    /// Commit mode.
    pub sync: SyncMode,
    /// Fsync interval in [`SyncMode::Periodic`].
    pub periodic_interval: Duration,
    /// Block cache size in bytes.
    pub cache_bytes: u64,
    /// Seconds after expiry (TTL) or deletion before compaction may purge a cell
    /// (Cassandra's `gc_grace_seconds`; default 864000 = 10 days).
    pub gc_grace_seconds: i64,
    /// How often a background pass purges partition, range, row and collection
    /// tombstones older than `gc_grace_seconds` with the data they shadow (`None`: only
    /// in [`Store::compact`]). Default: hourly.
    pub purge_interval: Option<Duration>,
}

impl Default for StoreOptions {
    fn default() -> Self {
        StoreOptions {
            sync: SyncMode::Batch,
            periodic_interval: Duration::from_millis(1000),
            cache_bytes: 64 * 1024 * 1024,
            gc_grace_seconds: 864_000,
            purge_interval: Some(Duration::from_secs(3600)),
        }
    }
}

/// The name of the fjall keyspace holding every table's data.
const DATA: &str = "data";
/// The fjall keyspace holding the table generation map (`generations.rs`), the newest
/// timestamp bound (`newest.rs`) and the storage format version (`format.rs`).
const META: &str = "meta";

/// What a queued `apply` is waiting for.
enum SlotState {
    /// Queued; a leader will commit it or hand leadership to it.
    Waiting,
    /// The previous leader handed leadership to this writer.
    Lead,
    /// Committed with this sequence (not yet durable), or failed.
    Done(StoreResult<u64>),
}

/// Where an `apply` waits for the leader of its group.
///
/// std's `Condvar::notify_one` is a `futex` system call whether or not anyone waits, and
/// most slots are completed before their writer ever sleeps (the leader's own slot, and
/// writers still on their way to [`Slot::wait`]): the slot records whether its writer
/// sleeps and only then wakes it. Profiling showed one needless `futex` per write before.
struct Slot {
    state: Mutex<SlotInner>,
    cond: Condvar,
    /// A hint that the state left `Waiting` (read without the lock while spinning).
    changed: AtomicBool,
}

struct SlotInner {
    state: SlotState,
    /// The writer is blocked in [`Slot::wait`].
    sleeping: bool,
}

impl Slot {
    fn new() -> Self {
        Slot {
            state: Mutex::new(SlotInner {
                state: SlotState::Waiting,
                sleeping: false,
            }),
            cond: Condvar::new(),
            changed: AtomicBool::new(false),
        }
    }

    fn set(&self, st: SlotState) {
        self.update(|state| *state = st);
    }

    /// Hands leadership to this slot's writer unless it is already done.
    fn offer_lead(&self) {
        self.update(|state| {
            if matches!(state, SlotState::Waiting) {
                *state = SlotState::Lead;
            }
        });
    }

    /// Changes the state, then wakes the writer if it sleeps in [`Slot::wait`].
    fn update(&self, change: impl FnOnce(&mut SlotState)) {
        let mut inner = lock(&self.state);
        change(&mut inner.state);
        self.changed.store(true, Ordering::Release);
        let wake = inner.sleeping;
        drop(inner);
        if wake {
            self.cond.notify_one();
        }
    }

    /// Blocks until the slot is done (returns its result) or handed leadership (`None`).
    fn wait(&self) -> Option<StoreResult<u64>> {
        self.spin();
        let mut inner = lock(&self.state);
        loop {
            match std::mem::replace(&mut inner.state, SlotState::Waiting) {
                SlotState::Done(r) => return Some(r),
                SlotState::Lead => {
                    // Back to `Waiting` under the lock: the next wait spins again.
                    self.changed.store(false, Ordering::Release);
                    return None;
                }
                SlotState::Waiting => {
                    inner.sleeping = true;
                    inner = self.cond.wait(inner).unwrap_or_else(|p| p.into_inner());
                    inner.sleeping = false;
                }
            }
        }
    }

    /// Spins for a few microseconds, until the state changes, before [`Slot::wait`] sleeps.
    ///
    /// A leader commits a group in a few microseconds, while sleeping on the condition
    /// variable costs a `futex` wait, a wake-up from the leader and two context switches, and
    /// blocks the runtime worker this writer runs on meanwhile either way. Measured with
    /// `examples/throughput.rs` (50 connections, 2 cores): prepared INSERT 58k ops/s and
    /// 25 µs CPU per operation sleeping at once, 78k and 17 µs spinning first.
    fn spin(&self) {
        let start = std::time::Instant::now();
        loop {
            for _ in 0..32 {
                if self.changed.load(Ordering::Acquire) {
                    return;
                }
                std::hint::spin_loop();
            }
            if start.elapsed() >= SLOT_SPIN {
                return;
            }
        }
    }

    /// The result if the slot is done, without blocking.
    fn try_done(&self) -> Option<StoreResult<u64>> {
        let mut inner = lock(&self.state);
        match std::mem::replace(&mut inner.state, SlotState::Waiting) {
            SlotState::Done(r) => Some(r),
            other => {
                inner.state = other;
                None
            }
        }
    }
}

/// How long [`Slot::spin`] spins before its writer sleeps.
const SLOT_SPIN: Duration = Duration::from_micros(20);

type Queue = Mutex<Vec<(Vec<Write>, Arc<Slot>)>>;

struct Shared {
    /// Encoded applies waiting for a leader.
    queue: Queue,
    /// Held by the writer committing a group of queued applies.
    leader: Mutex<()>,
    db: SingleWriterTxDatabase,
    data: SingleWriterTxKeyspace,
    meta: SingleWriterTxKeyspace,
    /// Changed only inside a write transaction (under the engine's write lock).
    generations: Mutex<Generations>,
    commits: Arc<GroupCommit>,
    /// Upper bound of every stored timestamp (only changed under the write lock).
    newest: NewestTimestamp,
    sync: SyncMode,
    stop: Arc<(Mutex<bool>, Condvar)>,
    flusher: Mutex<Option<JoinHandle<()>>>,
    /// Runs the fsyncs deferred commits ask for (batch mode; `durability.rs`).
    syncer: Mutex<Option<JoinHandle<()>>>,
    purger: Mutex<Option<JoinHandle<()>>>,
    /// Removes the generations left by truncations interrupted by a crash.
    cleaner: Mutex<Option<JoinHandle<()>>>,
    gc_grace: i64,
}

impl Drop for Shared {
    fn drop(&mut self) {
        {
            let (lock, cond) = &*self.stop;
            *lock.lock().unwrap_or_else(|p| p.into_inner()) = true;
            cond.notify_all();
        }
        self.commits.stop_syncer();
        for thread in [&self.flusher, &self.syncer, &self.purger, &self.cleaner] {
            let handle = lock(thread).take();
            if let Some(h) = handle {
                let _ = h.join();
            }
        }
        if let Err(e) = self.commits.sync_all(&self.db) {
            tracing::error!("final journal sync failed: {e}");
        }
    }
}

/// Cassandra storage semantics over one fjall database. Cheap to clone (shared handle);
/// `Send + Sync`. Dropping the last handle fsyncs the journal.
#[derive(Clone)]
pub struct Store {
    shared: Arc<Shared>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("sync", &self.shared.sync)
            .finish_non_exhaustive()
    }
}

impl Store {
    /// Opens (creating if needed) the store in `dir`, replaying the journal: every write
    /// acknowledged before a crash is there, and no half-applied `apply`.
    pub fn open(dir: impl AsRef<Path>, options: StoreOptions) -> StoreResult<Store> {
        std::fs::create_dir_all(dir.as_ref())?;
        let gc_grace = options.gc_grace_seconds;
        let db = SingleWriterTxDatabase::builder(dir.as_ref())
            .manual_journal_persist(true)
            .cache_size(options.cache_bytes)
            .with_compaction_filter_factories(Arc::new(move |name: &str| {
                (name == DATA).then(|| {
                    Arc::new(PurgeFactory { gc_grace })
                        as Arc<dyn fjall::compaction::filter::Factory>
                })
            }))
            .open()?;
        let data = db.keyspace(DATA, KeyspaceCreateOptions::default)?;
        let meta = db.keyspace(META, KeyspaceCreateOptions::default)?;
        crate::format::check_or_stamp(&db, &meta)?;
        let snapshot = db.read_tx();
        let (generations, garbage) = Generations::load(&snapshot, &meta)?;
        let newest = NewestTimestamp::load(&snapshot, &meta, &data)?;
        drop(snapshot);
        let commits = Arc::new(GroupCommit::new(dir.as_ref()));
        let stop = Arc::new((Mutex::new(false), Condvar::new()));
        let flusher = match options.sync {
            SyncMode::Batch => None,
            SyncMode::Periodic => Some(spawn_flusher(
                db.clone(),
                commits.clone(),
                stop.clone(),
                options.periodic_interval,
            )?),
        };
        let syncer = match options.sync {
            SyncMode::Batch => Some(spawn_syncer(db.clone(), commits.clone())?),
            SyncMode::Periodic => None,
        };
        let purger = match options.purge_interval {
            None => None,
            Some(interval) => Some(spawn_purger(
                db.clone(),
                data.clone(),
                gc_grace,
                stop.clone(),
                interval,
            )?),
        };
        let cleaner = if garbage.is_empty() {
            None
        } else {
            let (db, data, meta, stop) = (db.clone(), data.clone(), meta.clone(), stop.clone());
            Some(
                std::thread::Builder::new()
                    .name("cassmodel-store-cleanup".into())
                    .spawn(move || {
                        let stopped = || *lock(&stop.0);
                        for physical in garbage {
                            if let Err(e) = remove_generation(&db, &data, &meta, physical, &stopped)
                            {
                                tracing::error!("removing truncated data failed: {e}");
                            }
                        }
                    })?,
            )
        };
        Ok(Store {
            shared: Arc::new(Shared {
                queue: Mutex::default(),
                leader: Mutex::default(),
                db,
                data,
                meta,
                generations: Mutex::new(generations),
                commits,
                newest,
                sync: options.sync,
                stop,
                flusher: Mutex::new(flusher),
                syncer: Mutex::new(syncer),
                purger: Mutex::new(purger),
                cleaner: Mutex::new(cleaner),
                gc_grace,
            }),
        })
    }

    /// Applies mutations atomically (one journal batch) and durably (per [`SyncMode`]).
    /// Nothing is written if one of them is invalid (e.g. an empty or too large key).
    ///
    /// Concurrent applies are combined: each caller encodes its mutations and queues them;
    /// one caller at a time (the leader) commits everything queued in one transaction,
    /// hands leadership to the next queued writer, then waits for the fsync and wakes the
    /// writers of its group. Each apply stays atomic; the writers share commits and fsyncs.
    /// Do not call it from inside [`Store::write`] (the section holds the writer lock).
    pub fn apply(&self, mutations: &[Mutation]) -> StoreResult<()> {
        self.apply_encoded(encode_all(mutations)?)
    }

    /// [`Store::apply`] of already encoded writes (not yet relocated to generations).
    fn apply_encoded(&self, writes: Vec<Write>) -> StoreResult<()> {
        if writes.is_empty() {
            return Ok(());
        }
        let sh = &*self.shared;
        sh.commits.check()?;
        let slot = Arc::new(Slot::new());
        lock(&sh.queue).push((writes, slot.clone()));
        let mut guard = sh.leader.try_lock().ok();
        let seq = loop {
            if let Some(g) = guard.take() {
                self.lead(g);
                if let Some(r) = slot.try_done() {
                    break r?;
                }
            }
            match slot.wait() {
                Some(r) => break r?,
                None => guard = Some(lock(&sh.leader)),
            }
        };
        self.make_durable(seq)
    }

    /// Waits until commit `seq` is durable as the [`SyncMode`] asks, or, inside
    /// [`defer_durability`](crate::defer_durability), leaves that to the caller's ticket
    /// and asks the background syncer for the fsync.
    fn make_durable(&self, seq: u64) -> StoreResult<()> {
        let sh = &*self.shared;
        match sh.sync {
            SyncMode::Periodic => Ok(()),
            SyncMode::Batch if crate::durability::defer(seq) => {
                sh.commits.request_sync();
                Ok(())
            }
            SyncMode::Batch => sh.commits.wait_durable(&sh.db, seq),
        }
    }

    /// Waits until the commits behind `ticket` are on disk (see
    /// [`defer_durability`](crate::defer_durability)); an error if an fsync failed, in
    /// which case the writes must not be acknowledged.
    pub async fn durable(&self, ticket: CommitTicket) -> StoreResult<()> {
        self.shared.commits.durable(ticket.0).await
    }

    /// Runs as the leader: commits the queued group, hands leadership on and completes
    /// the group's slots with the commit's sequence (each writer then waits for the disk,
    /// sharing fsyncs through [`GroupCommit`]).
    fn lead(&self, guard: std::sync::MutexGuard<'_, ()>) {
        let sh = &*self.shared;
        let group = std::mem::take(&mut *lock(&sh.queue));
        let (writes, slots): (Vec<_>, Vec<_>) = group.into_iter().unzip();
        let committed = if writes.is_empty() {
            None
        } else {
            Some(self.commit_group(writes))
        };
        drop(guard);
        if let Some((_, next)) = lock(&sh.queue).first() {
            next.offer_lead();
        }
        let Some(committed) = committed else { return };
        for s in &slots {
            s.set(SlotState::Done(match &committed {
                Ok(seq) => Ok(*seq),
                Err(e) => Err(StoreError::CommitFailed(e.to_string())),
            }));
        }
    }

    /// Commits a group of encoded applies in one transaction; returns its commit sequence.
    fn commit_group(&self, group: Vec<Vec<Write>>) -> StoreResult<u64> {
        let sh = &*self.shared;
        let mut group = group;
        let tx = self.begin();
        {
            // Under the engine's write lock the map cannot change; hold the map's own
            // mutex only for the rewrite, not during the merges (readers take it too).
            let generations = lock(&sh.generations);
            for writes in &mut group {
                relocate(writes, &generations);
            }
        }
        let mut merge = sh.newest.merge();
        let mut records = Vec::new();
        for writes in group {
            merge_blind(&tx, &sh.data, writes, &mut merge, &mut records)?;
        }
        let staged = sh.newest.stage(merge.max_written);
        // The transaction holds the write lock (serializing this group with read-write
        // sections) and served the reads; the records go straight into one batch, without
        // a detour through the transaction's own write buffer.
        let mut batch = sh.db.inner().batch().durability(self.commit_persist());
        for (k, v) in records {
            batch.insert(sh.data.inner(), k, v);
        }
        if let Some(bound) = staged {
            let (k, v) = NewestTimestamp::record(bound);
            batch.insert(sh.meta.inner(), k, v);
        }
        batch.commit()?;
        drop(tx);
        sh.newest.committed(merge.max_written, staged);
        Ok(sh.commits.committed())
    }

    fn begin(&self) -> WriteTransaction<'_> {
        self.shared.db.write_tx().durability(self.commit_persist())
    }

    /// What a commit itself persists: nothing in batch mode (the group commit fsyncs),
    /// the journal buffer to the OS in periodic mode.
    fn commit_persist(&self) -> Option<PersistMode> {
        match self.shared.sync {
            SyncMode::Batch => None,
            SyncMode::Periodic => Some(PersistMode::Buffer),
        }
    }

    /// Runs `f` in the serialized write section: from the section's first read no other
    /// write runs until it commits, reads inside see every committed write plus this
    /// section's own, and all mutations applied in it commit as one atomic unit when `f`
    /// returns `Ok` (and are durable when `write` returns). If `f` returns `Err`, nothing
    /// is written. Use it for read-before-write: LWT conditions, counters, list index
    /// operations. A section that never reads is committed through the group-commit
    /// queue like [`Store::apply`] (see [`WriteTxn`]).
    pub fn write<T, E: From<StoreError>>(
        &self,
        f: impl FnOnce(&mut WriteTxn<'_>) -> Result<T, E>,
    ) -> Result<T, E> {
        let sh = &*self.shared;
        sh.commits.check()?;
        let mut txn = WriteTxn {
            store: self,
            tx: RefCell::new(None),
            pending: RefCell::new(Vec::new()),
            max_written: Cell::new(i64::MIN),
            wrote: false,
        };
        let out = f(&mut txn)?;
        let WriteTxn {
            tx,
            pending,
            max_written,
            wrote,
            ..
        } = txn;
        match tx.into_inner() {
            // The section read: it holds the write lock; commit in place.
            Some(mut tx) => {
                let max_written = max_written.get();
                let staged = sh.newest.stage_in(&mut tx, &sh.meta, max_written);
                tx.commit().map_err(StoreError::from)?;
                sh.newest.committed(max_written, staged);
                if wrote {
                    let seq = sh.commits.committed();
                    self.make_durable(seq)?;
                }
            }
            // Blind writes only: nothing depended on the state, so they join the group
            // commit queue like an `apply` (one transaction for many writers).
            None => self.apply_encoded(pending.into_inner())?,
        }
        Ok(out)
    }

    /// Reads one partition at a consistent snapshot: its live static row (if asked) and a
    /// lazy iterator over its live rows in the requested slices and order.
    pub fn read_partition(
        &self,
        table: TableId,
        partition_key: &[u8],
        spec: &ReadSpec,
    ) -> StoreResult<PartitionRows> {
        let snap = self.shared.db.read_tx();
        let table = self.physical(table);
        PartitionRows::open(&snap, &self.shared.data, table, partition_key, spec)
    }

    /// True if the partition has a live static row or at least one live row at `now`.
    pub fn partition_is_live(
        &self,
        table: TableId,
        partition_key: &[u8],
        now: i64,
    ) -> StoreResult<bool> {
        let snap = self.shared.db.read_tx();
        is_live(
            &snap,
            &self.shared.data,
            self.physical(table),
            partition_key,
            now,
        )
    }

    /// Partition keys of `table` in token order between `start` and `end`, from a snapshot.
    pub fn scan_partitions(
        &self,
        table: TableId,
        start: &ScanStart,
        end: &ScanEnd,
    ) -> PartitionScan {
        PartitionScan::new(
            self.shared.db.read_tx(),
            self.shared.data.clone(),
            self.physical(table),
            start,
            end,
        )
    }

    /// The physical id holding `table`'s data now.
    fn physical(&self, table: TableId) -> TableId {
        lock(&self.shared.generations).physical(table)
    }

    /// Removes every row of `table` (TRUNCATE), atomically: one durable transaction
    /// switches the table to a new, empty generation (a crash before it leaves every row,
    /// after it none); the old generation's keys are then removed in chunks, a removal
    /// interrupted by a crash resuming at the next open (see `generations.rs`). Writes
    /// serialized before the switch are truncated, writes after it survive.
    pub fn truncate(&self, table: TableId) -> StoreResult<()> {
        let old = self.switch_generation(table)?;
        let sh = &*self.shared;
        remove_generation(&sh.db, &sh.data, &sh.meta, old, &|| false)
    }

    /// The atomic, durable part of a truncation; returns the old physical id to remove.
    pub(crate) fn switch_generation(&self, table: TableId) -> StoreResult<u32> {
        let sh = &*self.shared;
        sh.commits.check()?;
        let old = {
            let mut tx = self.begin();
            let mut generations = lock(&sh.generations);
            let (undo, old) = generations.stage_switch(&mut tx, &sh.meta, table)?;
            if let Err(e) = tx.commit() {
                generations.undo(undo);
                return Err(e.into());
            }
            old
        };
        let seq = sh.commits.committed();
        sh.commits.wait_durable(&sh.db, seq)?;
        Ok(old)
    }

    /// Removes every row of a dropped table, atomically like [`Store::truncate`]. Table ids
    /// are never reused, so this is a truncation that frees the space.
    pub fn drop_table(&self, table: TableId) -> StoreResult<()> {
        self.truncate(table)
    }

    /// Flushes the memtable and compacts everything into one run, purging what
    /// [`StoreOptions::gc_grace_seconds`] allows (like `nodetool compact`). Blocking.
    pub fn compact(&self) -> StoreResult<()> {
        self.purge_tombstones()?;
        let ks = self.shared.data.inner();
        ks.rotate_memtable_and_wait()?;
        ks.major_compact()?;
        Ok(())
    }

    /// Purges partition, range, row and collection tombstones older than
    /// [`StoreOptions::gc_grace_seconds`] together with the data they shadow, one partition
    /// per atomic transaction (see `gc.rs`); returns the number of records removed. Runs in
    /// the background every [`StoreOptions::purge_interval`].
    pub fn purge_tombstones(&self) -> StoreResult<usize> {
        let sh = &*self.shared;
        crate::gc::purge_tombstones(
            &sh.db,
            &sh.data,
            crate::purge::now_seconds(),
            sh.gc_grace,
            &|| false,
        )
    }

    /// Number of stored records (tests of purging).
    #[cfg(test)]
    pub(crate) fn raw_len(&self) -> usize {
        self.shared.db.read_tx().iter(&self.shared.data).count()
    }

    /// Fsyncs everything written so far (for shutdown in periodic mode).
    pub fn flush(&self) -> StoreResult<()> {
        self.shared.commits.sync_all(&self.shared.db)
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

fn is_live<R: Readable>(
    r: &R,
    ks: &SingleWriterTxKeyspace,
    table: TableId,
    pk: &[u8],
    now: i64,
) -> StoreResult<bool> {
    let mut rows = PartitionRows::open(r, ks, table, pk, &ReadSpec::all(now))?;
    if rows.static_row.is_some() {
        return Ok(true);
    }
    rows.next().transpose().map(|r| r.is_some())
}

fn spawn_flusher(
    db: SingleWriterTxDatabase,
    commits: Arc<GroupCommit>,
    stop: Arc<(Mutex<bool>, Condvar)>,
    interval: Duration,
) -> StoreResult<JoinHandle<()>> {
    let handle = std::thread::Builder::new()
        .name("cassmodel-store-sync".into())
        .spawn(move || {
            let (lock, cond) = &*stop;
            let mut stopped = lock.lock().unwrap_or_else(|p| p.into_inner());
            while !*stopped {
                let (guard, _) = cond
                    .wait_timeout(stopped, interval)
                    .unwrap_or_else(|p| p.into_inner());
                stopped = guard;
                if *stopped {
                    break;
                }
                if let Err(e) = commits.sync_all(&db) {
                    tracing::error!("periodic journal sync failed: {e}");
                }
            }
        })?;
    Ok(handle)
}

fn spawn_syncer(
    db: SingleWriterTxDatabase,
    commits: Arc<GroupCommit>,
) -> StoreResult<JoinHandle<()>> {
    let handle = std::thread::Builder::new()
        .name("cassmodel-store-fsync".into())
        .spawn(move || commits.run_syncer(&db))?;
    Ok(handle)
}

fn spawn_purger(
    db: SingleWriterTxDatabase,
    data: SingleWriterTxKeyspace,
    gc_grace: i64,
    stop: Arc<(Mutex<bool>, Condvar)>,
    interval: Duration,
) -> StoreResult<JoinHandle<()>> {
    let handle = std::thread::Builder::new()
        .name("cassmodel-store-purge".into())
        .spawn(move || {
            let (flag, cond) = &*stop;
            let stopped = || *lock(flag);
            loop {
                {
                    let guard = lock(flag);
                    let (guard, _) = cond
                        .wait_timeout_while(guard, interval, |s| !*s)
                        .unwrap_or_else(|p| p.into_inner());
                    if *guard {
                        return;
                    }
                }
                let now = crate::purge::now_seconds();
                match crate::gc::purge_tombstones(&db, &data, now, gc_grace, &stopped) {
                    Ok(0) => {}
                    Ok(n) => tracing::debug!("purged {n} tombstoned records"),
                    Err(e) => tracing::error!("tombstone purge failed: {e}"),
                }
            }
        })?;
    Ok(handle)
}

/// The serialized write section (see [`Store::write`]).
///
/// The engine's write lock is taken lazily, at the section's first read: until then
/// `apply` only encodes and buffers. A section that never reads (a plain INSERT, UPDATE or
/// DELETE) never holds the lock while the executor builds its mutations; its buffered
/// writes are committed atomically through the group-commit queue instead, which batches
/// concurrent writers into one transaction. A section that reads is serialized with every
/// other write from its first read to its commit, and its reads see its earlier writes.
pub struct WriteTxn<'a> {
    store: &'a Store,
    /// The engine transaction, once the section has read.
    tx: RefCell<Option<WriteTransaction<'a>>>,
    /// Encoded writes of a section that has not read yet.
    pending: RefCell<Vec<Write>>,
    /// The newest timestamp the section wrote (for the store's newest-timestamp bound).
    max_written: Cell<i64>,
    wrote: bool,
}

impl std::fmt::Debug for WriteTxn<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WriteTxn")
            .field("wrote", &self.wrote)
            .field("locked", &self.tx.borrow().is_some())
            .finish_non_exhaustive()
    }
}

impl<'a> WriteTxn<'a> {
    /// Takes the write lock (if not yet held) and moves the buffered writes into the
    /// engine transaction; then runs `f` on it.
    fn with_tx<T>(
        &self,
        f: impl FnOnce(&WriteTransaction<'a>, &SingleWriterTxKeyspace) -> StoreResult<T>,
    ) -> StoreResult<T> {
        let sh = &*self.store.shared;
        let mut slot = self.tx.borrow_mut();
        let tx = match slot.take() {
            Some(tx) => tx,
            None => {
                let mut tx = self.store.begin();
                let mut writes = std::mem::take(&mut *self.pending.borrow_mut());
                relocate(&mut writes, &lock(&sh.generations));
                let mut max_written = self.max_written.get();
                merge_writes(&mut tx, &sh.data, writes, &mut max_written)?;
                self.max_written.set(max_written);
                tx
            }
        };
        let out = f(&tx, &sh.data);
        *slot = Some(tx);
        out
    }

    /// Applies mutations (visible to later reads in this section; committed with it).
    /// If one mutation is invalid, none of them is applied.
    pub fn apply(&mut self, mutations: &[Mutation]) -> StoreResult<()> {
        let sh = &*self.store.shared;
        match self.tx.get_mut() {
            Some(tx) => {
                let mut writes = encode_all(mutations)?;
                relocate(&mut writes, &lock(&sh.generations));
                merge_writes(tx, &sh.data, writes, self.max_written.get_mut())?;
            }
            None => {
                let writes = encode_all(mutations)?;
                self.pending.get_mut().extend(writes);
            }
        }
        self.wrote |= !mutations.is_empty();
        Ok(())
    }

    /// Reads one partition, seeing this section's own writes.
    pub fn read_partition(
        &self,
        table: TableId,
        partition_key: &[u8],
        spec: &ReadSpec,
    ) -> StoreResult<PartitionRows> {
        // Resolved under the write lock, where no truncation can switch it.
        self.with_tx(|tx, data| {
            let table = self.store.physical(table);
            PartitionRows::open(tx, data, table, partition_key, spec)
        })
    }

    /// True if the partition has a live static row or live row at `now`.
    pub fn partition_is_live(
        &self,
        table: TableId,
        partition_key: &[u8],
        now: i64,
    ) -> StoreResult<bool> {
        // Resolved under the write lock, where no truncation can switch it.
        self.with_tx(|tx, data| {
            let table = self.store.physical(table);
            is_live(tx, data, table, partition_key, now)
        })
    }
}
