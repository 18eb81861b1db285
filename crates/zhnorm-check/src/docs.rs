//! The rule table (`cargo xtask rules`) and `docs/rules.md`, both generated from the registry.

use std::fmt::Write;

use crate::registry::{Check, Rule, all_rules};

fn fix_label(rule: &Rule) -> &'static str {
    rule.fix.map_or("-", |f| f.safety.as_str())
}

fn default_label(rule: &Rule) -> &'static str {
    if rule.enabled_by_default { "on" } else { "off" }
}

fn found_by(rule: &Rule) -> String {
    let scope = match rule.check {
        Check::Corpus(_) => " (over the corpus)",
        Check::Document(_) | Check::PassThrough => "",
    };
    format!("{}{scope}", rule.origin.describe())
}

/// The rule table as plain text, one rule a line, for a terminal.
pub fn rules_table() -> String {
    let rules = all_rules();
    let name_width = rules.iter().map(|r| r.code.name.len()).max().unwrap_or(4);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:<5} {:<name_width$} {:<8} {:<7} {:<7} summary",
        "code", "name", "severity", "fix", "default"
    );
    for rule in rules {
        let _ = writeln!(
            out,
            "{:<5} {:<name_width$} {:<8} {:<7} {:<7} {}",
            rule.code.code,
            rule.code.name,
            rule.code.severity.as_str(),
            fix_label(rule),
            default_label(rule),
            rule.code.summary
        );
    }
    out
}

const FAMILIES: &[(&str, &str)] = &[
    ("F", "Input files"),
    ("M", "Source markup"),
    ("S", "Structure"),
    ("R", "References"),
    ("C", "Script"),
    ("T", "Typography"),
    ("K", "Corpus"),
];

/// The content of `docs/rules.md`: every rule with its explanation.
pub fn rules_markdown() -> String {
    let rules = all_rules();
    let mut out = String::new();
    out.push_str("# zhnorm rules\n\n");
    out.push_str(
        "<!-- Generated from crates/zhnorm-check/src/rules by zhnorm_check::rules_markdown; do not edit.\n     Regenerate with `UPDATE_EXPECT=1 cargo test -p zhnorm-check`. -->\n\n",
    );
    out.push_str(
        "Every diagnostic zhnorm writes has one of these codes. A code keeps its meaning forever. \
Select, ignore or re-grade rules in the `[check]` table of `zhnorm.toml` (by code, name, code \
prefix or family) or with flags. *Found by* says which stage emits the code: `checks` are this \
crate's rules; codes emitted by readers and other stages carry the source line and column where \
they have them.\n\n",
    );
    out.push_str("| code | name | severity | fix | default | found by |\n");
    out.push_str("| --- | --- | --- | --- | --- | --- |\n");
    for rule in rules {
        let _ = writeln!(
            out,
            "| [{code}](#{anchor}) | `{name}` | {sev} | {fix} | {default} | {by} |",
            code = rule.code.code,
            anchor = rule.code.code.to_lowercase(),
            name = rule.code.name,
            sev = rule.code.severity.as_str(),
            fix = fix_label(rule),
            default = default_label(rule),
            by = found_by(rule),
        );
    }
    for (prefix, family) in FAMILIES {
        let _ = write!(out, "\n## {family} ({prefix})\n");
        for rule in rules.iter().filter(|r| r.code.code.starts_with(prefix)) {
            let _ = write!(
                out,
                "\n### {code}\n\n`{name}` — {summary}. Severity **{sev}**, {default} by default, found by {by}",
                code = rule.code.code,
                name = rule.code.name,
                summary = rule.code.summary,
                sev = rule.code.severity.as_str(),
                default = default_label(rule),
                by = found_by(rule),
            );
            match rule.fix {
                Some(fix) => {
                    let _ = writeln!(
                        out,
                        "; fix ({}): {}.\n",
                        fix.safety.as_str(),
                        fix.description
                    );
                }
                None => out.push_str(".\n\n"),
            }
            out.push_str(&rule.documentation());
            out.push('\n');
        }
    }
    out
}
