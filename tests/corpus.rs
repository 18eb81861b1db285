//! The bundled corpus: the committed output is what a run writes.

use crate::support::{project_root, seeds};

#[test]
fn committed_canonical_corpus_is_current() {
    let differences = zhnorm::compare_output(&seeds(), &project_root().join("corpus/canonical"));
    assert!(
        differences.is_empty(),
        "corpus/canonical is stale, run `cargo xtask normalize`:\n{}",
        differences.join("\n")
    );
}
