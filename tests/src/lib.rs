//! Workspace-level tests of zhnorm live in `tests.rs` and its modules; this library is empty.
