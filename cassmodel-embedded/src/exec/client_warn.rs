//! Client warnings: messages a request collects while it runs and that its reply carries
//! (the frame header's WARNING flag, spec §2.2), as Cassandra's `service/ClientWarn.java`
//! collects them in a per-request, thread-local state. cqlsh prints them under
//! `Warnings :`; the drivers log them and expose them on the result.
//!
//! The engine runs each request synchronously on one thread, so a thread-local list is
//! the request's list: [`capture`] opens it around the request, [`warn`] adds to it and
//! does nothing when no request is capturing (internal work, tests calling the engine).

use std::cell::RefCell;

thread_local! {
    static WARNINGS: RefCell<Option<Vec<String>>> = const { RefCell::new(None) };
}

/// Adds a warning to the running request's reply (`ClientWarn.instance.warn`).
pub fn warn(message: impl Into<String>) {
    WARNINGS.with(|w| {
        if let Some(list) = w.borrow_mut().as_mut() {
            list.push(message.into());
        }
    });
}

/// Runs `f` with a fresh warning list and returns its result with the warnings it
/// collected, in order. Nested captures keep their lists apart.
pub fn capture<T>(f: impl FnOnce() -> T) -> (T, Vec<String>) {
    let outer = WARNINGS.with(|w| w.replace(Some(Vec::new())));
    let result = f();
    let warnings = WARNINGS.with(|w| w.replace(outer)).unwrap_or_default();
    (result, warnings)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn warnings_outside_a_capture_are_dropped() {
        warn("nobody listens");
        let ((), w) = capture(|| ());
        assert!(w.is_empty());
    }

    #[test]
    fn capture_collects_in_order() {
        let (n, w) = capture(|| {
            warn("first");
            warn("second");
            let ((), inner) = capture(|| warn("inner"));
            assert_eq!(inner, ["inner"]);
            7
        });
        assert_eq!(n, 7);
        assert_eq!(w, ["first", "second"]);
    }
}
