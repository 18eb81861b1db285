//! Which rules run and at what severity: the `[check]` table of `zhnorm.toml`, plus flags.
//!
//! ```toml
//! [check]
//! select = ["ALL"]              # default: every rule that is on by default
//! extend-select = ["T003"]      # add to the selection
//! ignore = ["S003", "corpus"]   # codes, names, code prefixes or family names
//! today = "2026-11-21"          # the day "a date in the future" is measured against
//!
//! [check.severity]
//! empty-section = "warning"
//! ```
//!
//! Selectors are matched against each code: `ALL`, an exact code (`S003`), a rule name
//! (`empty-section`), a code prefix (`S`, `R00`) or a family name (`structure`). The selection
//! is `select` (or the defaults) plus `extend-select`, minus `ignore`; flags apply after the
//! file in the same way. Other tables of `zhnorm.toml` are left to their owners.

use std::collections::BTreeMap;

use serde::Deserialize;
use zhnorm_doc::codes::{self, Code};
use zhnorm_doc::{Diagnostic, Severity};

use crate::date::PartialDate;
use crate::registry::{family_name, rule_by_code};

/// What can be wrong with a configuration.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("zhnorm.toml: {0}")]
    Toml(#[from] toml::de::Error),
    #[error(
        "unknown rule selector `{0}` (expected ALL, a code, a rule name, a code prefix or a family)"
    )]
    UnknownSelector(String),
    #[error("`today` must be a full date YYYY-MM-DD, not `{0}`")]
    BadToday(String),
    #[error("severity override `{0}` must look like CODE=error|warning|info")]
    BadSeverityOverride(String),
}

/// A validated rule selector.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Selector(String);

impl Selector {
    fn parse(text: &str) -> Result<Selector, ConfigError> {
        let text = text.trim();
        let selector = Selector(text.to_owned());
        if codes::ALL.iter().any(|c| selector.matches(c)) {
            Ok(selector)
        } else {
            Err(ConfigError::UnknownSelector(text.to_owned()))
        }
    }

    fn matches(&self, code: &Code) -> bool {
        let s = self.0.as_str();
        s.eq_ignore_ascii_case("ALL")
            || s == code.name
            || s == family_name(code.code)
            || (!s.is_empty()
                && code.code.starts_with(&s.to_ascii_uppercase())
                && is_code_prefix(s))
    }
}

fn is_code_prefix(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic()) && chars.all(|c| c.is_ascii_digit())
}

/// The check configuration. `Config::default()` runs every rule that is on by default at its
/// default severity and has no "today".
#[derive(Debug, Clone, Default)]
pub struct Config {
    select: Option<Vec<Selector>>,
    extend_select: Vec<Selector>,
    ignore: Vec<Selector>,
    severities: Vec<(Selector, Severity)>,
    today: Option<PartialDate>,
}

#[derive(Debug, Default, Deserialize)]
struct File {
    #[serde(default)]
    check: CheckTable,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
struct CheckTable {
    select: Option<Vec<String>>,
    #[serde(default)]
    extend_select: Vec<String>,
    #[serde(default)]
    ignore: Vec<String>,
    #[serde(default)]
    severity: BTreeMap<String, Severity>,
    today: Option<String>,
}

impl Config {
    /// Reads the `[check]` table of a `zhnorm.toml`; a file without one gives the defaults.
    pub fn from_toml_str(text: &str) -> Result<Config, ConfigError> {
        let file: File = toml::from_str(text)?;
        let table = file.check;
        let mut config = Config::default();
        if let Some(select) = table.select {
            config.select(&select)?;
        }
        for s in &table.extend_select {
            config.extend_select(s)?;
        }
        for s in &table.ignore {
            config.ignore(s)?;
        }
        for (s, severity) in table.severity {
            config.severities.push((Selector::parse(&s)?, severity));
        }
        if let Some(today) = table.today {
            config.set_today(&today)?;
        }
        Ok(config)
    }

    /// Replaces the selection (a `--select` flag).
    pub fn select<S: AsRef<str>>(&mut self, selectors: &[S]) -> Result<&mut Self, ConfigError> {
        let parsed = selectors
            .iter()
            .map(|s| Selector::parse(s.as_ref()))
            .collect::<Result<Vec<_>, _>>()?;
        self.select = Some(parsed);
        self.extend_select.clear();
        Ok(self)
    }

    /// Adds rules to the selection (an `--extend-select` flag).
    pub fn extend_select(&mut self, selector: &str) -> Result<&mut Self, ConfigError> {
        let selector = Selector::parse(selector)?;
        self.ignore.retain(|s| s != &selector);
        self.extend_select.push(selector);
        Ok(self)
    }

    /// Turns rules off (an `--ignore` flag).
    pub fn ignore(&mut self, selector: &str) -> Result<&mut Self, ConfigError> {
        self.ignore.push(Selector::parse(selector)?);
        Ok(self)
    }

