//! The MediaWiki export parser: quick-xml's pull events, folded into pages by a small state machine.
//!
//! It reads export schemas 0.10 and 0.11 (and older ones that have the same elements). It reads the
//! whole document (`<mediawiki>` with `<siteinfo>` and `<page>`s, or bare `<page>`s), or one part of
//! a multistream dump: the header stream, a stream of pages, or the tail that closes the root.
//!
//! Buffers are reused from page to page: the event buffer, the stack, the field buffer. Text is
//! gathered as bytes and checked as UTF-8 once per field. Only the five XML entities and character
//! references are read; any other entity, and a DOCTYPE that declares entities, is a fatal error.

use std::io::{self, BufRead};

use quick_xml::Reader;
use quick_xml::events::{BytesRef, BytesStart, Event};

use crate::bz2::MultiBz;
use crate::error::{DumpError, DumpErrorKind, InputFailure};
use crate::page::{Page, SiteInfo, page_url};

/// Which part of a document the parser reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    /// A whole document: `<mediawiki>…</mediawiki>`, or bare `<page>` elements.
    Document,
    /// The first stream of a multistream dump: the root's start and `<siteinfo>`; it may end inside the root.
    Header,
    /// A stream of `<page>` elements inside the root.
    Pages,
    /// What follows the last indexed stream: maybe pages, then `</mediawiki>`.
    Tail,
}

/// A buffered input that maps a decoded position back to the input offset that pages and errors report.
pub(crate) trait XmlInput: BufRead {
    fn input_offset(&mut self, decoded: u64) -> u64;
    /// Where a decoded position is, for messages, when it is not an input offset (compressed input).
    fn decoded_note(&self, decoded: u64) -> Option<String>;
}

/// Uncompressed input, whose decoded positions are input offsets.
pub(crate) struct Plain<R> {
    pub inner: R,
}

impl<R: io::Read> io::Read for Plain<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.inner.read(buf)
    }
}

impl<R: BufRead> BufRead for Plain<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        self.inner.fill_buf()
    }
    fn consume(&mut self, amt: usize) {
        self.inner.consume(amt)
    }
}

impl<R: BufRead> XmlInput for Plain<R> {
    fn input_offset(&mut self, decoded: u64) -> u64 {
        decoded
    }
    fn decoded_note(&self, _: u64) -> Option<String> {
        None
    }
}

impl<R: BufRead> XmlInput for MultiBz<R> {
    fn input_offset(&mut self, decoded: u64) -> u64 {
        self.stream_offset(decoded)
    }
    fn decoded_note(&self, decoded: u64) -> Option<String> {
        Some(if self.is_single() {
            format!("byte {decoded} of the decoded stream")
        } else {
            format!("decoded byte {decoded}")
        })
    }
}

/// The most bytes read without a `<`: quick-xml holds a whole text or markup in memory, and a page's
/// text is at most a few MB (MediaWiki caps an article at 2 MB); past this the input is not a dump.
const MAX_UNMARKED: u64 = 64 << 20;

/// Bounds what quick-xml buffers for one event: fails the read once more than `limit` bytes have
/// been consumed since the parser last reset `event` (after each event), so at most one buffer
/// beyond the limit is held. Counting costs nothing per byte, unlike looking for `<`.
pub(crate) struct Bounded<R> {
    inner: R,
    limit: u64,
    /// Bytes consumed in the current event, and in all.
    event: u64,
    consumed: u64,
    over: bool,
}

impl<R: XmlInput> Bounded<R> {
    fn new(inner: R, limit: u64) -> Self {
        Bounded {
            inner,
            limit,
            event: 0,
            consumed: 0,
            over: false,
        }
    }
}

impl<R: XmlInput> io::Read for Bounded<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let available = self.fill_buf()?;
        let n = available.len().min(buf.len());
        buf[..n].copy_from_slice(&available[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl<R: XmlInput> BufRead for Bounded<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.over {
            let what = format!("more than {} MiB in one text or markup", self.limit >> 20);
            let offset = self.inner.input_offset(self.consumed);
            return Err(InputFailure {
                kind: DumpErrorKind::Structure(what),
                offset,
            }
            .into_io());
        }
        self.inner.fill_buf()
    }

    fn consume(&mut self, amt: usize) {
        self.event += amt as u64;
        self.over |= self.event > self.limit;
        self.consumed += amt as u64;
        self.inner.consume(amt);
    }
}

