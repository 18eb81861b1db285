//! Prints the records and reference diagnostics of one input file as JSON lines, for review.
//!
//! ```text
//! cargo run -p zhnorm-refs --example dump_records -- FORMAT FILE
//! ```

use zhnorm_doc::{Format, Source};

fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(format), Some(path)) = (args.next(), args.next()) else {
        eprintln!("usage: dump_records FORMAT FILE");
        std::process::exit(2);
    };
    let format: Format = match format.parse() {
        Ok(format) => format,
        Err(error) => {
            eprintln!("{error}");
            std::process::exit(2);
        }
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(error) => {
            eprintln!("{path}: {error}");
            std::process::exit(1);
        }
    };
    let parsed = zhnorm_formats::read(&text, Source::given(path.clone(), format));
    let mut doc = parsed.document;
    zhnorm_refs::normalize(&mut doc, parsed.raw_references);
    for record in &doc.references {
        println!("{}", serde_json::to_string(record).unwrap_or_default());
    }
    for diagnostic in doc.diagnostics.iter().filter(|d| d.code.starts_with('R')) {
        println!("{}", serde_json::to_string(diagnostic).unwrap_or_default());
    }
}
