//! The error type of the store.

/// What can go wrong in the store. Every variant says whose fault it is: the caller's
/// (bad keys, too large keys) or the disk's (I/O, corrupt data).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// The partition key is empty; Cassandra refuses such writes with this message.
    #[error("Key may not be empty")]
    EmptyKey,
    /// A key component is longer than Cassandra's 65535-byte limit
    /// (`FBUtilities.MAX_UNSIGNED_SHORT`, checked in `cql3/statements/ModificationStatement.java`).
    #[error("Key length of {length} is longer than maximum of 65535")]
    KeyTooLarge {
        /// The length of the offending key, in bytes.
        length: usize,
    },
    /// The encoded storage key would not fit fjall's key limit (the sum of the partition key,
    /// clustering and cell path is too large, though each may be within Cassandra's limit;
    /// see [`crate::keys::MAX_STORAGE_KEY_LEN`]).
    #[error(
        "Key length of {length} (partition key, clustering values and cell path combined, as stored) is longer than the maximum of {limit} of this server's storage engine"
    )]
    StorageKeyTooLarge {
        /// The encoded key's length.
        length: usize,
        /// The maximum the engine accepts.
        limit: usize,
    },
    /// Table ids from `0x8000_0000` up are reserved for the store's table generations
    /// (atomic TRUNCATE / DROP).
    #[error("table id {0} is in the range reserved for table generations")]
    ReservedTableId(u32),
    /// A stored key or value could not be decoded: the data directory is corrupt or was
    /// written by an incompatible version.
    #[error("corrupt storage record: {0}")]
    Corrupt(String),
    /// The data directory was written in a storage format this build does not read
    /// (`format.rs`); nothing in it was changed.
    #[error(
        "the data directory is in storage format {found}, this build reads format {supported}: open it with the cassmodel version that wrote it, or export its data (e.g. cqlsh COPY TO) and import it here"
    )]
    UnsupportedFormat {
        /// The format recorded in the directory.
        found: u32,
        /// The format of this build.
        supported: u32,
    },
    /// The underlying engine failed (I/O error, journal recovery failure...).
    #[error("storage engine error: {0}")]
    Engine(#[from] fjall::Error),
    /// An I/O error outside the engine (e.g. creating the data directory).
    #[error("I/O error: {0}")]
    Io(#[from] std::io::Error),
    /// The group commit this write was part of failed (the message is the cause); none of
    /// its writes were committed.
    #[error("group commit failed: {0}")]
    CommitFailed(String),
    /// A previous fsync failed; the store refuses further writes because durability of
    /// acknowledged data can no longer be promised.
    #[error("the store is poisoned after a failed fsync: {0}")]
    Poisoned(String),
}

/// Result with a [`StoreError`].
pub type StoreResult<T> = Result<T, StoreError>;
