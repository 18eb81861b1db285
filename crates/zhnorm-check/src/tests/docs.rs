//! `docs/rules.md` is generated; this test fails when the committed file is stale.

use std::path::Path;

use super::expect_file;
use crate::{rules_markdown, rules_table};

#[test]
fn docs_rules_md_is_current() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/rules.md");
    expect_file(&path, &rules_markdown());
}

#[test]
fn the_rule_table_lists_every_code_once() {
    let table = rules_table();
    assert_eq!(table.lines().count(), zhnorm_doc::codes::ALL.len() + 1);
    assert!(
        table
            .lines()
            .any(|l| l.starts_with("T003  cjk-latin-spacing") && l.contains(" off "))
    );
    assert!(
        table
            .lines()
            .any(|l| l.starts_with("T001") && l.contains(" safe "))
    );
}
