//! Finds reference dates written with numbers only whose day and month cannot be told apart
//! (`07/03/2025`: both parts are 12 or less and they differ).
//!
//! **Why it matters.** `07/03/2025` is 7 March in most of the world and July 3 in the United
//! States; the references stage cannot choose, so it keeps the text as written and this rule
//! asks a person to. `13/03/2025` or `2025-03-07` are not ambiguous.
//!
//! **Example.** A reference whose `issued` is `07/03/2025`.

use zhnorm_doc::{Diagnostic, codes};

use crate::context::Context;
use crate::date::ambiguous_numeric_date;
use crate::registry::{Check, Origin, Rule};
use crate::rules::describe_reference;

pub(crate) static RULE: Rule = Rule {
    code: &codes::AMBIGUOUS_DATE,
    origin: Origin::Checks,
    enabled_by_default: true,
    check: Check::Document(check),
    fix: None,
    source: include_str!("ambiguous_date.rs"),
};

fn check(cx: &Context<'_>) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for r in &cx.doc.references {
        let fields = [
            ("issued", &r.issued),
            ("accessed", &r.accessed),
            ("archive-date", &r.custom.archive_date),
        ];
        for (field, value) in fields {
            let Some(value) = value.as_deref() else {
                continue;
            };
            if let Some((day_first, month_first)) = ambiguous_numeric_date(value) {
                out.push(Diagnostic::new(
                    &codes::AMBIGUOUS_DATE,
                    format!(
                        "{}: `{field}` `{value}` may be {day_first} or {month_first}",
                        describe_reference(r)
                    ),
                ));
            }
        }
    }
    out
}
