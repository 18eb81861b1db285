//! `cargo xtask bench pipeline`: the whole pipeline as a user runs it, on a zhwiki-shaped dump;
//! `cargo xtask bench instructions`: the same run's instructions per stage, by callgrind.
//!
//! It makes the dump with `../shared/tools/make_dump.py` when `../shared` is there, or with a
//! small generator of its own (the bundled wikitext seed repeated under distinct titles)
//! otherwise; builds the release `zhnorm` binary; and runs `zhnorm normalize` on the plain XML
//! with one and with two workers, and on the multistream `.bz2` with its index. For each run it
//! prints MB/s of article text (per core for one worker), pages/s, the CPU share of each stage
//! (from `_report.json`) and the peak RSS (`/usr/bin/time -v`). In the same session it measures
//! the physical limit of the `.bz2` run (bz2 decoding alone, `bzip2 -dc`) and, when node and
//! npm are there, wtf_wikipedia 10.4.2 (`wtf(text).json()`) over the same pages.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use anyhow::{Context, Result, bail};

use crate::project_root;

const DUMP: &str = "zhwiki-test-pages-articles-multistream.xml.bz2";
const PLAIN: &str = "zhwiki-test-pages-articles.xml";

/// What one run of a command cost.
struct Measured {
    wall: f64,
    peak_rss_mb: f64,
}

pub(crate) fn pipeline(megabytes: u32, runs: usize) -> Result<()> {
    let root = project_root();
    let scratch = root.join("target/bench-pipeline");
    let dump_dir = scratch.join(format!("dump-{megabytes}"));
    make_dump(&root, &dump_dir, megabytes)?;
    let article_bytes = article_text_bytes(&dump_dir.join(PLAIN))?;
    let mb = article_bytes.0 as f64 / 1e6;
    println!(
        "dump: {} articles, {mb:.1} MB of article text ({})",
        article_bytes.1,
        dump_dir.display()
    );

    crate::cargo(&["build", "--release", "--quiet", "-p", "zhnorm-cli"])?;
    let zhnorm = root.join("target/release/zhnorm");

    let mut table = String::new();
    let _ = writeln!(
        table,
        "{:<34} {:>8} {:>10} {:>10} {:>9} {:>10}",
        "run", "wall s", "MB/s", "MB/s/core", "pages/s", "peak RSS"
    );
    let mut per_core_plain = Vec::new();
    let mut plain_two = Vec::new();
    for (label, input, jobs) in [
        ("plain .xml, --jobs 1", PLAIN, 1),
        ("plain .xml, --jobs 2", PLAIN, 2),
        ("multistream .bz2 + index, --jobs 2", DUMP, 2),
    ] {
        let mut walls = Vec::new();
        let mut rss = 0.0f64;
        let mut shares = String::new();
        for _ in 0..runs {
            let out = scratch.join("out");
            let _ = std::fs::remove_dir_all(&out);
            let measured = timed(
                Command::new(&zhnorm)
                    .arg("normalize")
                    .arg("--input")
                    .arg(dump_dir.join(input))
                    .arg("--output")
                    .arg(&out)
                    .args(["--jobs", &jobs.to_string(), "--quiet"]),
            )?;
            walls.push(measured.wall);
            rss = rss.max(measured.peak_rss_mb);
            shares = stage_shares(&out.join("_report.json"))?;
        }
        let wall = median(&mut walls);
        let rate = mb / wall;
        let per_core = rate / jobs as f64;
        if input == PLAIN && jobs == 1 {
            per_core_plain.push(rate);
        }
        if input == PLAIN && jobs == 2 {
            plain_two.push(rate);
        }
        let _ = writeln!(
            table,
            "{label:<34} {wall:>8.2} {rate:>10.1} {per_core:>10.1} {:>9.0} {rss:>7.0} MB",
            article_bytes.1 as f64 / wall
        );
        let _ = writeln!(table, "    CPU by stage: {shares}");
    }
    if let (Some(one), Some(two)) = (per_core_plain.first(), plain_two.first()) {
        let _ = writeln!(table, "scaling, --jobs 2 over --jobs 1: {:.2}×", two / one);
    }

    // The physical limit of the .bz2 run: decoding alone, one core.
    let mut walls = Vec::new();
    for _ in 0..runs {
        let start = Instant::now();
        let status = Command::new("sh")
            .arg("-c")
            .arg(format!(
                "bzip2 -dc '{}' > /dev/null",
                dump_dir.join(DUMP).display()
            ))
            .status()?;
        if !status.success() {
            bail!("bzip2 -dc failed");
        }
        walls.push(start.elapsed().as_secs_f64());
    }
    let bz2 = median(&mut walls);
    let _ = writeln!(
        table,
        "bz2 decoding alone (bzip2 -dc, one core): {:.1} MB/s of article text",
        mb / bz2
    );

    match wtf_wikipedia(&scratch, &dump_dir.join(PLAIN)) {
        Ok(seconds) => {
            let wtf_rate = mb / seconds;
            let _ = writeln!(
                table,
                "wtf_wikipedia 10.4.2 wtf(text).json(), one core: {seconds:.2} s, {wtf_rate:.2} MB/s; zhnorm --jobs 1 is {:.1}× that",
                per_core_plain.first().copied().unwrap_or_default() / wtf_rate
            );
        }
        Err(error) => {
            let _ = writeln!(table, "wtf_wikipedia: SKIPPED ({error:#})");
        }
    }
    print!("{table}");
    Ok(())
}

