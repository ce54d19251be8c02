//! What a cassmodel model declares — tables, columns, CQL types, keys, clustering order,
//! static columns, indexes, table options — and the only renderer of the CQL that creates
//! them. With the `syn` feature it also parses `#[cassmodel(...)]` attributes, so the
//! derive and `cassmodel migrate` share one parser and can never disagree.
