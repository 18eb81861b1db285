//! End-to-end and property tests of zhnorm.
