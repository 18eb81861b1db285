//! Workspace-level tests of zhnorm live in `tests.rs`.