/// Where the parser is: one entry per open element.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum El {
    Root,
    SiteInfo,
    Namespaces,
    Page,
    Revision,
    Field(Field),
    /// An element the parser does not read (contributor, comment, sha1 …), or anything inside one.
    Other,
}

/// A leaf element whose text is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    SiteName,
    DbName,
    Base,
    Namespace(i32),
    Title,
    Ns,
    PageId,
    RevisionId,
    ParentId,
    Timestamp,
    Model,
    Format,
    Text,
}

impl Field {
    fn name(self) -> &'static str {
        match self {
            Field::SiteName => "sitename",
            Field::DbName => "dbname",
            Field::Base => "base",
            Field::Namespace(_) => "namespace",
            Field::Title => "title",
            Field::Ns => "ns",
            Field::PageId | Field::RevisionId => "id",
            Field::ParentId => "parentid",
            Field::Timestamp => "timestamp",
            Field::Model => "model",
            Field::Format => "format",
            Field::Text => "text",
        }
    }
}

/// What one step of the parser produced. (`Page` is large, but a step returns it by out-pointer,
/// and boxing it would allocate once more per page.)
#[allow(clippy::large_enum_variant)]
pub(crate) enum Step {
    Continue,
    Page(Page),
    Eof,
}

/// The fields of the page being read.
#[derive(Default)]
struct Building {
    page: Page,
    has_title: bool,
    skipped: bool,
}

pub(crate) struct XmlPages<R: XmlInput> {
    reader: Reader<Bounded<R>>,
    file: String,
    mode: Mode,
    buf: Vec<u8>,
    stack: Vec<El>,
    field: Vec<u8>,
    text: Vec<u8>,
    cur: Building,
    siteinfo: SiteInfo,
    siteinfo_done: bool,
    root_seen: bool,
    root_closed: bool,
    origin: Option<String>,
    /// Pages still to read without yielding them (resume).
    pub skip: u64,
    last_id: Option<u64>,
    last_title: Option<String>,
    pages_read: u64,
    first_id: Option<u64>,
    /// A page completed while reading the header (bare `<page>`s without siteinfo).
    pending: Option<Page>,
    failed: bool,
}

/// Caps the text buffer reserved from a `bytes="…"` attribute, which the input could inflate.
const MAX_RESERVE: usize = 16 << 20;

impl<R: XmlInput> XmlPages<R> {
    pub(crate) fn new(input: R, file: &str, mode: Mode, origin: Option<String>) -> Self {
        Self::with_limit(input, file, mode, origin, MAX_UNMARKED)
    }

    fn with_limit(input: R, file: &str, mode: Mode, origin: Option<String>, limit: u64) -> Self {
        let mut reader = Reader::from_reader(Bounded::new(input, limit));
        let config = reader.config_mut();
        config.allow_unmatched_ends = matches!(mode, Mode::Pages | Mode::Tail);
        config.check_end_names = true;
        config.trim_text(false);
        config.expand_empty_elements = false;
        let stack = if matches!(mode, Mode::Pages | Mode::Tail) {
            vec![El::Root]
        } else {
            Vec::new()
        };
        XmlPages {
            reader,
            file: file.to_owned(),
            mode,
            buf: Vec::with_capacity(64 * 1024),
            stack,
            field: Vec::new(),
            text: Vec::new(),
            cur: Building::default(),
            siteinfo: SiteInfo::default(),
            siteinfo_done: false,
            root_seen: matches!(mode, Mode::Pages | Mode::Tail),
            root_closed: false,
            origin,
            skip: 0,
            last_id: None,
            last_title: None,
            pages_read: 0,
            first_id: None,
            pending: None,
            failed: false,
        }
    }

    pub(crate) fn siteinfo(&self) -> Option<&SiteInfo> {
        self.siteinfo_done.then_some(&self.siteinfo)
    }

    pub(crate) fn into_siteinfo(self) -> Option<SiteInfo> {
        self.siteinfo_done.then_some(self.siteinfo)
    }

    /// The input being read.
    pub(crate) fn input(&self) -> &R {
        &self.reader.get_ref().inner
    }

    /// The origin (`scheme://host`) page URLs are built from.
    pub(crate) fn origin(&self) -> Option<&str> {
        self.origin.as_deref()
    }

    /// Pages read so far, skipped ones included.
    pub(crate) fn pages_read(&self) -> u64 {
        self.pages_read
    }

