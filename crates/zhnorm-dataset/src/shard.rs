//! Sharded files: [`ShardWriter`] writes records into `part-00000.parquet`, `part-00001.parquet`,
//! … (or `.jsonl`, `.jsonl.gz`, `.jsonl.zst`), each under a temporary name until it is complete.

use std::fmt;
use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::str::FromStr;

use parquet::arrow::{ArrowSchemaConverter, ArrowWriter};
use parquet::basic::{Compression, ZstdLevel};
use parquet::file::properties::{EnabledStatistics, WriterProperties};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};
use crate::record::{ColumnBuilder, RecordKind};

/// The file format of a shard set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ShardFormat {
    #[serde(rename = "jsonl")]
    Jsonl,
    #[serde(rename = "jsonl.gz")]
    JsonlGz,
    #[serde(rename = "jsonl.zst")]
    JsonlZst,
    #[serde(rename = "parquet")]
    Parquet,
}

impl ShardFormat {
    pub const ALL: [ShardFormat; 4] = [
        ShardFormat::Jsonl,
        ShardFormat::JsonlGz,
        ShardFormat::JsonlZst,
        ShardFormat::Parquet,
    ];

    /// The file name extension, which is also the name of the format: `jsonl.zst`.
    pub fn extension(self) -> &'static str {
        match self {
            ShardFormat::Jsonl => "jsonl",
            ShardFormat::JsonlGz => "jsonl.gz",
            ShardFormat::JsonlZst => "jsonl.zst",
            ShardFormat::Parquet => "parquet",
        }
    }
}

impl fmt::Display for ShardFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.extension())
    }
}

impl FromStr for ShardFormat {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        ShardFormat::ALL
            .into_iter()
            .find(|f| f.extension() == s)
            .ok_or_else(|| {
                format!(
                    "unknown shard format `{s}` (expected jsonl, jsonl.gz, jsonl.zst or parquet)"
                )
            })
    }
}

/// Compression of the column chunks inside a Parquet shard.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ParquetCompression {
    None,
    /// Zstandard at the given level (1 to 22).
    Zstd(i32),
}

/// How a [`ShardWriter`] names, splits and compresses its shards.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShardOptions {
    pub format: ShardFormat,
    /// The file name prefix; the record kind's own (`part`, `redirects`) when `None`.
    pub prefix: Option<String>,
    /// A shard is completed by the record that brings its file to this size (the compressed
    /// size for compressed formats; for Parquet, the size written plus the size still
    /// buffered). `None`: no limit.
    pub max_bytes: Option<u64>,
    /// A shard is completed by its `max_records`-th record. `None`: no limit.
    pub max_records: Option<u64>,
    /// The number of the first shard: after a resumed run, the number of shards kept.
    pub first_index: u32,
    /// gzip level (0 to 9) of `.jsonl.gz`.
    pub gzip_level: u32,
    /// zstd level (1 to 22) of `.jsonl.zst`.
    pub zstd_level: i32,
    pub parquet_compression: ParquetCompression,
    /// A Parquet row group ends after this many records …
    pub row_group_records: usize,
    /// … or when its encoded size reaches this many bytes, whichever comes first. Both depend
    /// only on the records, so row groups (and bytes) are the same on every run.
    pub row_group_bytes: usize,
}

/// The default shard size: 256 MiB.
pub const DEFAULT_MAX_BYTES: u64 = 256 << 20;

impl ShardOptions {
    /// Shards of `format` of about [`DEFAULT_MAX_BYTES`], numbered from 0.
    pub fn new(format: ShardFormat) -> Self {
        ShardOptions {
            format,
            prefix: None,
            max_bytes: Some(DEFAULT_MAX_BYTES),
            max_records: None,
            first_index: 0,
            // Level 1: miniz_oxide's level 6 wrote 9 MB/s of article text per CPU second,
            // level 1 31 MB/s (examples/throughput.rs); prefer `.jsonl.zst` for speed.
            gzip_level: 1,
            // Level 1 rather than zstd's default 3, for both: in examples/throughput.rs level 1
            // wrote about twice as fast for about 10 % larger files.
            zstd_level: 1,
            parquet_compression: ParquetCompression::Zstd(1),
            row_group_records: 10_000,
            row_group_bytes: 64 << 20,
        }
    }
}

