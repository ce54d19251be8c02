//! trybuild UI tests.
