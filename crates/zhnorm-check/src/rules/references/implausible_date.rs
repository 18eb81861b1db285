//! Finds invalid or implausible reference dates: a date that is not ISO 8601 or names no real
//! day (`2025-02-30`), an access date before the publication date, a date after the run's
//! "today" (set by `today` in `zhnorm.toml`; without it that test is skipped, so that output
//! does not depend on the day it was made).
//!
//! **Why it matters.** Dates order and identify sources (which version of a page was read);
//! a wrong one misleads and usually reveals a parsing slip (day and month swapped, a legacy
//! parameter misread). Ambiguous numeric dates are R008's.
//!
//! **Example.** `{{cite web|date=2025-07-10|access-date=2025-07-01}}`: accessed nine days
//! before it was published.

use std::cmp::Ordering;

use zhnorm_doc::{Diagnostic, codes};

use crate::context::Context;
use crate::date::{DateProblem, PartialDate, ambiguous_numeric_date};
use crate::registry::{Check, Origin, Rule};
use crate::rules::describe_reference;

pub(crate) static RULE: Rule = Rule {
    code: &codes::IMPLAUSIBLE_DATE,
    origin: Origin::Checks,
    enabled_by_default: true,
    check: Check::Document(check),
    fix: None,
    source: include_str!("implausible_date.rs"),
};

fn check(cx: &Context<'_>) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for r in &cx.doc.references {
        // Described only for a finding: most references have none.
        let who = std::cell::LazyCell::new(|| describe_reference(r));
        let mut parse = |field: &str, value: &Option<String>| -> Option<PartialDate> {
            let value = value.as_deref()?;
            match PartialDate::parse(value) {
                Ok(date) => {
                    if let Some(today) = cx.today {
                        if date.compare_common(&today) == Ordering::Greater {
                            out.push(Diagnostic::new(
                                &codes::IMPLAUSIBLE_DATE,
                                format!("{}: `{field}` {date} is after today ({today})", *who),
                            ));
                        }
                    }
                    Some(date)
                }
                Err(_) if ambiguous_numeric_date(value).is_some() => None,
                Err(problem) => {
                    let why = match problem {
                        DateProblem::NotIso => "is not an ISO 8601 date",
                        DateProblem::NoSuchDay => "names no real day",
                    };
                    out.push(Diagnostic::new(
                        &codes::IMPLAUSIBLE_DATE,
                        format!("{}: `{field}` `{value}` {why}", *who),
                    ));
                    None
                }
            }
        };
        let issued = parse("issued", &r.issued);
        let accessed = parse("accessed", &r.accessed);
        parse("archive-date", &r.custom.archive_date);
        if let (Some(issued), Some(accessed)) = (issued, accessed) {
            if accessed.compare_common(&issued) == Ordering::Less {
                out.push(Diagnostic::new(
                    &codes::IMPLAUSIBLE_DATE,
                    format!(
                        "{}: accessed {accessed}, before it was published ({issued})",
                        *who
                    ),
                ));
            }
        }
    }
    out
}
