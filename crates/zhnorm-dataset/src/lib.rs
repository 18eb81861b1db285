//! Dataset output for zhnorm: normalized documents and redirects as sharded JSON Lines or
//! Parquet, with atomic shards, their SHA-256, and a manifest.
//!
//! - [`ShardWriter`] writes `part-00000.parquet`, `part-00001.parquet`, … (or `.jsonl`,
//!   `.jsonl.gz`, `.jsonl.zst`) into a folder, starting a new shard at about
//!   [`ShardOptions::max_bytes`] or every [`ShardOptions::max_records`] records. A shard is
//!   written under a temporary name (`.part-00000.parquet.tmp`), synced and renamed when
//!   complete, and reported as a [`ShardInfo`] with its SHA-256 and the caller's checkpoint.
//! - [`JsonlWriter`] writes JSON Lines to any stream (`--output -`) and reports a closed pipe
//!   as [`Error::BrokenPipe`].
//! - [`Manifest`] is `_manifest.json`; [`Manifest::verify`] tells which shards a resumed run
//!   can keep.
//!
//! What a record holds is documented in `schema/zhnorm.record-1.md`: the columns
//! `id, url, title, text` that users of Hugging Face's `wikimedia/wikipedia` expect, then
//! source and page metadata, the canonical document, its references, diagnostics and
//! categories. [`record_schema`] is the Arrow schema of the Parquet shards.
//!
//! This crate writes; it reads no input and runs no stage. The bytes it writes depend only on
//! the records and the options, so the same records give the same shards on every run.
//!
//! ```
//! use zhnorm_dataset::{DocumentRecord, Documents, ShardFormat, ShardOptions, ShardWriter};
//! use zhnorm_doc::{Block, Document, Format, Inline, Source};
//!
//! let mut doc = Document::new(Source::given("例子.txt", Format::Wikitext));
//! doc.id = "例子".into();
//! doc.title = "例子".into();
//! doc.blocks.push(Block::Paragraph { inlines: vec![Inline::text("你好。")] });
//!
//! let dir = std::env::temp_dir().join(format!("zhnorm-dataset-doc-{}", std::process::id()));
//! let mut writer = ShardWriter::<Documents>::new(&dir, ShardOptions::new(ShardFormat::Jsonl))?;
//! let record = DocumentRecord::new(&doc).with_url(Some("https://zh.wikipedia.org/wiki/例子"));
//! assert_eq!(writer.write(&record, 1)?, None);
//! let shard = writer.finish()?.expect("one shard");
//! assert_eq!((shard.file.as_str(), shard.records, shard.checkpoint), ("part-00000.jsonl", 1, 1));
//! let line = std::fs::read_to_string(dir.join(&shard.file))?;
//! assert!(line.starts_with(
//!     r#"{"id":"例子","url":"https://zh.wikipedia.org/wiki/例子","title":"例子","text":"你好。","schema":"zhnorm.doc/1""#
//! ));
//! # std::fs::remove_dir_all(&dir)?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod columns;
mod error;
mod manifest;
mod read;
mod record;
mod shard;
mod stream;

pub use columns::{
    DocumentColumns, RedirectColumns, record_schema, record_schema_text, redirect_schema,
};
pub use error::{Error, Result};
pub use manifest::{
    Input, MANIFEST_FILE, MANIFEST_SCHEMA, Manifest, ShardCheck, ShardState, Verification,
    sha256_of, write_atomically,
};
pub use read::{StoredRedirect, read_documents, read_redirects};
pub use record::{
    ColumnBuilder, DocumentRecord, Documents, PageColumns, RECORD_SCHEMA, RecordKind,
    RedirectRecord, Redirects,
};
pub use shard::{
    DEFAULT_MAX_BYTES, ParquetCompression, ShardFormat, ShardInfo, ShardOptions, ShardWriter,
};
pub use stream::JsonlWriter;

/// A shard writer of documents (`part-*`).
pub type DocumentWriter = ShardWriter<Documents>;
/// A shard writer of redirects (`redirects-*`).
pub type RedirectWriter = ShardWriter<Redirects>;
