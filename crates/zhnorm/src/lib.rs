//! The zhnorm pipeline: one document end to end, and the parallel corpus runner.
//!
//! ```text
//! bytes ─ decode ─ detect ─ read ─ references ─ script ─ checks ─ write
//! ```
//!
//! [`Pipeline`] runs one document through every stage; [`normalize_corpus`] runs a folder of
//! inputs through it in parallel (rayon), hands out unique ids, and renders canonical JSON,
//! the Markdown view and `report.json` in memory; [`write_output`] writes them atomically and
//! [`compare_output`] tells whether committed output is stale. Bad input files are reported as
//! [`Failure`]s and never stop the run.
//!
//! ```
//! use zhnorm::{Options, Pipeline};
//!
//! let pipeline = Pipeline::new(Options::default()).unwrap();
//! let normalized = pipeline.normalize_bytes("巴库.wikitext", "'''巴库'''是城市。\n".as_bytes()).unwrap();
//! assert_eq!(normalized.document.lang, "zh-Hans");
//! assert!(pipeline.normalize_bytes("empty.txt", b"").is_err());
//! ```

pub mod agree;
mod corpus;
mod decode;
mod id;
mod pipeline;
mod report;
mod stream;

pub use corpus::{
    CorpusError, CorpusOptions, CorpusOutput, DIAGNOSTICS_JSON_FILE, DIAGNOSTICS_SARIF_FILE,
    REPORT_FILE, compare_output, folder_items, normalize_corpus, refuse_output_inside_input,
    write_output,
};
pub use decode::{DecodeError, Decoded, decode, decode_any, decode_str};
pub use id::{IdAllocator, safe_id};
pub use pipeline::{
    MAX_DIAGNOSTICS_PER_CODE, Normalized, Options, PageInput, Pipeline, SetupError, StageTimings,
    cap_diagnostics,
};
pub use report::{Failure, Report};
pub use stream::{
    DocumentSink, FatalInputError, PageItem, Prepared, Preparer, Redirect, SinkError, StreamItem,
    StreamOptions, StreamOutcome, StreamState, run_stream,
};
pub use zhnorm_script::{ConversionGroups, ConvertOptions, EngineKind, QuoteStyle, Variant};
