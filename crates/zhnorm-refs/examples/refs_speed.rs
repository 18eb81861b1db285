//! The references stage alone, on the articles of a dump, as the pipeline runs it.
//!
//! ```text
//! cargo run --release -p zhnorm-refs --example refs_speed -- DUMP.xml [ROUNDS]
//! ```
//!
//! Reads every ns-0 wikitext article of an uncompressed dump once, keeps what the reader made
//! of it, then times [`zhnorm_refs::normalize`] over all of them `ROUNDS` times (default 15) on
//! one thread and prints the median and the quartiles in MB/s of article text. In the end-to-end
//! run (`report.json`'s `timings_ms.references`) the stage shares two cores with the dump's
//! reader and the shard writer, which makes its time vary by ±10 % from run to run; here
//! nothing else runs, so two builds can be compared to a few percent.

use std::path::Path;
use std::time::Instant;

use zhnorm_doc::{Format, Source};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let dump = args.next().ok_or("usage: refs_speed DUMP.xml [ROUNDS]")?;
    let rounds: usize = args.next().map(|r| r.parse()).transpose()?.unwrap_or(15);

    let mut parsed = Vec::new();
    let mut bytes = 0usize;
    for page in zhnorm_dump::open(Path::new(&dump), &zhnorm_dump::OpenOptions::default())? {
        let page = page?;
        let (0, None, Some(text)) = (page.namespace, &page.redirect, &page.text) else {
            continue;
        };
        bytes += text.len();
        let source = Source::given(page.title.clone(), Format::Wikitext);
        let read = zhnorm_formats::read(text, source);
        parsed.push((read.document, read.raw_references));
    }

    let mut speeds = Vec::with_capacity(rounds);
    let mut references = 0;
    for _ in 0..rounds {
        let mut inputs = parsed.clone();
        let start = Instant::now();
        for (document, raw) in &mut inputs {
            zhnorm_refs::normalize(document, std::mem::take(raw));
        }
        let elapsed = start.elapsed().as_secs_f64();
        references = inputs.iter().map(|(d, _)| d.references.len()).sum();
        speeds.push(bytes as f64 / 1e6 / elapsed);
    }
    speeds.sort_by(f64::total_cmp);
    let quartile = |q: usize| speeds[(speeds.len() - 1) * q / 4];
    println!(
        "{} articles, {:.1} MB, {references} records: references stage {:.1} MB/s median \
         ({:.1}–{:.1} quartiles, {rounds} rounds)",
        parsed.len(),
        bytes as f64 / 1e6,
        quartile(2),
        quartile(1),
        quartile(3),
    );
    Ok(())
}
