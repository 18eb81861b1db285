//! The script stage alone, on the articles of a dump, as the pipeline runs it.
//!
//! ```text
//! cargo run --release -p zhnorm-script --example script_speed -- DUMP.xml VARIANT [ROUNDS]
//! ```
//!
//! Reads every ns-0 wikitext article of an uncompressed dump once and structures its references
//! (the stage before the script stage), then times [`zhnorm_script::convert_document`] over all
//! of them `ROUNDS` times (default 7) on one thread and prints the median and the quartiles in
//! MB/s of article text. `report.json`'s `timings_ms.script` measures the same inside the
//! pipeline, where it shares two cores with the dump reader and the shard writer.

use std::path::Path;
use std::time::Instant;

use zhnorm_doc::{Format, Source};
use zhnorm_script::{ConvertOptions, Converter, EngineKind, Variant};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let usage = "usage: script_speed DUMP.xml VARIANT [ROUNDS]";
    let dump = args.next().ok_or(usage)?;
    let variant: Variant = args.next().ok_or(usage)?.parse()?;
    let rounds: usize = args.next().map(|r| r.parse()).transpose()?.unwrap_or(7);
    let converter = Converter::new(variant, EngineKind::Builtin, ConvertOptions::default())?;

    let mut documents = Vec::new();
    let mut bytes = 0usize;
    for page in zhnorm_dump::open(Path::new(&dump), &zhnorm_dump::OpenOptions::default())? {
        let page = page?;
        let (0, None, Some(text)) = (page.namespace, &page.redirect, &page.text) else {
            continue;
        };
        bytes += text.len();
        let source = Source::given(page.title.clone(), Format::Wikitext);
        let read = zhnorm_formats::read(text, source);
        let mut document = read.document;
        zhnorm_refs::normalize(&mut document, read.raw_references);
        documents.push(document);
    }

    let mut speeds = Vec::with_capacity(rounds);
    for _ in 0..rounds {
        let mut inputs = documents.clone();
        let start = Instant::now();
        for document in &mut inputs {
            zhnorm_script::convert_document(document, &converter);
        }
        speeds.push(bytes as f64 / 1e6 / start.elapsed().as_secs_f64());
    }
    speeds.sort_by(f64::total_cmp);
    let quartile = |q: usize| speeds[(speeds.len() - 1) * q / 4];
    println!(
        "{} articles, {:.1} MB: script stage to {} {:.1} MB/s median ({:.1}–{:.1} quartiles, \
         {rounds} rounds)",
        documents.len(),
        bytes as f64 / 1e6,
        variant.as_tag(),
        quartile(2),
        quartile(1),
        quartile(3),
    );
    Ok(())
}
