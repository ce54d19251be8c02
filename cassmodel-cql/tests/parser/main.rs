//! Parser tests: one module per statement family, plus error and robustness tests.

mod smoke;
