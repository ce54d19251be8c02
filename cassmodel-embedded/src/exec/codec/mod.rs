// LEAD NOTE (03:50): the storage team owns `crate::types` and has committed a validating
// native-protocol codec (types/codec.rs, with Cassandra's messages) and Cassandra's
// comparators (types/compare.rs). Use those rather than adding validation/comparison here.
//! Value codecs the engine needs on top of the native-protocol encoding: byte-comparable
//! keys (clustering keys and collection cell paths), CompositeType partition keys,
//! collection (de)serialization, literal parsing and value comparison.
//!
//! Values travel through the engine in their native-protocol serialized form
//! (`native_protocol_v4.spec` §6); these modules convert them where storage or CQL rules
//! need more.

pub mod collection;
pub mod comparable;
pub mod literal;
pub mod normalize;
pub mod partition;

pub use comparable::{compare, decode_key, encode_key};