/// A completed shard, as the manifest lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShardInfo {
    /// The file name, relative to the output folder.
    pub file: String,
    pub records: u64,
    pub bytes: u64,
    /// Lower-case hex SHA-256 of the file.
    pub sha256: String,
    /// The checkpoint the caller passed with the shard's last record (0 for an empty shard).
    pub checkpoint: u64,
}

/// Writes records into numbered shards of one folder.
///
/// Every shard is written as `.<name>.tmp` and renamed to `<name>` once complete, after its
/// bytes are synced to disk, so a file with a shard's final name is always whole. A writer
/// dropped without [`ShardWriter::finish`] (or a killed run) leaves its temporary file, which
/// the next writer of the same prefix in that folder removes. The bytes of every shard depend
/// only on the records and the options.
pub struct ShardWriter<K: RecordKind> {
    dir: PathBuf,
    options: ShardOptions,
    prefix: String,
    next_index: u32,
    completed: u32,
    current: Option<OpenShard<K>>,
    line: Vec<u8>,
}

impl<K: RecordKind> fmt::Debug for ShardWriter<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ShardWriter")
            .field("dir", &self.dir)
            .field("options", &self.options)
            .field("next_index", &self.next_index)
            .field("open", &self.current.is_some())
            .finish()
    }
}

struct OpenShard<K: RecordKind> {
    tmp: PathBuf,
    file: String,
    sink: Sink<K>,
    records: u64,
    checkpoint: u64,
}

enum Sink<K: RecordKind> {
    Plain(HashingFile),
    Gzip(flate2::write::GzEncoder<HashingFile>),
    Zstd(zstd::Encoder<'static, HashingFile>),
    Parquet {
        writer: ArrowWriter<HashingFile>,
        columns: K::Columns,
    },
}

/// Records are handed to the Parquet writer in batches of this many … (smaller batches than
/// 1,024 records or 8 MiB measured faster: the column buffers are reused, not grown afresh)
const BATCH_RECORDS: usize = 256;
/// … or of this many bytes of text.
const BATCH_BYTES: usize = 1 << 20;

impl<K: RecordKind> ShardWriter<K> {
    /// A writer of shards into `dir`, which is created if missing. Temporary files of this
    /// prefix left by an interrupted run are removed.
    pub fn new(dir: impl Into<PathBuf>, options: ShardOptions) -> Result<Self> {
        let dir = dir.into();
        fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
        let prefix = options
            .prefix
            .clone()
            .unwrap_or_else(|| K::DEFAULT_PREFIX.to_owned());
        let stale = format!(".{prefix}-");
        for entry in fs::read_dir(&dir).map_err(|e| Error::io(&dir, e))? {
            let entry = entry.map_err(|e| Error::io(&dir, e))?;
            let name = entry.file_name();
            let name = name.to_string_lossy();
            if name.starts_with(&stale) && name.ends_with(".tmp") {
                fs::remove_file(entry.path()).map_err(|e| Error::io(&entry.path(), e))?;
            }
        }
        Ok(ShardWriter {
            dir,
            next_index: options.first_index,
            options,
            prefix,
            completed: 0,
            current: None,
            line: Vec::with_capacity(1 << 16),
        })
    }

    /// The file name of shard `index`: `part-00042.parquet`.
    pub fn file_name(&self, index: u32) -> String {
        format!(
            "{}-{index:05}.{}",
            self.prefix,
            self.options.format.extension()
        )
    }

    /// Writes one record. `checkpoint` is the caller's position after this record (e.g. the
    /// input offset); the shard that ends with this record reports it. Returns the shard this
    /// record completed, if it did.
    pub fn write(&mut self, record: &K::Record<'_>, checkpoint: u64) -> Result<Option<ShardInfo>> {
        if self.options.format != ShardFormat::Parquet {
            self.line.clear();
            K::write_json(record, &mut self.line);
            self.line.push(b'\n');
        }
        self.write_current(Some(record), checkpoint)
    }

