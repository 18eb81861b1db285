//! `zhnorm`: the installable binary. `cargo install --path crates/zhnorm-cli`, then
//! `zhnorm normalize --input DUMP --output DIR`. Flags and behaviour are the library's
//! ([`zhnorm_cli`]), shared with `cargo xtask`.

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use zhnorm_cli::{Command, Defaults};

/// The readers and stages build owned documents with one allocation per node; mimalloc makes
/// those allocations about three times cheaper than glibc's malloc (measured by the wikitext
/// reader benchmark, which runs with the same allocator); see [`zhnorm_cli::Allocator`].
#[global_allocator]
static ALLOCATOR: zhnorm_cli::Allocator = zhnorm_cli::Allocator;

#[derive(Debug, Parser)]
#[command(
    name = "zhnorm",
    version,
    about = "Normalize Chinese Wikipedia (dumps, JSON Lines, or folders of wikitext, scraped text and Markdown exports) into one canonical corpus"
)]
struct Cli {
    #[command(subcommand)]
    command: Top,
}

// Parsed once per process: the size of the flags does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Subcommand)]
enum Top {
    #[command(flatten)]
    Common(Command),
    /// Print the JSON Schema of the canonical document format.
    Schema,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Top::Common(command) => zhnorm_cli::run(command, &Defaults::default()),
        Top::Schema => {
            print!("{}", zhnorm_doc::json_schema_text());
            Ok(ExitCode::SUCCESS)
        }
    };
    zhnorm_cli::exit(result)
}
