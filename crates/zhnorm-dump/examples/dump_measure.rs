//! Measures the dump reader alone and checks what it yields against the dump's `pages.tsv`.
//!
//! `cargo run --release -p zhnorm-dump --example dump_measure -- DIR [RUNS [ONLY]]`, where DIR was written
//! by `make_dump.py DIR MB --plain` (in the shared tools). Each run reads: the plain XML on one
//! thread; the multistream bz2 with its index on 1 and 2 worker threads; the bz2 without the index
//! (sequential); and bz2 decoding alone (`bzip2::read::MultiBzDecoder` to a sink), once and twice at
//! the same time on two threads (its "text" column is then the decoded XML). It prints pages/s,
//! MB/s of input and of article text (wall clock), and the process CPU time of each, and fails if
//! any reading disagrees with `pages.tsv` (ids, namespaces, titles, redirect and deleted flags, model).

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;
use std::time::Instant;

use zhnorm_dump::{OpenOptions, Page, open};

/// zhnorm's binary allocates with mimalloc: measure with it too.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// What `pages.tsv` says a page is.
#[derive(Debug, PartialEq, Eq)]
struct Row {
    id: u64,
    ns: i32,
    title: String,
    redirect: bool,
    deleted: bool,
    model: String,
}

impl Row {
    fn of(page: &Page) -> Row {
        Row {
            id: page.id.unwrap_or(0),
            ns: page.namespace,
            title: page.title.clone(),
            redirect: page.redirect.is_some(),
            deleted: page.text.is_none(),
            model: page.model.clone().unwrap_or_default(),
        }
    }
}

fn expected(dir: &Path) -> Vec<Row> {
    let tsv = std::fs::read_to_string(dir.join("pages.tsv")).expect("pages.tsv");
    tsv.lines()
        .skip(1)
        .map(|line| {
            let f: Vec<&str> = line.split('\t').collect();
            Row {
                id: f[0].parse().unwrap(),
                ns: f[1].parse().unwrap(),
                title: f[2].to_owned(),
                redirect: f[3] == "1",
                deleted: f[4] == "1",
                model: f[5].to_owned(),
            }
        })
        .collect()
}

/// Process CPU seconds (user + system, all threads), from /proc on Linux.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks: f64 = fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0)
}

struct Measure {
    label: String,
    seconds: f64,
    cpu: Option<f64>,
    pages: u64,
    input_bytes: u64,
    text_bytes: u64,
}

impl Measure {
    fn print(&self) {
        let mb = |bytes: u64| bytes as f64 / 1e6 / self.seconds;
        // Text per CPU-second: what one core does, whatever share of the machine the run got.
        let (cpu, per_cpu) = match self.cpu {
            Some(c) if c > 0.0 => (
                format!("{c:.2}"),
                format!("{:.1}", self.text_bytes as f64 / 1e6 / c),
            ),
            _ => ("?".to_owned(), "?".to_owned()),
        };
        println!(
            "{:<28} {:>7.3} s  cpu {:>6} s  {:>9.0} pages/s  {:>7.1} MB/s input  {:>7.1} MB/s text  {:>7} MB text/cpu-s",
            self.label,
            self.seconds,
            cpu,
            self.pages as f64 / self.seconds,
            mb(self.input_bytes),
            mb(self.text_bytes),
            per_cpu
        );
    }
}

fn read(label: &str, path: &Path, options: &OpenOptions, want: &[Row]) -> Measure {
    let input_bytes = std::fs::metadata(path).expect("input").len();
    let (cpu0, t0) = (cpu_seconds(), Instant::now());
    let mut rows = Vec::with_capacity(want.len());
    let mut text_bytes = 0;
    for page in open(path, options).expect("open") {
        let page = page.unwrap_or_else(|e| panic!("{label}: {e}"));
        text_bytes += page.text.as_ref().map_or(0, String::len) as u64;
        rows.push(Row::of(&page));
    }
    let seconds = t0.elapsed().as_secs_f64();
    let cpu = cpu_seconds().zip(cpu0).map(|(a, b)| a - b);
    if rows != want {
        let first = rows.iter().zip(want).position(|(a, b)| a != b);
        panic!(
            "{label}: {} pages read, {} expected; first difference at {first:?}",
            rows.len(),
            want.len()
        );
    }
    Measure {
        label: label.to_owned(),
        seconds,
        cpu,
        pages: rows.len() as u64,
        input_bytes,
        text_bytes,
    }
}

fn decode(path: &Path) -> u64 {
    let file = BufReader::with_capacity(256 * 1024, File::open(path).expect("input"));
    let mut decoder = bzip2::read::MultiBzDecoder::new(file);
    let mut buf = vec![0; 256 * 1024];
    let mut out = 0u64;
    loop {
        let n = decoder.read(&mut buf).expect("decode");
        if n == 0 {
            return out;
        }
        out += n as u64;
    }
}

/// bz2 decoding alone, by `copies` threads at once, each decoding the whole file: with two, the
/// ratio to one tells how far this machine lets two decoders run side by side.
fn decode_alone(path: &Path, copies: usize) -> Measure {
    let input_bytes = std::fs::metadata(path).expect("input").len() * copies as u64;
    let (cpu0, t0) = (cpu_seconds(), Instant::now());
    let threads: Vec<_> = (0..copies)
        .map(|_| {
            let path = path.to_owned();
            std::thread::spawn(move || decode(&path))
        })
        .collect();
    let out: u64 = threads
        .into_iter()
        .map(|t| t.join().expect("decoder"))
        .sum();
    let seconds = t0.elapsed().as_secs_f64();
    let cpu = cpu_seconds().zip(cpu0).map(|(a, b)| a - b);
    let label = format!("bz2 decode alone, {copies}x");
    Measure {
        label,
        seconds,
        cpu,
        pages: 0,
        input_bytes,
        text_bytes: out,
    }
}

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = args.next().expect("usage: dump_measure DIR [RUNS [ONLY]]");
    let runs: usize = args.next().map_or(1, |r| r.parse().expect("RUNS"));
    // Only the readings whose label contains this (`plain`, `index`, `sequential`, `decode`).
    let only = args.next().unwrap_or_default();
    let wanted = |label: &str| label.contains(only.as_str());
    let dir = Path::new(&dir);
    let want = expected(dir);
    let plain = dir.join("zhwiki-test-pages-articles.xml");
    let bz2 = dir.join("zhwiki-test-pages-articles-multistream.xml.bz2");
    let with = |threads| OpenOptions {
        threads,
        ..OpenOptions::default()
    };
    let without = OpenOptions {
        use_index: false,
        ..OpenOptions::default()
    };
    println!("{} pages expected", want.len());
    for run in 1..=runs {
        println!("run {run}");
        let readings = [
            ("plain xml, 1 thread", &plain, with(1)),
            ("bz2 + index, 1 thread", &bz2, with(1)),
            ("bz2 + index, 2 threads", &bz2, with(2)),
            ("bz2 sequential (no index)", &bz2, without.clone()),
        ];
        for (label, path, options) in readings {
            if wanted(label) && path.exists() {
                read(label, path, &options, &want).print();
            }
        }
        for copies in [1, 2] {
            if wanted(&format!("bz2 decode alone, {copies}x")) {
                decode_alone(&bz2, copies).print();
            }
        }
    }
}
