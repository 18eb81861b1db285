//! The pure-Rust default engine (placeholder until it lands).
