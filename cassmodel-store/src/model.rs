//! The vocabulary of the store: ids, mutations and what reads return.
//!
//! Everything here is byte-level. The engine above serializes partition keys (a single
//! value or a CompositeType), encodes clustering keys so that their unsigned byte order is
//! the clustering order (DESC components already inverted), and encodes collection cell
//! paths the same way. The store never interprets those bytes beyond comparing them.

/// Identifies a table. Assigned by the catalog and never reused for another table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TableId(pub u32);

/// Identifies a column inside its table. Assigned by the catalog; a dropped column's id is
/// reused only when the same column is re-added, and [`ReadSpec::dropped`] keeps its cells
/// written before the drop hidden.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ColumnId(pub u32);

/// A deletion: everything it covers with a timestamp `<=` `timestamp` is deleted
/// (Cassandra's `DeletionTime`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Deletion {
    /// The write timestamp of the deletion, in microseconds.
    pub timestamp: i64,
    /// When the deletion was written, in seconds since the epoch (used for purging).
    pub local_deletion_time: i64,
}

impl Deletion {
    /// A deletion at `timestamp` (µs) written at `now` (seconds).
    pub fn new(timestamp: i64, now: i64) -> Self {
        Deletion {
            timestamp,
            local_deletion_time: now,
        }
    }

    /// True if this deletion hides data written at `timestamp`.
    pub fn covers(&self, timestamp: i64) -> bool {
        timestamp <= self.timestamp
    }

    /// Cassandra's `DeletionTime.supersedes`: the later timestamp, then the later local
    /// deletion time.
    pub fn supersedes(&self, other: &Deletion) -> bool {
        self.timestamp > other.timestamp
            || (self.timestamp == other.timestamp
                && self.local_deletion_time > other.local_deletion_time)
    }
}

/// The time-to-live of a cell or row marker.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Ttl {
    /// The TTL as given, in seconds (what `ttl()` started from).
    pub ttl: u32,
    /// When the data expires, in seconds since the epoch (`now + ttl` at write time).
    pub expires_at: i64,
}

impl Ttl {
    /// A TTL of `ttl` seconds for data written at `now` (seconds since the epoch).
    /// `USING TTL 0` means "no TTL" in CQL: pass `None` rather than a zero TTL, which
    /// expires at once.
    pub fn new(ttl: u32, now: i64) -> Self {
        Ttl {
            ttl,
            expires_at: now + i64::from(ttl),
        }
    }

    /// Seconds left at `now` (0 once expired), as `ttl()` reports it.
    pub fn remaining(&self, now: i64) -> i64 {
        (self.expires_at - now).max(0)
    }

    /// True if the data has expired at `now`. Cassandra: live while `now < expires_at`.
    pub fn is_expired(&self, now: i64) -> bool {
        now >= self.expires_at
    }
}

/// A row's primary-key liveness (the row marker INSERT writes; UPDATE does not).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Liveness {
    /// Write timestamp in microseconds.
    pub timestamp: i64,
    /// Optional TTL.
    pub ttl: Option<Ttl>,
}

/// Which row of a partition an update or a read result is about.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RowKey {
    /// The partition's static row (sorts before every clustering row).
    Static,
    /// A clustering row, by its byte-comparable clustering key (empty for tables without
    /// clustering columns).
    Clustering(Vec<u8>),
}

/// A write to one cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CellOp {
    /// A live value, optionally expiring.
    Write {
        /// Write timestamp in microseconds.
        timestamp: i64,
        /// The opaque cell value (for counters: the counter's current total, see the crate docs).
        value: Vec<u8>,
        /// Optional TTL.
        ttl: Option<Ttl>,
    },
    /// A cell tombstone (a null write, or deleting a column or collection element).
    Delete(Deletion),
}

/// One cell update: a simple column (`path: None`) or one element of a multi-cell
/// collection or UDT (`path: Some(byte-comparable element key)`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CellUpdate {
    /// The column.
    pub column: ColumnId,
    /// The cell path inside a multi-cell column (set element, map key, list timeuuid,
    /// UDT field), byte-comparable; `None` for simple columns.
    pub path: Option<Vec<u8>>,
    /// What to write.
    pub op: CellOp,
}

/// Everything written to one row (or the static row) of a partition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowUpdate {
    /// The row.
    pub key: RowKey,
    /// Row deletion (`DELETE FROM t WHERE <full primary key>`).
    pub deletion: Option<Deletion>,
    /// Row liveness marker (written by INSERT, not by UPDATE).
    pub marker: Option<Liveness>,
    /// Collection tombstones: each deletes every cell of that multi-cell column with a
    /// timestamp `<=` its own (`SET c = {...}` writes one at `ts - 1`).
    pub collection_deletions: Vec<(ColumnId, Deletion)>,
    /// Cell writes.
    pub cells: Vec<CellUpdate>,
}

impl RowUpdate {
    /// An empty update of `key`.
    pub fn new(key: RowKey) -> Self {
        RowUpdate {
            key,
            deletion: None,
            marker: None,
            collection_deletions: Vec::new(),
            cells: Vec::new(),
        }
    }

    /// Adds a live cell of a simple column.
    pub fn set(
        mut self,
        column: ColumnId,
        timestamp: i64,
        value: Vec<u8>,
        ttl: Option<Ttl>,
    ) -> Self {
        self.cells.push(CellUpdate {
            column,
            path: None,
            op: CellOp::Write {
                timestamp,
                value,
                ttl,
            },
        });
        self
    }

    /// Adds a cell tombstone of a simple column.
    pub fn delete_cell(mut self, column: ColumnId, deletion: Deletion) -> Self {
        self.cells.push(CellUpdate {
            column,
            path: None,
            op: CellOp::Delete(deletion),
        });
        self
    }

