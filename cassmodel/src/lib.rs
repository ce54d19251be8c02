//! cassmodel: an object mapper for Apache Cassandra and ScyllaDB.