/// The stages of the worker as `callgrind_annotate` names them: (label, function).
const STAGES: [(&str, &str); 4] = [
    ("read", "zhnorm::pipeline::Pipeline::read_stage"),
    ("references", "zhnorm_refs::normalize"),
    ("script", "zhnorm::pipeline::Pipeline::script_stage"),
    ("checks", "zhnorm::pipeline::Pipeline::checks_stage"),
];

/// Counts the instructions of the pipeline's worker (`Pipeline::normalize_pages`, one worker)
/// with callgrind on the plain dump, and prints them per stage. Instruction counts do not move
/// with the load of a shared machine, so two builds compare by one run each; they do not see
/// cache misses, so a change that saves memory traffic rather than instructions needs timed
/// runs too. Two parts of the count are valgrind's: SHA-256 runs in software under it (the
/// machine's SHA instructions are hidden), and the patterns compiled once weigh more on a small
/// dump than on a real one; both are shown and taken out of the last line.
pub(crate) fn instructions(megabytes: u32, variant: &str) -> Result<()> {
    let root = project_root();
    for tool in ["valgrind", "callgrind_annotate"] {
        Command::new(tool)
            .arg("--version")
            .output()
            .with_context(|| format!("`{tool}` is not installed (apt-get install valgrind)"))?;
    }
    let scratch = root.join("target/bench-pipeline");
    let dump_dir = scratch.join(format!("dump-{megabytes}"));
    make_dump(&root, &dump_dir, megabytes)?;
    let (article_bytes, articles) = article_text_bytes(&dump_dir.join(PLAIN))?;

    // Without whole-program optimization the stages keep their own functions to count under.
    crate::cargo(&[
        "build",
        "--profile",
        "profiling",
        "--quiet",
        "-p",
        "zhnorm-cli",
    ])?;
    let zhnorm = root.join("target/profiling/zhnorm");
    let out = scratch.join("out-instructions");
    let _ = std::fs::remove_dir_all(&out);
    let profile = scratch.join(format!("callgrind-{megabytes}-{variant}.out"));
    let output = Command::new("valgrind")
        .args(["--tool=callgrind", "--toggle-collect=*normalize_pages*"])
        .arg(format!("--callgrind-out-file={}", profile.display()))
        .arg(&zhnorm)
        .args(["normalize", "--input"])
        .arg(dump_dir.join(PLAIN))
        .arg("--output")
        .arg(&out)
        .args(["--output-format", "jsonl", "--jobs", "1", "--quiet"])
        .args(["--variant", variant])
        .output()
        .context("running valgrind")?;
    if !output.status.success() {
        bail!(
            "zhnorm under valgrind failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let annotated = Command::new("callgrind_annotate")
        .args(["--inclusive=yes", "--threshold=100", "--auto=no"])
        .arg(&profile)
        .output()
        .context("running callgrind_annotate")?;
    let annotated = String::from_utf8_lossy(&annotated.stdout);
    let count = |function: &str| inclusive_count(&annotated, function);

    let total = count("zhnorm::pipeline::Pipeline::normalize_pages");
    let mb = article_bytes as f64 / 1e6;
    let millions = |n: u64| n as f64 / 1e6;
    println!(
        "callgrind, `zhnorm normalize --jobs 1 --variant {variant}`, {articles} articles, {mb:.1} MB of article text"
    );
    println!("profile: {}", profile.display());
    println!(
        "{:<34} {:>10.1} M  ({:.0} a byte of article text)",
        "worker (normalize_pages)",
        millions(total),
        total as f64 / article_bytes.max(1) as f64
    );
    for (label, function) in STAGES {
        println!("  {label:<32} {:>10.1} M", millions(count(function)));
    }
    let once = count("std::sync::once::Once::call_once_force::{{closure}}");
    let sha = count("sha2::sha256::compress256");
    println!(
        "  {:<32} {:>10.1} M",
        "of which one-time initialization",
        millions(once)
    );
    println!(
        "  {:<32} {:>10.1} M",
        "of which SHA-256 (in software)",
        millions(sha)
    );
    println!(
        "{:<34} {:>10.1} M",
        "worker without those two",
        millions(total.saturating_sub(once + sha))
    );
    Ok(())
}

/// The largest inclusive count `callgrind_annotate` gives a function whose name holds `function`
/// (lines like `  469,588,622 (29.23%)  crates/x.rs:zhnorm_refs::normalize [binary]`; a function
/// inlined into several places has a line per place, and the outermost is the largest).
fn inclusive_count(annotated: &str, function: &str) -> u64 {
    annotated
        .lines()
        .filter(|line| {
            line.split_once(':').is_some_and(|(_, name)| {
                name.split(" [").next().is_some_and(|name| name == function)
            })
        })
        .filter_map(|line| line.split_whitespace().next())
        .filter_map(|count| count.replace(',', "").parse::<u64>().ok())
        .max()
        .unwrap_or(0)
}

fn make_dump(root: &Path, dir: &Path, megabytes: u32) -> Result<()> {
    if dir.join(PLAIN).exists() && dir.join(DUMP).exists() {
        return Ok(());
    }
    std::fs::create_dir_all(dir)?;
    let tool = root.join("../shared/tools/make_dump.py");
    if tool.exists() {
        let status = Command::new("python3")
            .arg(&tool)
            .arg(dir)
            .arg(megabytes.to_string())
            .arg("--plain")
            .status()
            .context("running python3 ../shared/tools/make_dump.py")?;
        if !status.success() {
            bail!("make_dump.py failed");
        }
        return Ok(());
    }
    println!("../shared is not there: making a dump of the bundled wikitext seed");
    let seed = std::fs::read_dir(root.join("corpus/raw"))?
        .flatten()
        .map(|e| e.path())
        .filter_map(|p| {
            let text = std::fs::read_to_string(&p).ok()?;
            text.contains("{{").then_some(text)
        })
        .next()
        .context("no wikitext seed in corpus/raw")?;
    let header = "<mediawiki xmlns=\"http://www.mediawiki.org/xml/export-0.11/\" version=\"0.11\" xml:lang=\"zh\">\n  <siteinfo>\n    <sitename>Wikipedia</sitename>\n    <dbname>zhwiki</dbname>\n    <base>https://zh.wikipedia.org/wiki/Wikipedia:%E9%A6%96%E9%A1%B5</base>\n    <namespaces>\n      <namespace key=\"0\" case=\"first-letter\" />\n    </namespaces>\n  </siteinfo>\n";
    let escaped = seed
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    let mut xml = String::from(header);
    let mut bytes = 0usize;
    let mut id = 1;
    while bytes < megabytes as usize * 1_000_000 {
        let _ = write!(
            xml,
            "  <page>\n    <title>种子/{id}</title>\n    <ns>0</ns>\n    <id>{id}</id>\n    <revision>\n      <id>{}</id>\n      <timestamp>2026-01-01T00:00:00Z</timestamp>\n      <model>wikitext</model>\n      <format>text/x-wiki</format>\n      <text xml:space=\"preserve\">{escaped}</text>\n    </revision>\n  </page>\n",
            id * 10
        );
        bytes += seed.len();
        id += 1;
    }
    xml.push_str("</mediawiki>\n");
    std::fs::write(dir.join(PLAIN), &xml)?;
    // One bz2 stream without an index: the sequential route.
    let status = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "bzip2 -c '{}' > '{}'",
            dir.join(PLAIN).display(),
            dir.join(DUMP).display()
        ))
        .status()?;
    if !status.success() {
        bail!("bzip2 failed");
    }
    Ok(())
}

