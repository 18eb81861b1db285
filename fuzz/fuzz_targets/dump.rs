//! Fuzz target `dump`: the invariants of `tests/fuzz_invariants.rs` on every input.
#![no_main]

#[path = "../../tests/fuzz_invariants.rs"]
#[allow(dead_code)]
mod invariants;

libfuzzer_sys::fuzz_target!(|data: &[u8]| invariants::check("dump", data));
