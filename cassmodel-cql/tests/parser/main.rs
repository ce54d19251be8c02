//! Parser tests: one module per statement family, plus identifier, marker, error and
//! robustness tests.

mod common;
mod ddl;
mod describe;
mod errors;
mod fuzz;
mod idents;
mod markers;
mod modify;
mod roundtrip;
mod select;
mod smoke;
mod terms;
