//! One fixture file per rule, `test_data/rules/<CODE>.json`, with a `fail` and a `pass` case;
//! the diagnostics (and, for rules with a fix, the fixed text) are committed in
//! `<CODE>.expected.json`.
//!
//! A case gives a partial document over a default one (`zh-Hans`, wikitext, title `甲`):
//! `body` is a list of strings (`"== 历史"` is a level-2 heading, anything else a paragraph)
//! and any other key replaces the document's field of that name (`blocks`, `references`,
//! `infobox`, `diagnostics`, `lang`, `source`, …). `source_text` and `today` feed the context;
//! corpus rules take `corpus`, a list of such partial documents.

use serde_json::{Map, Value, json};
use zhnorm_doc::{Document, SCHEMA, visible_text};

use super::{expect_file, test_data};
use crate::registry::{Check, FixSafety, Rule, all_rules};
use crate::{CheckInput, Config, apply_fixes, check, check_corpus_with, finish_document};

fn document(partial: &Value) -> Document {
    let mut doc = json!({
        "schema": SCHEMA,
        "id": "甲",
        "title": "甲",
        "lang": "zh-Hans",
        "source": {
            "path": "甲.wikitext",
            "format": "wikitext",
            "sha256": "",
            "detection": {"format": "wikitext", "confidence": 1.0, "evidence": [], "overridden": true}
        },
        "blocks": [],
        "references": [],
        "categories": [],
        "diagnostics": []
    });
    let fields = partial.as_object().cloned().unwrap_or_default();
    for (key, value) in fields {
        if key == "body" {
            doc["blocks"] = Value::Array(
                value
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|line| body_block(line.as_str().unwrap()))
                    .collect(),
            );
        } else if !matches!(key.as_str(), "source_text" | "today") {
            doc[key.as_str()] = value;
        }
    }
    serde_json::from_value(doc).expect("fixture is a valid partial document")
}

fn body_block(line: &str) -> Value {
    let level = line.chars().take_while(|&c| c == '=').count();
    if level > 0 && line[level..].starts_with(' ') {
        json!({"type": "heading", "level": level, "inlines": [{"type": "text", "text": line[level..].trim()}]})
    } else {
        json!({"type": "paragraph", "inlines": [{"type": "text", "text": line}]})
    }
}

fn config_for(rule: &Rule, case: &Value) -> Config {
    let mut config = Config::default();
    config.select(&[rule.code.code]).unwrap();
    if let Some(today) = case.get("today").and_then(Value::as_str) {
        config.set_today(today).unwrap();
    }
    config
}

/// Runs `rule` alone on one case and returns what it found (and the fixed text, if it fixes).
fn run_case(rule: &Rule, case: &Value) -> Value {
    let config = config_for(rule, case);
    let mut result = Map::new();
    if let Check::Corpus(_) = rule.check {
        let docs: Vec<Document> = case["corpus"]
            .as_array()
            .unwrap()
            .iter()
            .map(document)
            .collect();
        let refs: Vec<&Document> = docs.iter().collect();
        let findings: Vec<Value> = check_corpus_with(&refs, &config)
            .into_iter()
            .map(|f| json!({"doc_id": f.doc_id, "diagnostic": f.diagnostic}))
            .collect();
        result.insert("findings".into(), Value::Array(findings));
        return Value::Object(result);
    }
    let source_text = case.get("source_text").and_then(Value::as_str);
    let mut doc = document(case);
    finish_document(&mut doc, source_text, &config);
    result.insert("diagnostics".into(), json!(doc.diagnostics));
    if rule.fix.is_some() {
        let mut fixed = document(case);
        let edits = apply_fixes(&mut fixed, &config, FixSafety::Unsafe);
        // A fix must leave nothing for its rule to find.
        let again = check(
            &CheckInput {
                doc: &fixed,
                source_text,
            },
            &config,
        );
        assert!(
            again.iter().all(|d| d.code != rule.code.code),
            "{}: the fix left {again:?}",
            rule.code.code
        );
        result.insert("edits".into(), json!(edits));
        result.insert("fixed".into(), json!(visible_text(&fixed)));
    }
    Value::Object(result)
}

fn found_count(result: &Value) -> usize {
    ["diagnostics", "findings"]
        .iter()
        .filter_map(|k| result.get(*k).and_then(Value::as_array))
        .map(Vec::len)
        .sum()
}

#[test]
fn every_rule_has_a_failing_and_a_passing_fixture() {
    let mut missing = Vec::new();
    for rule in all_rules() {
        let code = rule.code.code;
        let path = test_data(&format!("rules/{code}.json"));
        let Ok(text) = std::fs::read_to_string(&path) else {
            missing.push(code);
            continue;
        };
        let cases: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{code}: {e}"));
        let fail = run_case(rule, &cases["fail"]);
        let pass = run_case(rule, &cases["pass"]);
        assert!(
            found_count(&fail) > 0,
            "{code}: the failing fixture finds nothing"
        );
        assert_eq!(
            found_count(&pass),
            0,
            "{code}: the passing fixture finds {pass}"
        );
        let actual = json!({"fail": fail, "pass": pass});
        let mut actual = serde_json::to_string_pretty(&actual).unwrap();
        actual.push('\n');
        expect_file(&test_data(&format!("rules/{code}.expected.json")), &actual);
    }
    assert!(missing.is_empty(), "rules without fixtures: {missing:?}");
}

#[test]
fn the_registry_has_one_rule_per_code_in_code_order() {
    let registry: Vec<&str> = all_rules().iter().map(|r| r.code.code).collect();
    let table: Vec<&str> = zhnorm_doc::codes::ALL.iter().map(|c| c.code).collect();
    assert_eq!(registry, table);
    for rule in all_rules() {
        let doc = rule.documentation();
        assert!(
            doc.contains("**Why it matters.**"),
            "{} lacks its why",
            rule.code.code
        );
        assert!(
            doc.contains("**Example.**"),
            "{} lacks an example",
            rule.code.code
        );
    }
}

#[test]
fn a_stage_that_emitted_a_code_is_not_repeated_by_the_check() {
    let rule = crate::rule_by_code("S005").unwrap();
    let case = json!({
        "body": ["甲（）乙"],
        "diagnostics": [{"code": "S005", "severity": "warning", "message": "empty brackets `（）`", "line": 3, "column": 2}]
    });
    let result = run_case(rule, &case);
    assert_eq!(result["diagnostics"].as_array().unwrap().len(), 1);
}

#[test]
fn checking_twice_adds_nothing() {
    let mut doc = document(&json!({"body": ["甲,乙。。", "==== 丙"]}));
    let config = Config::default();
    finish_document(&mut doc, None, &config);
    let once = doc.diagnostics.clone();
    finish_document(&mut doc, None, &config);
    assert_eq!(doc.diagnostics, once);
    assert_eq!(once.len(), 4, "{once:?}");
}
