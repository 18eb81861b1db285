//! The two conversion engines give the same canonical output on the seed corpus.

use zhnorm::{EngineKind, Options, Pipeline};
use zhnorm_doc::Document;

use crate::support::{normalize, project_root};

/// The canonical JSON of `doc` without what differs between engines by design: which engine
/// ran, and the ambiguity count that only the builtin engine can give.
fn comparable(doc: &Document) -> String {
    let mut doc = doc.clone();
    doc.conversion.engine = None;
    doc.conversion.ambiguous = 0;
    zhnorm_doc::to_canonical_json(&doc)
}

#[test]
fn builtin_and_opencc_engines_agree_on_the_seeds() {
    let opencc = Options {
        engine: EngineKind::Opencc,
        ..Options::default()
    };
    if let Err(error) = Pipeline::new(opencc.clone()) {
        println!(
            "SKIPPED: the opencc engine is not available ({error}); build with `--features zhnorm/opencc`"
        );
        return;
    }
    let input = project_root().join("corpus/raw");
    let builtin = normalize(&input, Options::default(), 2);
    let reference = normalize(&input, opencc, 2);
    assert_eq!(builtin.documents.len(), reference.documents.len());
    let mut differences = Vec::new();
    for (a, b) in builtin.documents.iter().zip(&reference.documents) {
        let (a_json, b_json) = (comparable(a), comparable(b));
        for (n, (x, y)) in a_json.lines().zip(b_json.lines()).enumerate() {
            if x != y {
                differences.push(format!(
                    "{}.json:{}:\n  builtin: {x}\n  opencc:  {y}",
                    a.id,
                    n + 1
                ));
            }
        }
        if a_json.lines().count() != b_json.lines().count() {
            differences.push(format!("{}.json: line counts differ", a.id));
        }
    }
    assert!(
        differences.is_empty(),
        "the engines disagree:\n{}",
        differences.join("\n")
    );
}
