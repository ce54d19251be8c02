//! Deferred durability: running writes on an async executor without blocking it on fsync.
//!
//! In [`SyncMode::Batch`](crate::SyncMode::Batch) a write normally returns only once the
//! journal is fsynced, blocking its thread meanwhile. A server that runs requests on an
//! async runtime's worker threads wants the commit (fast, in memory) to happen inline and
//! the wait for the disk to be a future, so one worker keeps serving other requests while
//! an fsync covers many of them. [`defer_durability`] runs a closure in which every write
//! commits but does not wait for the disk; it returns a [`CommitTicket`] for the newest
//! commit made, which the caller awaits with [`Store::durable`](crate::Store::durable)
//! before acknowledging anything. A background thread of the store runs the fsyncs that
//! deferred commits ask for, sharing each among every commit made before it started.
//!
//! The deferral is per thread (like a tracing span): the closure must not move its work to
//! other threads. Writes that can wait a long time anyway (truncation, dropping a table)
//! still block.

use std::cell::Cell;

/// A commit that may not be on disk yet. Await [`Store::durable`](crate::Store::durable)
/// with it before telling anybody the write happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct CommitTicket(pub(crate) u64);

thread_local! {
    /// `None` outside [`defer_durability`]; inside, the newest commit sequence made
    /// (0 = nothing committed yet).
    static DEFERRED: Cell<Option<u64>> = const { Cell::new(None) };
}

/// Restores the enclosing deferral state when the closure returns or unwinds.
struct Restore(Option<u64>);

impl Drop for Restore {
    fn drop(&mut self) {
        let outer = self.0;
        DEFERRED.with(|d| {
            // A nested scope's commits also belong to the enclosing scope.
            let inner = d.get().unwrap_or(0);
            d.set(outer.map(|o| o.max(inner)));
        });
    }
}

/// Runs `f` with durability waits deferred (see the module docs); returns its result and
/// the ticket of the newest commit it made, if it made any that still needs an fsync.
pub fn defer_durability<T>(f: impl FnOnce() -> T) -> (T, Option<CommitTicket>) {
    let outer = DEFERRED.with(|d| d.replace(Some(0)));
    let restore = Restore(outer);
    let out = f();
    let seq = DEFERRED.with(|d| d.get()).unwrap_or(0);
    drop(restore);
    (out, (seq > 0).then_some(CommitTicket(seq)))
}

/// Records commit `seq` if durability is deferred on this thread; false if it is not (the
/// caller must wait for the disk itself).
pub(crate) fn defer(seq: u64) -> bool {
    DEFERRED.with(|d| match d.get() {
        Some(newest) => {
            d.set(Some(newest.max(seq)));
            true
        }
        None => false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outside_a_scope_nothing_is_deferred() {
        assert!(!defer(5));
    }

    #[test]
    fn the_ticket_is_the_newest_commit() {
        let ((), ticket) = defer_durability(|| {
            assert!(defer(3));
            assert!(defer(7));
            assert!(defer(5));
        });
        assert_eq!(ticket, Some(CommitTicket(7)));
        let ((), none) = defer_durability(|| {});
        assert_eq!(none, None);
    }

    #[test]
    fn nested_scopes_report_to_the_outer_one_and_unwinding_restores() {
        let ((), outer) = defer_durability(|| {
            let ((), inner) = defer_durability(|| assert!(defer(4)));
            assert_eq!(inner, Some(CommitTicket(4)));
            let caught = std::panic::catch_unwind(|| {
                defer_durability(|| -> () {
                    defer(9);
                    panic!("boom")
                })
            });
            assert!(caught.is_err());
        });
        assert_eq!(outer, Some(CommitTicket(9)));
        assert!(!defer(1), "the scope ended");
    }
}