/// The bytes of article text (namespace 0, not redirects) in a plain dump, and the articles.
fn article_text_bytes(plain: &Path) -> Result<(u64, u64)> {
    let text = std::fs::read_to_string(plain)?;
    let (mut bytes, mut pages) = (0u64, 0u64);
    for page in text.split("<page>").skip(1) {
        if !page.contains("<ns>0</ns>") || page.contains("<redirect") {
            continue;
        }
        let Some(start) = page
            .find("<text")
            .and_then(|i| page[i..].find('>').map(|j| i + j + 1))
        else {
            continue;
        };
        let Some(end) = page[start..].find("</text>") else {
            continue;
        };
        let body = &page[start..start + end];
        bytes += body
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&amp;", "&")
            .len() as u64;
        pages += 1;
    }
    Ok((bytes, pages))
}

/// Runs `command` under `/usr/bin/time -v` when it is there, for the peak RSS.
fn timed(command: &mut Command) -> Result<Measured> {
    let time = Path::new("/usr/bin/time");
    let start = Instant::now();
    let output = if time.exists() {
        let mut wrapped = Command::new(time);
        wrapped
            .arg("-v")
            .arg(command.get_program())
            .args(command.get_args());
        wrapped.output()?
    } else {
        command.output()?
    };
    let wall = start.elapsed().as_secs_f64();
    let stderr = String::from_utf8_lossy(&output.stderr);
    if !output.status.success() {
        bail!("{:?} failed: {stderr}", command);
    }
    let peak_rss_mb = stderr
        .lines()
        .find_map(|l| {
            l.trim()
                .strip_prefix("Maximum resident set size (kbytes): ")
        })
        .and_then(|kb| kb.trim().parse::<f64>().ok())
        .map_or(f64::NAN, |kb| kb / 1024.0);
    Ok(Measured { wall, peak_rss_mb })
}