    /// Changes the severity of the selected rules; later overrides win.
    pub fn set_severity(
        &mut self,
        selector: &str,
        severity: Severity,
    ) -> Result<&mut Self, ConfigError> {
        self.severities.push((Selector::parse(selector)?, severity));
        Ok(self)
    }

    /// Applies a `--severity CODE=LEVEL` flag.
    pub fn severity_flag(&mut self, flag: &str) -> Result<&mut Self, ConfigError> {
        let bad = || ConfigError::BadSeverityOverride(flag.to_owned());
        let (selector, level) = flag.split_once('=').ok_or_else(bad)?;
        let severity = match level.trim() {
            "error" => Severity::Error,
            "warning" => Severity::Warning,
            "info" => Severity::Info,
            _ => return Err(bad()),
        };
        self.set_severity(selector, severity)
    }

    /// Sets the day dates in the future are measured against (`YYYY-MM-DD`).
    pub fn set_today(&mut self, today: &str) -> Result<&mut Self, ConfigError> {
        match PartialDate::parse(today) {
            Ok(date) if date.day.is_some() => {
                self.today = Some(date);
                Ok(self)
            }
            _ => Err(ConfigError::BadToday(today.to_owned())),
        }
    }

    pub fn today(&self) -> Option<PartialDate> {
        self.today
    }

    /// Whether the rule of `code` runs (and its diagnostics are kept).
    pub fn is_enabled(&self, code: &Code) -> bool {
        let selected = match &self.select {
            Some(select) => select.iter().any(|s| s.matches(code)),
            None => rule_by_code(code.code).is_none_or(|r| r.enabled_by_default),
        };
        (selected || self.extend_select.iter().any(|s| s.matches(code)))
            && !self.ignore.iter().any(|s| s.matches(code))
    }

    /// The severity diagnostics of `code` get.
    pub fn severity(&self, code: &Code) -> Severity {
        self.severities
            .iter()
            .rev()
            .find(|(s, _)| s.matches(code))
            .map_or(code.severity, |(_, severity)| *severity)
    }

    /// Keeps the diagnostics whose rule is enabled, at their configured severity. Codes not in
    /// the table (from a newer or foreign stage) are kept as they are.
    pub fn apply(&self, diagnostics: impl IntoIterator<Item = Diagnostic>) -> Vec<Diagnostic> {
        diagnostics
            .into_iter()
            .filter_map(|mut d| match codes::lookup(&d.code) {
                Some(code) if !self.is_enabled(code) => None,
                Some(code) => {
                    d.severity = self.severity(code);
                    Some(d)
                }
                None => Some(d),
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_leave_off_by_default_rules_off() {
        let config = Config::default();
        assert!(config.is_enabled(&codes::EMPTY_SECTION));
        assert!(!config.is_enabled(&codes::CJK_LATIN_SPACING));
    }

    #[test]
    fn file_selects_ignores_and_changes_severity() {
        let config = Config::from_toml_str(
            "[other]\nx = 1\n[check]\nextend-select = [\"cjk-latin-spacing\"]\nignore = [\"K\", \"S00\"]\ntoday = \"2026-11-21\"\n[check.severity]\nreference-never-cited = \"error\"\n",
        )
        .unwrap();
        assert!(config.is_enabled(&codes::CJK_LATIN_SPACING));
        assert!(!config.is_enabled(&codes::DUPLICATE_ID));
        assert!(!config.is_enabled(&codes::EMPTY_SECTION));
        assert!(config.is_enabled(&codes::CITATION_WITHOUT_REFERENCE));
        assert_eq!(
            config.severity(&codes::REFERENCE_NEVER_CITED),
            Severity::Error
        );
        assert_eq!(config.today().unwrap().to_string(), "2026-11-21");
    }

    #[test]
    fn flags_override_the_file() {
        let mut config = Config::from_toml_str("[check]\nselect = [\"structure\"]\n").unwrap();
        assert!(!config.is_enabled(&codes::MARKUP_RESIDUE));
        config.extend_select("M008").unwrap();
        config.severity_flag("S003=warning").unwrap();
        assert!(config.is_enabled(&codes::MARKUP_RESIDUE));
        assert_eq!(config.severity(&codes::EMPTY_SECTION), Severity::Warning);
    }

    #[test]
    fn rejects_unknown_selectors_and_keys() {
        assert!(matches!(
            Config::from_toml_str("[check]\nignore = [\"X999\"]\n"),
            Err(ConfigError::UnknownSelector(s)) if s == "X999"
        ));
        assert!(matches!(
            Config::from_toml_str("[check]\nignroe = []\n"),
            Err(ConfigError::Toml(_))
        ));
        assert!(Config::default().severity_flag("S003").is_err());
    }
}