    /// Sets the row marker.
    pub fn with_marker(mut self, marker: Liveness) -> Self {
        self.marker = Some(marker);
        self
    }
}

/// One end of a clustering range. Bounds are over byte-comparable clustering PREFIXES: a
/// prefix stands for every clustering key that starts with it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Bound {
    /// No bound on this side.
    Unbounded,
    /// Includes every clustering key starting with the prefix.
    Inclusive(Vec<u8>),
    /// Excludes every clustering key starting with the prefix.
    Exclusive(Vec<u8>),
}

/// A clustering range `[start, end]` in clustering (byte) order.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Slice {
    /// Lower end.
    pub start: Bound,
    /// Upper end.
    pub end: Bound,
}

impl Slice {
    /// The whole partition.
    pub const ALL: Slice = Slice {
        start: Bound::Unbounded,
        end: Bound::Unbounded,
    };

    /// Exactly the rows whose clustering starts with `prefix` (a full key selects one row).
    pub fn prefix(prefix: Vec<u8>) -> Slice {
        Slice {
            start: Bound::Inclusive(prefix.clone()),
            end: Bound::Inclusive(prefix),
        }
    }
}

/// A range tombstone: deletes every row whose clustering falls in `slice`, for data with
/// a timestamp `<=` the deletion's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RangeTombstone {
    /// The deleted clustering range.
    pub slice: Slice,
    /// The deletion.
    pub deletion: Deletion,
}

/// All changes to one partition. A list of mutations passed to one `apply` is written
/// atomically (all or nothing, even across a crash).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mutation {
    /// The table.
    pub table: TableId,
    /// The serialized partition key (one value, or the CompositeType encoding).
    pub partition_key: Vec<u8>,
    /// Partition deletion.
    pub partition_deletion: Option<Deletion>,
    /// Range tombstones.
    pub range_tombstones: Vec<RangeTombstone>,
    /// Row updates (static row included).
    pub rows: Vec<RowUpdate>,
}

impl Mutation {
    /// An empty mutation of one partition.
    pub fn new(table: TableId, partition_key: Vec<u8>) -> Self {
        Mutation {
            table,
            partition_key,
            partition_deletion: None,
            range_tombstones: Vec::new(),
            rows: Vec::new(),
        }
    }

    /// Adds a row update.
    pub fn row(mut self, row: RowUpdate) -> Self {
        self.rows.push(row);
        self
    }
}

/// A live cell as a read returns it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    /// The column.
    pub column: ColumnId,
    /// The cell path for multi-cell columns (`None` for simple columns).
    pub path: Option<Vec<u8>>,
    /// The value.
    pub value: Vec<u8>,
    /// Write timestamp (what `writetime()` returns).
    pub timestamp: i64,
    /// TTL, if the cell expires (`ttl()` is `ttl.remaining(now)`).
    pub ttl: Option<Ttl>,
}

/// A live row as a read returns it: cells ordered by column id, then by path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// Static row or clustering key.
    pub key: RowKey,
    /// The live row marker, if any.
    pub marker: Option<Liveness>,
    /// Live cells.
    pub cells: Vec<Cell>,
}

impl Row {
    /// The clustering bytes (empty for the static row).
    pub fn clustering(&self) -> &[u8] {
        match &self.key {
            RowKey::Static => &[],
            RowKey::Clustering(c) => c,
        }
    }

    /// The live cells of one column, in path order.
    pub fn column(&self, column: ColumnId) -> impl Iterator<Item = &Cell> {
        self.cells.iter().filter(move |c| c.column == column)
    }
}

/// What to read from one partition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadSpec {
    /// Clustering ranges in clustering order, not overlapping; empty means the whole
    /// partition.
    pub slices: Vec<Slice>,
    /// Return rows in reverse clustering order.
    pub reversed: bool,
    /// The current time in seconds since the epoch (decides TTL expiry).
    pub now: i64,
    /// Also read the static row.
    pub static_row: bool,
    /// Resume after this clustering key (paging): in forward order only rows with a
    /// greater clustering are returned, reversed only rows with a smaller one.
    pub resume_after: Option<Vec<u8>>,
    /// Stop after this many live clustering rows.
    pub limit: Option<usize>,
    /// Dropped columns: their cells written at or before the paired timestamp (µs) are
    /// ignored, as if absent (Cassandra's `DroppedColumn.droppedTime`).
    pub dropped: Vec<(ColumnId, i64)>,
}

impl ReadSpec {
    /// The whole partition, forward, with its static row, at `now` (seconds).
    pub fn all(now: i64) -> Self {
        ReadSpec {
            slices: Vec::new(),
            reversed: false,
            now,
            static_row: true,
            resume_after: None,
            limit: None,
            dropped: Vec::new(),
        }
    }
}

/// A partition key found by a scan.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PartitionKey {
    /// Its Murmur3 token.
    pub token: i64,
    /// The serialized partition key.
    pub key: Vec<u8>,
}

/// Where a partition scan starts, in token order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScanStart {
    /// The first partition of the table.
    Beginning,
    /// At a token (`inclusive`: partitions with exactly this token are included).
    Token {
        /// The token.
        token: i64,
        /// Include partitions whose token equals `token`.
        inclusive: bool,
    },
    /// At a partition key (`inclusive`: include that partition itself), for paging.
    Key {
        /// The serialized partition key.
        key: Vec<u8>,
        /// Include the partition itself.
        inclusive: bool,
    },
}

/// Where a partition scan ends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScanEnd {
    /// The end of the table.
    Unbounded,
    /// At a token (`inclusive`: partitions with exactly this token are included).
    Token {
        /// The token.
        token: i64,
        /// Include partitions whose token equals `token`.
        inclusive: bool,
    },
}
