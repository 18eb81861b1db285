//! Throughput of the wikitext reader (placeholder until the reader lands).
fn main() {}
