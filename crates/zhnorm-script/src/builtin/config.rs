//! OpenCC JSON configurations, parsed into a plan of dictionary groups (shared with the build
//! script).
//!
//! A configuration has optional `normalization` steps (OpenCC 1.4: converted over the whole text
//! before anything else), an optional `mmseg` `segmentation` dictionary, and a
//! `conversion_chain` of steps, each one dictionary. A dictionary is a file (`ocd2` or `text`)
//! or a `group` of dictionaries with a `match_policy`: `short_circuit` (the first member with any
//! match at a position answers, OpenCC 1.1's only behaviour and the default) or `union` (the
//! longest match over all members answers; on equal length the earlier member wins).

use std::path::{Path, PathBuf};

use serde_json::Value;

use super::error::LoadError;

/// How a group of dictionaries answers at one text position.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MatchPolicy {
    /// The first member that has any match answers with its longest match.
    ShortCircuit,
    /// The longest match among all members answers; earlier members win ties.
    Union,
}

/// A dictionary as a configuration names it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum DictSpec {
    /// One file, with its OpenCC type (`ocd2` or `text`).
    File {
        /// `ocd2` or `text`.
        kind: String,
        /// The file name as written in the configuration.
        file: String,
    },
    /// A group of dictionaries.
    Group {
        /// How the members combine.
        policy: MatchPolicy,
        /// The members, in priority order.
        members: Vec<DictSpec>,
    },
}

impl DictSpec {
    /// Every file this dictionary reads, in order, with its type.
    pub fn files(&self, out: &mut Vec<(String, String)>) {
        match self {
            DictSpec::File { kind, file } => out.push((kind.clone(), file.clone())),
            DictSpec::Group { members, .. } => members.iter().for_each(|m| m.files(out)),
        }
    }
}

/// A parsed configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigSpec {
    /// Whole-text steps applied before segmentation (OpenCC 1.4's `normalization`).
    pub normalization: Vec<DictSpec>,
    /// The maximum-match segmentation dictionary; `None` means the whole text is one segment.
    pub segmentation: Option<DictSpec>,
    /// The conversion chain, applied segment by segment.
    pub chain: Vec<DictSpec>,
}

/// Parses the JSON text of an OpenCC configuration; `path` is only used in errors.
pub fn parse_config(json: &str, path: &Path) -> Result<ConfigSpec, LoadError> {
    let invalid = |reason: String| LoadError::InvalidConfig {
        path: PathBuf::from(path),
        reason,
    };
    let root: Value = serde_json::from_str(json).map_err(|e| invalid(e.to_string()))?;
    let step_dicts = |name: &str| -> Result<Vec<DictSpec>, String> {
        match root.get(name) {
            None => Ok(Vec::new()),
            Some(Value::Array(steps)) => steps
                .iter()
                .map(|step| parse_dict(step.get("dict").ok_or("step without `dict`")?))
                .collect(),
            Some(_) => Err(format!("`{name}` must be an array")),
        }
    };
    let normalization = step_dicts("normalization").map_err(invalid)?;
    let chain = step_dicts("conversion_chain").map_err(invalid)?;
    if chain.is_empty() {
        return Err(invalid("empty or missing `conversion_chain`".to_owned()));
    }
    let segmentation = match root.get("segmentation") {
        None => None,
        Some(segmentation) => {
            let kind = segmentation.get("type").and_then(Value::as_str);
            if kind != Some("mmseg") {
                return Err(invalid(format!("unsupported segmentation type {kind:?}")));
            }
            let dict = segmentation
                .get("dict")
                .ok_or_else(|| invalid("segmentation without `dict`".to_owned()))?;
            Some(parse_dict(dict).map_err(invalid)?)
        }
    };
    Ok(ConfigSpec {
        normalization,
        segmentation,
        chain,
    })
}

fn parse_dict(value: &Value) -> Result<DictSpec, String> {
    let kind = value
        .get("type")
        .and_then(Value::as_str)
        .ok_or("dictionary without `type`")?;
    if kind == "group" {
        let policy = match value.get("match_policy").and_then(Value::as_str) {
            None | Some("short_circuit") => MatchPolicy::ShortCircuit,
            Some("union") => MatchPolicy::Union,
            Some(other) => return Err(format!("unknown match_policy `{other}`")),
        };
        let members = value
            .get("dicts")
            .and_then(Value::as_array)
            .ok_or("group without `dicts` array")?
            .iter()
            .map(parse_dict)
            .collect::<Result<Vec<_>, _>>()?;
        return Ok(DictSpec::Group { policy, members });
    }
    if kind != "ocd2" && kind != "text" {
        return Err(format!("unsupported dictionary type `{kind}`"));
    }
    let file = value
        .get("file")
        .and_then(Value::as_str)
        .ok_or("dictionary without `file`")?;
    Ok(DictSpec::File {
        kind: kind.to_owned(),
        file: file.to_owned(),
    })
}