    /// Writes `record` to a Parquet shard, or `self.line` to a JSON Lines shard.
    fn write_current(
        &mut self,
        record: Option<&K::Record<'_>>,
        checkpoint: u64,
    ) -> Result<Option<ShardInfo>> {
        if self.current.is_none() {
            self.current = Some(self.open()?);
        }
        let shard = self.current.as_mut().expect("a shard is open");
        let tmp = &shard.tmp;
        let written = match &mut shard.sink {
            Sink::Parquet { writer, columns } => {
                columns.append(record.expect("a record for a Parquet shard"));
                if columns.len() >= BATCH_RECORDS || columns.data_bytes() >= BATCH_BYTES {
                    writer
                        .write(&columns.finish())
                        .map_err(|e| Error::parquet(tmp, e))?;
                }
                Ok(())
            }
            Sink::Plain(out) => out.write_all(&self.line),
            Sink::Gzip(out) => out.write_all(&self.line),
            Sink::Zstd(out) => out.write_all(&self.line),
        };
        written.map_err(|e| Error::io(tmp, e))?;
        shard.records += 1;
        shard.checkpoint = checkpoint;
        let full = self
            .options
            .max_records
            .is_some_and(|max| shard.records >= max)
            || self
                .options
                .max_bytes
                .is_some_and(|max| shard.sink.size() >= max);
        if full {
            self.complete().map(Some)
        } else {
            Ok(None)
        }
    }

    /// Writes one record already encoded by [`RecordKind::write_json`] (without its newline),
    /// for a JSON Lines format: a pipeline encodes in its workers, and the ordered writer only
    /// copies, compresses and hashes. Parquet shards take records through [`ShardWriter::write`].
    pub fn write_line(&mut self, line: &[u8], checkpoint: u64) -> Result<Option<ShardInfo>> {
        if self.options.format == ShardFormat::Parquet {
            return Err(Error::Usage(
                "write_line writes JSON Lines; a Parquet shard takes records through write",
            ));
        }
        self.line.clear();
        self.line.extend_from_slice(line);
        self.line.push(b'\n');
        self.write_current(None, checkpoint)
    }

    /// Completes the open shard, if any, and returns it. A writer that numbers from 0 and was
    /// given no record writes one empty shard, so that every shard set has a file with its
    /// schema.
    pub fn finish(mut self) -> Result<Option<ShardInfo>> {
        if self.current.is_none() && self.completed == 0 && self.options.first_index == 0 {
            self.current = Some(self.open()?);
        }
        if self.current.is_some() {
            self.complete().map(Some)
        } else {
            Ok(None)
        }
    }

    fn open(&mut self) -> Result<OpenShard<K>> {
        let file = self.file_name(self.next_index);
        let tmp = self.dir.join(format!(".{file}.tmp"));
        let out = HashingFile::create(&tmp)?;
        let sink = match self.options.format {
            ShardFormat::Jsonl => Sink::Plain(out),
            ShardFormat::JsonlGz => Sink::Gzip(flate2::write::GzEncoder::new(
                out,
                flate2::Compression::new(self.options.gzip_level),
            )),
            ShardFormat::JsonlZst => {
                let mut encoder = zstd::Encoder::new(out, self.options.zstd_level)
                    .map_err(|e| Error::io(&tmp, e))?;
                encoder
                    .include_checksum(true)
                    .map_err(|e| Error::io(&tmp, e))?;
                Sink::Zstd(encoder)
            }
            ShardFormat::Parquet => Sink::Parquet {
                writer: ArrowWriter::try_new(out, K::schema(), Some(self.parquet_properties()))
                    .map_err(|e| Error::parquet(&tmp, e))?,
                columns: K::Columns::default(),
            },
        };
        self.next_index += 1;
        Ok(OpenShard {
            tmp,
            file,
            sink,
            records: 0,
            checkpoint: 0,
        })
    }

    fn complete(&mut self) -> Result<ShardInfo> {
        let shard = self.current.take().expect("a shard is open");
        let tmp = shard.tmp;
        let out = match shard.sink {
            Sink::Plain(out) => out,
            Sink::Gzip(out) => out.finish().map_err(|e| Error::io(&tmp, e))?,
            Sink::Zstd(out) => out.finish().map_err(|e| Error::io(&tmp, e))?,
            Sink::Parquet {
                mut writer,
                mut columns,
            } => {
                if !columns.is_empty() {
                    writer
                        .write(&columns.finish())
                        .map_err(|e| Error::parquet(&tmp, e))?;
                }
                writer.into_inner().map_err(|e| Error::parquet(&tmp, e))?
            }
        };
        let (bytes, sha256) = out.finish(&tmp)?;
        let path = self.dir.join(&shard.file);
        fs::rename(&tmp, &path).map_err(|e| Error::io(&path, e))?;
        sync_dir(&self.dir)?;
        self.completed += 1;
        Ok(ShardInfo {
            file: shard.file,
            records: shard.records,
            bytes,
            sha256,
            checkpoint: shard.checkpoint,
        })
    }