/// `script 71 %, read 9 %, …` from a run's report.
fn stage_shares(report: &Path) -> Result<String> {
    let report: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(report)?)?;
    let Some(timings) = report["timings_ms"].as_object() else {
        return Ok(String::new());
    };
    let total: f64 = timings.values().filter_map(serde_json::Value::as_f64).sum();
    let mut shares: Vec<(String, f64)> = timings
        .iter()
        .map(|(k, v)| {
            (
                k.clone(),
                v.as_f64().unwrap_or_default() / total.max(1e-9) * 100.0,
            )
        })
        .collect();
    shares.sort_by(|a, b| b.1.total_cmp(&a.1));
    Ok(shares
        .iter()
        .map(|(k, v)| format!("{k} {v:.0} %"))
        .collect::<Vec<_>>()
        .join(", "))
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

/// Seconds that wtf_wikipedia 10.4.2 spends in `wtf(text).json()` over the articles of `plain`.
fn wtf_wikipedia(scratch: &Path, plain: &Path) -> Result<f64> {
    let dir: PathBuf = scratch.join("wtf");
    if !dir.join("node_modules/wtf_wikipedia").exists() {
        std::fs::create_dir_all(&dir)?;
        let status = Command::new("npm")
            .args([
                "install",
                "--silent",
                "--no-audit",
                "--no-fund",
                "wtf_wikipedia@10.4.2",
            ])
            .current_dir(&dir)
            .status()
            .context("npm is not available")?;
        if !status.success() {
            bail!("npm install wtf_wikipedia@10.4.2 failed");
        }
    }
    let script = dir.join("measure.js");
    std::fs::write(&script, WTF_SCRIPT)?;
    let output = Command::new("node")
        .arg(&script)
        .arg(plain)
        .current_dir(&dir)
        .output()
        .context("node is not available")?;
    if !output.status.success() {
        bail!("node failed: {}", String::from_utf8_lossy(&output.stderr));
    }
    let seconds: f64 = String::from_utf8_lossy(&output.stdout).trim().parse()?;
    Ok(seconds)
}

/// Reads the plain dump, keeps namespace-0 pages that are not redirects, and times
/// `wtf(text).json()` on each: parsing the XML is left out of wtf_wikipedia's time.
const WTF_SCRIPT: &str = r#"
const fs = require('fs');
const wtf = require('wtf_wikipedia');
const xml = fs.readFileSync(process.argv[2], 'utf8');
const unescape = s => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');
const texts = [];
for (const page of xml.split('<page>').slice(1)) {
  if (!page.includes('<ns>0</ns>') || page.includes('<redirect')) continue;
  const m = page.match(/<text[^>]*>([\s\S]*?)<\/text>/);
  if (m) texts.push(unescape(m[1]));
}
const start = process.hrtime.bigint();
let n = 0;
for (const text of texts) { n += JSON.stringify(wtf(text).json()).length; }
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
if (n === 0) throw new Error('no output');
console.log(seconds.toFixed(3));
"#;