    /// The id of the first page read (skipped or not).
    pub(crate) fn first_page_id(&self) -> Option<u64> {
        self.first_id
    }

    /// The last complete page read (skipped or not): its id and title.
    pub(crate) fn last_good(&self) -> Option<(Option<u64>, String)> {
        self.last_title.clone().map(|t| (self.last_id, t))
    }

    /// Reads until `<siteinfo>` is complete, the first page starts, or the input ends.
    pub(crate) fn read_header(&mut self) -> Result<(), DumpError> {
        while !self.siteinfo_done && !self.stack.contains(&El::Page) {
            match self.step()? {
                Step::Continue => {}
                // A bare page before any siteinfo: keep it for the iteration.
                Step::Page(page) => {
                    self.pending = Some(page);
                    return Ok(());
                }
                Step::Eof => return Ok(()),
            }
        }
        Ok(())
    }

    /// The next page, `None` at the end; after an error, `None`.
    pub(crate) fn next_page(&mut self) -> Option<Result<Page, DumpError>> {
        if let Some(page) = self.pending.take() {
            return Some(Ok(page));
        }
        if self.failed {
            return None;
        }
        loop {
            match self.step() {
                Ok(Step::Continue) => {}
                Ok(Step::Page(page)) => return Some(Ok(page)),
                Ok(Step::Eof) => return None,
                Err(err) => {
                    self.failed = true;
                    return Some(Err(err));
                }
            }
        }
    }

    fn error(&mut self, kind: DumpErrorKind, decoded: u64) -> DumpError {
        self.failed = true;
        let offset = self.reader.get_mut().inner.input_offset(decoded);
        let kind = match (kind, self.reader.get_ref().inner.decoded_note(decoded)) {
            (DumpErrorKind::Xml(msg), Some(note)) => DumpErrorKind::Xml(format!("{msg} ({note})")),
            (kind, _) => kind,
        };
        let mut err = DumpError::new(&self.file, kind).at(offset);
        err.last_good_page = self.last_good();
        err
    }

    fn xml_error(&mut self, err: quick_xml::Error) -> DumpError {
        if let quick_xml::Error::Io(io) = &err {
            let (kind, offset) = match InputFailure::find(io) {
                Some(failure) => (failure.kind.clone(), Some(failure.offset)),
                None => (DumpErrorKind::Io(io.to_string()), None),
            };
            let pos = self.reader.buffer_position();
            let mut e = self.error(kind, pos);
            if offset.is_some() {
                e.offset = offset;
            }
            return e;
        }
        let pos = self.reader.error_position();
        self.error(DumpErrorKind::Xml(err.to_string()), pos)
    }

    /// Reads one event and folds it in.
    pub(crate) fn step(&mut self) -> Result<Step, DumpError> {
        let mut buf = std::mem::take(&mut self.buf);
        buf.clear();
        let pos = self.reader.buffer_position();
        let result = match self.reader.read_event_into(&mut buf) {
            Err(err) => Err(self.xml_error(err)),
            Ok(event) => self.event(event, pos),
        };
        self.reader.get_mut().event = 0;
        self.buf = buf;
        result
    }