    /// Parquet writer settings: no timestamps or random ids in the file, row groups decided by
    /// the data alone, dictionaries only where values repeat, no statistics on long text.
    fn parquet_properties(&self) -> WriterProperties {
        let compression = match self.options.parquet_compression {
            ParquetCompression::None => Compression::UNCOMPRESSED,
            ParquetCompression::Zstd(level) => {
                Compression::ZSTD(ZstdLevel::try_new(level).unwrap_or_default())
            }
        };
        let mut builder = WriterProperties::builder()
            .set_compression(compression)
            .set_max_row_group_row_count(Some(self.options.row_group_records.max(1)))
            .set_max_row_group_bytes(Some(self.options.row_group_bytes.max(1)))
            .set_dictionary_enabled(false)
            .set_statistics_enabled(EnabledStatistics::Chunk);
        let parquet_schema = ArrowSchemaConverter::new()
            .convert(&K::schema())
            .expect("the record schema converts to Parquet");
        for column in parquet_schema.columns() {
            let parts = column.path().parts();
            let leaf = parts.last().map(String::as_str).unwrap_or_default();
            let top = parts.first().map(String::as_str).unwrap_or_default();
            let path = column.path().clone();
            if REPEATED_VALUES.contains(&leaf) || top == "categories" {
                builder = builder.set_column_dictionary_enabled(path.clone(), true);
            }
            if LONG_TEXT.contains(&leaf) {
                builder = builder.set_column_statistics_enabled(path, EnabledStatistics::None);
            }
        }
        builder.build()
    }
}

/// Columns whose values repeat across records: dictionary-encoded.
const REPEATED_VALUES: [&str; 11] = [
    "lang",
    "source_format",
    "namespace",
    "model",
    "content_format",
    "type",
    "language",
    "publisher",
    "container-title",
    "code",
    "severity",
];

/// Columns of long text, whose min and max would be useless: no statistics.
const LONG_TEXT: [&str; 5] = ["text", "document", "csl", "message", "title"];

impl<K: RecordKind> Sink<K> {
    /// The shard's size so far: bytes in the file, plus what the Parquet writer still buffers.
    fn size(&self) -> u64 {
        let size = match self {
            Sink::Plain(out) => out.bytes as usize,
            Sink::Gzip(out) => out.get_ref().bytes as usize,
            Sink::Zstd(out) => out.get_ref().bytes as usize,
            Sink::Parquet { writer, columns } => {
                writer.bytes_written() + writer.in_progress_size() + columns.data_bytes()
            }
        };
        size as u64
    }
}

/// A file being written, hashed and counted on the way.
struct HashingFile {
    out: BufWriter<File>,
    hasher: Sha256,
    bytes: u64,
}

impl HashingFile {
    fn create(path: &Path) -> Result<Self> {
        let file = File::create(path).map_err(|e| Error::io(path, e))?;
        Ok(HashingFile {
            out: BufWriter::with_capacity(1 << 20, file),
            hasher: Sha256::new(),
            bytes: 0,
        })
    }

    /// Flushes and syncs the file; returns its size and SHA-256.
    fn finish(self, path: &Path) -> Result<(u64, String)> {
        let file = self
            .out
            .into_inner()
            .map_err(|e| Error::io(path, e.into_error()))?;
        file.sync_all().map_err(|e| Error::io(path, e))?;
        Ok((self.bytes, format!("{:x}", self.hasher.finalize())))
    }
}

impl Write for HashingFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.out.write(buf)?;
        self.hasher.update(&buf[..n]);
        self.bytes += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

/// Makes a rename in `dir` durable. Only Unix can open a folder to sync it.
pub(crate) fn sync_dir(dir: &Path) -> Result<()> {
    #[cfg(unix)]
    File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(|e| Error::io(dir, e))?;
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}
