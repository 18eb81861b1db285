"""zhnorm from Python: normalize Chinese Wikipedia articles one at a time or as Arrow batches,
and read MediaWiki dumps as Arrow batches, whole or by ranges of multistream streams.

The work is done by the Rust crates of zhnorm (the extension module ``zhnorm._zhnorm``); a
document here is byte for byte the record ``zhnorm normalize`` writes for the same page.
"""

from zhnorm._zhnorm import (
    RECORD_SCHEMA,
    DumpError,
    DumpReader,
    NormalizeError,
    dump_streams,
    normalize,
    normalize_batch,
    pages_schema,
    read_dump,
    record_schema,
)

__all__ = [
    "RECORD_SCHEMA",
    "DumpError",
    "DumpReader",
    "NormalizeError",
    "dump_streams",
    "normalize",
    "normalize_batch",
    "pages_schema",
    "read_dump",
    "record_schema",
]