    fn event(&mut self, event: Event<'_>, pos: u64) -> Result<Step, DumpError> {
        match event {
            Event::Text(text) => {
                match self.stack.last() {
                    Some(El::Field(Field::Text)) if !self.cur.skipped => {
                        self.text.extend_from_slice(&text)
                    }
                    Some(El::Field(Field::Text)) => {}
                    Some(El::Field(_)) => self.field.extend_from_slice(&text),
                    None if !text.iter().all(u8::is_ascii_whitespace) => {
                        let what = if self.root_closed {
                            "text after the root element"
                        } else {
                            "text before the root element"
                        };
                        return Err(self.error(DumpErrorKind::Structure(what.into()), pos));
                    }
                    _ => {}
                }
                Ok(Step::Continue)
            }
            Event::GeneralRef(entity) => {
                let mut utf8 = [0; 4];
                let resolved: &[u8] = match &*entity {
                    b"lt" => b"<",
                    b"gt" => b">",
                    b"amp" => b"&",
                    b"quot" => b"\"",
                    b"apos" => b"'",
                    _ => match char_ref(&entity) {
                        Ok(c) => c.encode_utf8(&mut utf8).as_bytes(),
                        Err(kind) => return Err(self.error(kind, pos)),
                    },
                };
                match self.stack.last() {
                    Some(El::Field(Field::Text)) if !self.cur.skipped => {
                        self.text.extend_from_slice(resolved)
                    }
                    Some(El::Field(Field::Text)) => {}
                    Some(El::Field(_)) => self.field.extend_from_slice(resolved),
                    None => {
                        let what = "text outside the root element";
                        return Err(self.error(DumpErrorKind::Structure(what.into()), pos));
                    }
                    _ => {}
                }
                Ok(Step::Continue)
            }
            Event::CData(data) => {
                match self.stack.last() {
                    Some(El::Field(Field::Text)) if !self.cur.skipped => {
                        self.text.extend_from_slice(&data)
                    }
                    Some(El::Field(Field::Text)) => {}
                    Some(El::Field(_)) => self.field.extend_from_slice(&data),
                    _ => {}
                }
                Ok(Step::Continue)
            }
            Event::Start(start) => {
                self.start(&start, pos)?;
                Ok(Step::Continue)
            }
            Event::Empty(start) => {
                self.start(&start, pos)?;
                self.end(start.name().as_ref(), pos)
            }
            Event::End(end) => self.end(end.name().as_ref(), pos),
            Event::DocType(doctype) => {
                if memchr::memmem::find(&doctype, b"<!ENTITY").is_some() {
                    return Err(self.error(DumpErrorKind::EntityDeclaration, pos));
                }
                Ok(Step::Continue)
            }
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) => Ok(Step::Continue),
            Event::Eof => self.eof(pos),
        }
    }

    fn start(&mut self, start: &BytesStart<'_>, pos: u64) -> Result<(), DumpError> {
        let name = start.name();
        let name = name.as_ref();
        let el = match self.stack.last().copied() {
            None => {
                if self.root_closed {
                    let what = "an element after the root element";
                    return Err(self.error(DumpErrorKind::Structure(what.into()), pos));
                }
                match name {
                    b"mediawiki" if !self.root_seen => {
                        self.root_seen = true;
                        self.siteinfo.lang = self.attribute(start, b"xml:lang", pos)?;
                        El::Root
                    }
                    b"page" => self.begin_page(pos),
                    _ => {
                        let what = format!(
                            "the root element is <{}>, not <mediawiki>",
                            String::from_utf8_lossy(name)
                        );
                        return Err(self.error(DumpErrorKind::Structure(what), pos));
                    }
                }
            }
            Some(El::Root) => match name {
                b"siteinfo" => El::SiteInfo,
                b"page" => self.begin_page(pos),
                _ => El::Other,
            },
            Some(El::SiteInfo) => match name {
                b"sitename" => El::Field(Field::SiteName),
                b"dbname" => El::Field(Field::DbName),
                b"base" => El::Field(Field::Base),
                b"namespaces" => El::Namespaces,
                _ => El::Other,
            },
            Some(El::Namespaces) => match name {
                b"namespace" => {
                    let key = self.attribute(start, b"key", pos)?.unwrap_or_default();
                    El::Field(Field::Namespace(self.number(
                        key.as_bytes(),
                        "namespace key",
                        pos,
                    )?))
                }
                _ => El::Other,
            },
            Some(El::Page) => match name {
                b"title" => El::Field(Field::Title),
                b"ns" => El::Field(Field::Ns),
                b"id" => El::Field(Field::PageId),
                b"redirect" => {
                    self.cur.page.redirect =
                        Some(self.attribute(start, b"title", pos)?.unwrap_or_default());
                    El::Other
                }
                b"revision" => El::Revision,
                _ => El::Other,
            },
            Some(El::Revision) => match name {
                b"id" => El::Field(Field::RevisionId),
                b"parentid" => El::Field(Field::ParentId),
                b"timestamp" => El::Field(Field::Timestamp),
                b"model" => El::Field(Field::Model),
                b"format" => El::Field(Field::Format),
                b"text" => {
                    self.text.clear();
                    self.cur.page.text = None;
                    let mut deleted = false;
                    for attr in start.attributes() {
                        let attr =
                            attr.map_err(|e| self.error(DumpErrorKind::Xml(e.to_string()), pos))?;
                        match attr.key.as_ref() {
                            b"deleted" => deleted = true,
                            b"bytes" if !self.cur.skipped => {
                                let hint = std::str::from_utf8(&attr.value)
                                    .ok()
                                    .and_then(|v| v.parse::<usize>().ok());
                                self.text.reserve(hint.unwrap_or(0).min(MAX_RESERVE));
                            }
                            _ => {}
                        }
                    }
                    if deleted {
                        El::Other
                    } else {
                        El::Field(Field::Text)
                    }
                }
                _ => El::Other,
            },
            Some(El::Field(_) | El::Other) => El::Other,
        };
        self.stack.push(el);
        Ok(())
    }

    fn begin_page(&mut self, pos: u64) -> El {
        let offset = self.reader.get_mut().inner.input_offset(pos);
        self.cur = Building {
            page: Page {
                offset,
                ..Page::default()
            },
            has_title: false,
            skipped: self.skip > 0,
        };
        El::Page
    }

    fn end(&mut self, name: &[u8], pos: u64) -> Result<Step, DumpError> {
        let Some(el) = self.stack.pop() else {
            let what = format!("</{}> closes no element", String::from_utf8_lossy(name));
            return Err(self.error(DumpErrorKind::Xml(what), pos));
        };
        match el {
            El::Field(field) => self.finish_field(field, pos)?,
            El::Page => return self.finish_page(pos),
            El::SiteInfo => {
                self.siteinfo_done = true;
                if self.origin.is_none() {
                    self.origin = self.siteinfo.origin().map(str::to_owned);
                }
            }
            El::Root => {
                if name != b"mediawiki" {
                    let what = format!("</{}> closes no element", String::from_utf8_lossy(name));
                    return Err(self.error(DumpErrorKind::Xml(what), pos));
                }
                self.root_closed = true;
            }
            El::Namespaces | El::Revision | El::Other => {}
        }
        Ok(Step::Continue)
    }

    fn finish_field(&mut self, field: Field, pos: u64) -> Result<(), DumpError> {
        if field == Field::Text {
            if !self.cur.skipped {
                let bytes = std::mem::take(&mut self.text);
                match String::from_utf8(bytes) {
                    Ok(text) => self.cur.page.text = Some(text),
                    Err(_) => {
                        return Err(self.error(DumpErrorKind::InvalidUtf8("text".into()), pos));
                    }
                }
            }
            return Ok(());
        }
        let bytes = std::mem::take(&mut self.field);
        let result = self.set_field(field, &bytes, pos);
        self.field = bytes;
        self.field.clear();
        result
    }

    fn set_field(&mut self, field: Field, bytes: &[u8], pos: u64) -> Result<(), DumpError> {
        let string = |this: &mut Self| match std::str::from_utf8(bytes) {
            Ok(s) => Ok(s.to_owned()),
            Err(_) => Err(this.error(DumpErrorKind::InvalidUtf8(field.name().into()), pos)),
        };
        match field {
            Field::SiteName => self.siteinfo.sitename = Some(string(self)?),
            Field::DbName => self.siteinfo.dbname = Some(string(self)?),
            Field::Base => self.siteinfo.base = Some(string(self)?),
            Field::Namespace(key) => {
                let name = string(self)?;
                self.siteinfo.namespaces.insert(key, name);
            }
            Field::Title => {
                self.cur.page.title = string(self)?;
                self.cur.has_title = true;
            }
            Field::Ns => self.cur.page.namespace = self.number(bytes, "ns", pos)?,
            Field::PageId => self.cur.page.id = Some(self.number(bytes, "id", pos)?),
            Field::RevisionId => self.cur.page.revision_id = Some(self.number(bytes, "id", pos)?),
            Field::ParentId => self.cur.page.parent_id = Some(self.number(bytes, "parentid", pos)?),
            Field::Timestamp => self.cur.page.timestamp = Some(string(self)?),
            Field::Model => self.cur.page.model = Some(string(self)?),
            Field::Format => self.cur.page.content_format = Some(string(self)?),
            // The revision text is gathered apart, in `finish_field`.
            Field::Text => {}
        }
        Ok(())
    }

    fn number<T: std::str::FromStr>(
        &mut self,
        bytes: &[u8],
        what: &str,
        pos: u64,
    ) -> Result<T, DumpError> {
        match std::str::from_utf8(bytes)
            .ok()
            .and_then(|s| s.trim().parse().ok())
        {
            Some(n) => Ok(n),
            None => {
                let what = format!(
                    "<{what}> is not a number: «{}»",
                    String::from_utf8_lossy(bytes)
                );
                Err(self.error(DumpErrorKind::Structure(what), pos))
            }
        }
    }

    fn attribute(
        &mut self,
        start: &BytesStart<'_>,
        key: &[u8],
        pos: u64,
    ) -> Result<Option<String>, DumpError> {
        for attr in start.attributes() {
            let attr = attr.map_err(|e| self.error(DumpErrorKind::Xml(e.to_string()), pos))?;
            if attr.key.as_ref() == key {
                let value = match attr.unescape_value() {
                    Ok(value) => value.into_owned(),
                    Err(quick_xml::Error::Escape(
                        quick_xml::escape::EscapeError::UnrecognizedEntity(_, name),
                    )) => {
                        return Err(self.error(DumpErrorKind::UndefinedEntity(name), pos));
                    }
                    Err(e) => return Err(self.error(DumpErrorKind::Xml(e.to_string()), pos)),
                };
                return Ok(Some(value));
            }
        }
        Ok(None)
    }

    fn finish_page(&mut self, pos: u64) -> Result<Step, DumpError> {
        let building = std::mem::take(&mut self.cur);
        if !building.has_title {
            let what = "a <page> without <title>".to_owned();
            return Err(self.error(DumpErrorKind::Structure(what), pos));
        }
        let mut page = building.page;
        self.pages_read += 1;
        if self.pages_read == 1 {
            self.first_id = page.id;
        }
        self.last_id = page.id;
        match &mut self.last_title {
            Some(title) => {
                title.clear();
                title.push_str(&page.title);
            }
            None => self.last_title = Some(page.title.clone()),
        }
        if building.skipped {
            self.skip = self.skip.saturating_sub(1);
            return Ok(Step::Continue);
        }
        if let Some(origin) = &self.origin {
            page.url = Some(page_url(origin, &page.title));
        }
        Ok(Step::Page(page))
    }

    fn eof(&mut self, pos: u64) -> Result<Step, DumpError> {
        let complete = match self.mode {
            Mode::Document => self.stack.is_empty() && (self.root_closed || self.pages_read > 0),
            Mode::Header => (self.stack.is_empty() && self.root_closed) || self.stack == [El::Root],
            Mode::Pages => self.stack == [El::Root],
            Mode::Tail => self.stack.is_empty(),
        };
        if complete {
            return Ok(Step::Eof);
        }
        let kind = if self.stack.contains(&El::Page) {
            DumpErrorKind::UnexpectedEof("page".into())
        } else if self.stack.contains(&El::SiteInfo) {
            DumpErrorKind::UnexpectedEof("siteinfo".into())
        } else if self.stack.contains(&El::Root) {
            DumpErrorKind::UnexpectedEof("mediawiki".into())
        } else {
            DumpErrorKind::Structure("no <mediawiki> element or <page> in the input".into())
        };
        Err(self.error(kind, pos))
    }
}

