"""Typed stubs of the zhnorm package (the extension module ``zhnorm._zhnorm``)."""

from os import PathLike
from typing import Any, Iterable, Iterator, Literal, Optional, Sequence, Tuple, Union, overload

import pyarrow

_Path = Union[str, "PathLike[str]"]

RECORD_SCHEMA: str
"""The record schema's identifier, ``zhnorm.record/1`` (``schema/zhnorm.record-1.md``)."""

class NormalizeError(Exception):
    """A document could not be normalized (empty, binary or undecodable text); the message
    names it (``source#title``)."""

class DumpError(Exception):
    """A dump or its index could not be read; the message names the file, the byte offset and
    the last good page."""

def normalize(
    text: str,
    *,
    title: Optional[str] = None,
    format: Optional[str] = None,
    variant: str = "zh-Hans",
    id: Union[int, str, None] = None,
    url: Optional[str] = None,
    path: str = "-",
) -> dict[str, Any]:
    """One document, as the JSON Lines record ``zhnorm normalize --output-format jsonl`` writes
    for the same page: ``id, url, title, text``, then the canonical document's keys.

    ``format`` is ``wikitext``, ``scraped``, ``markdown`` or ``canonical`` (detected when
    ``None``); ``id`` and ``url`` are the page id (or key) and URL; ``path`` is how the document
    names its source. Raises ``NormalizeError`` naming the document when its text is unreadable.
    """

@overload
def normalize_batch(
    batch: Union[pyarrow.RecordBatch, pyarrow.Table],
    *,
    variant: str = "zh-Hans",
    jobs: Optional[int] = None,
    path: Optional[str] = None,
    namespaces: Sequence[int] = (0,),
    report: Literal[False] = False,
    summaries: Literal[False] = False,
) -> pyarrow.RecordBatch: ...
@overload
def normalize_batch(
    batch: Union[pyarrow.RecordBatch, pyarrow.Table],
    *,
    variant: str = "zh-Hans",
    jobs: Optional[int] = None,
    path: Optional[str] = None,
    namespaces: Sequence[int] = (0,),
    report: Literal[True],
    summaries: Literal[False] = False,
) -> Tuple[pyarrow.RecordBatch, dict[str, Any]]: ...
@overload
def normalize_batch(
    batch: Union[pyarrow.RecordBatch, pyarrow.Table],
    *,
    variant: str = "zh-Hans",
    jobs: Optional[int] = None,
    path: Optional[str] = None,
    namespaces: Sequence[int] = (0,),
    report: Literal[False] = False,
    summaries: Literal[True],
) -> Tuple[pyarrow.RecordBatch, str]: ...
@overload
def normalize_batch(
    batch: Union[pyarrow.RecordBatch, pyarrow.Table],
    *,
    variant: str = "zh-Hans",
    jobs: Optional[int] = None,
    path: Optional[str] = None,
    namespaces: Sequence[int] = (0,),
    report: Literal[True],
    summaries: Literal[True],
) -> Tuple[pyarrow.RecordBatch, dict[str, Any], str]:
    """The pages of ``batch`` (``title``, ``text``; optional ``id``, ``url``, ``format`` and the
    columns of ``pages_schema()``) normalized on ``jobs`` threads (default: one per core), the GIL
    released, into a batch of ``record_schema()``. Redirects, pages outside ``namespaces``,
    deleted texts and non-wikitext models are not documents. With ``report=True``, also the
    batch's ``zhnorm.report/1`` as a dict, failures collected instead of raised. With
    ``summaries=True``, the tuple ends with the records' corpus summaries, as ``corpus_summary``
    gives them (without reading the records back).
    """

def record_schema() -> pyarrow.Schema:
    """The Arrow schema of the records (``zhnorm.record/1``)."""

def pages_schema() -> pyarrow.Schema:
    """The Arrow schema of ``read_dump``'s batches: one row per raw page."""

class DumpReader(Iterator[pyarrow.RecordBatch]):
    """Batches of raw pages of one dump (see ``read_dump``)."""

    def __iter__(self) -> "DumpReader": ...
    def __next__(self) -> pyarrow.RecordBatch: ...

def read_dump(
    path: _Path,
    *,
    streams: Optional[Tuple[int, int]] = None,
    index: Optional[_Path] = None,
    batch_pages: int = 1000,
    threads: int = 1,
) -> DumpReader:
    """The pages of a dump (XML, ``.xml.bz2``, multistream with its index, or JSON Lines) as
    batches of ``pages_schema()``, every namespace and redirects included, in dump order.
    ``streams=(first, last)``: only those multistream streams (both included), by the index.
    Raises ``DumpError`` on a truncated or corrupt dump, after the complete pages before it.
    """

def dump_streams(path: _Path, *, index: Optional[_Path] = None) -> list[Tuple[int, int, int]]:
    """The streams of a multistream dump from its index: ``(offset, first_page_id,
    page_count)`` in file order."""

def merge_reports(reports: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """One ``zhnorm.report/1`` from the reports of many batches or tasks: counts summed,
    failures in order, ``corpus`` empty (the corpus rules are a step of their own)."""

def corpus_summary(records: Union[pyarrow.RecordBatch, pyarrow.Table]) -> str:
    """The corpus summaries of records (id, title, format, source, the articles their wiki links
    name), one JSON line per record: what the corpus step needs of a document."""

def check_corpus(
    summaries: Sequence[_Path],
    redirects: Sequence[_Path],
    *,
    report: Optional[dict[str, Any]] = None,
) -> dict[str, Any]:
    """The corpus step over a whole run: summaries (JSON Lines files, in input order) and
    redirects tables. Returns ``documents`` (those whose id changes or that get findings:
    ``index``, ``id``, ``title``, ``diagnostics``), ``corpus`` (findings about the corpus) and,
    with ``report``, that report with the findings counted, as ``zhnorm normalize`` writes it."""

def apply_corpus_findings(
    records: Union[pyarrow.RecordBatch, pyarrow.Table],
    changes: Sequence[dict[str, Any]],
) -> pyarrow.RecordBatch:
    """The records with the corpus step applied: ``changes`` are ``check_corpus``'s documents
    with ``row`` (the record's row in ``records``) set; each changed record gets its id and
    findings, as ``zhnorm normalize`` writes it."""
