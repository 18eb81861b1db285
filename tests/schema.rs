//! The published JSON Schema is current, and every document zhnorm writes validates against it.

use crate::support::{project_root, seeds};

#[test]
fn committed_schema_is_current() {
    let committed = std::fs::read_to_string(project_root().join("schema/zhnorm.doc-1.schema.json"))
        .expect("schema/zhnorm.doc-1.schema.json exists");
    assert!(
        committed == zhnorm_doc::json_schema_text(),
        "schema/zhnorm.doc-1.schema.json is stale: run `cargo xtask schema`"
    );
}

#[test]
fn every_written_document_validates() {
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(project_root().join("schema/zhnorm.doc-1.schema.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    let output = seeds();
    assert_eq!(output.documents.len(), 3);
    for (name, text) in output.files().iter().filter(|(name, _)| {
        name.ends_with(".json") && !name.starts_with("report") && !name.starts_with("diagnostics")
    }) {
        let instance: serde_json::Value = serde_json::from_str(text).unwrap();
        let errors: Vec<String> = validator
            .iter_errors(&instance)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(
            errors.is_empty(),
            "{name} does not validate:\n{}",
            errors.join("\n")
        );
    }
}

#[test]
fn schema_rejects_a_document_without_required_keys() {
    let validator = jsonschema::validator_for(&zhnorm_doc::json_schema()).unwrap();
    let mut document = serde_json::to_value(&seeds().documents[0]).unwrap();
    assert!(validator.is_valid(&document));
    document.as_object_mut().unwrap().remove("references");
    assert!(!validator.is_valid(&document));
}