/// A character reference (`#38`, `#x26`) as a character; anything else is an undefined entity.
fn char_ref(entity: &BytesRef<'_>) -> Result<char, DumpErrorKind> {
    match entity.resolve_char_ref() {
        Ok(Some(c)) => Ok(c),
        Ok(None) => Err(DumpErrorKind::UndefinedEntity(
            String::from_utf8_lossy(entity).into_owned(),
        )),
        Err(e) => Err(DumpErrorKind::Xml(e.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_without_markup_is_bounded() {
        let long = "长".repeat(400_000);
        let xml = format!(
            "<mediawiki><page><title>A</title><id>1</id><revision><text>短</text></revision></page><page><title>{long}</title></page></mediawiki>"
        );
        let read = |limit: u64| {
            let inner = io::BufReader::with_capacity(64 * 1024, xml.as_bytes());
            let input = Plain { inner };
            let mut pages = XmlPages::with_limit(input, "x.xml", Mode::Document, None, limit);
            let mut got = Vec::new();
            while let Some(item) = pages.next_page() {
                got.push(item.map(|page| page.title.len()).map_err(|e| e.to_string()));
            }
            got
        };
        // The second title is 1.2 MB: over a 1 MiB limit it fails within a buffer (64 kB here) past the limit.
        assert_eq!(
            read(1 << 20),
            [Ok(1), Err("x.xml: not a MediaWiki export: more than 1 MiB in one text or markup at byte 1114112 (last good page: id 1 «A»)".to_owned())]
        );
        assert_eq!(read(2 << 20), [Ok(1), Ok(long.len())]);
    }
}
