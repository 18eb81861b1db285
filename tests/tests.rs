//! End-to-end and property tests of zhnorm: the whole pipeline on the bundled corpus and on
//! inputs built here. One test binary with modules (see ARCHITECTURE.md, "Tests").

mod allocations;
mod bad_input;
mod corpus;
mod determinism;
mod engines;
mod fuzz_replay;
mod hostile;
mod properties;
mod schema;
mod seeds;
mod stream;
mod support;
mod view;
