//! Cross-check of the store's Murmur3 token (`cassmodel_store::token`) against the scylla
//! driver's `Murmur3Partitioner`, which routes requests by the same token: random keys of
//! every length, tail bytes >= 0x80 included (Cassandra's signed-byte quirk).

use cassmodel_store::token::murmur3_token;
use proptest::prelude::*;
use scylla::routing::partitioner::{Murmur3Partitioner, Partitioner};

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]
    #[test]
    fn store_token_matches_scylla(key in prop::collection::vec(any::<u8>(), 1..80)) {
        let ours = murmur3_token(&key);
        let theirs = Murmur3Partitioner.hash_one(&key).value();
        // The driver does not normalize i64::MIN (Cassandra maps it to i64::MAX).
        let theirs = if theirs == i64::MIN { i64::MAX } else { theirs };
        prop_assert_eq!(ours, theirs);
    }
}
