//! Event XML, streamed: `wevtutil qe … /f:xml` (a sequence of `<Event>` elements without a root),
//! Event Viewer "Save as XML" (`<Events>` root), and single records rendered from .evtx.
//!
//! Time and memory are bounded for any input: a lexer between the input and the parser passes
//! well-formed XML through unchanged and, in one pass, cuts what is over a limit (a text run,
//! attribute value, tag, name, comment, CDATA section, processing instruction or DOCTYPE longer
//! than its limit, attributes beyond [`MAX_ATTRIBUTES`]) and skips elements nested deeper than
//! [`MAX_DEPTH`], keeping the end of each token so that the parser still sees well-formed markup
//! and every record after it. What was cut is reported ([`XmlEventReader::cuts`], then one
//! warning per kind, with where the first one is). At most [`MAX_ITEMS`] data items of
//! [`MAX_ITEM_TEXT`] bytes are kept per event.

use std::io::{self, BufRead, Read};

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event as XmlEvent};
use serde::Serialize;
use volact_core::Lang;
use volact_core::event::{Event, Timestamp, is_activation_provider, parse_data};

use crate::analyze::{Analyzer, SkipReason};

/// Data items kept per event.
pub const MAX_ITEMS: usize = 64;
/// Text kept per data item (1003 status lists are long); single fields are cut further when typed.
pub const MAX_ITEM_TEXT: usize = 64 * 1024;
/// Longest text run between two tags passed to the parser, in bytes.
pub const MAX_TEXT: usize = 1024 * 1024;
/// Longest comment, CDATA section, processing instruction or DOCTYPE, in bytes.
pub const MAX_MARKUP: usize = 1024 * 1024;
/// Longest start tag (name and attributes), in bytes.
pub const MAX_TAG: usize = 1024 * 1024;
/// Longest element name, in bytes.
pub const MAX_NAME: usize = 1024;
/// Attributes kept per element.
pub const MAX_ATTRIBUTES: usize = 256;
/// Longest attribute value, in bytes.
pub const MAX_ATTRIBUTE_VALUE: usize = 64 * 1024;
/// Deepest nesting passed to the parser (event XML is 4-6 levels deep).
pub const MAX_DEPTH: usize = 64;

/// The raw fields of one `<Event>`, before typing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RawEvent {
    /// `System/Provider/@Name` (or `@EventSourceName` when the name is missing).
    pub provider: Option<String>,
    /// `System/EventID`.
    pub id: Option<u32>,
    /// `System/TimeCreated/@SystemTime`.
    pub time: Option<Timestamp>,
    /// `System/EventRecordID`.
    pub record_id: Option<u64>,
    /// `System/Channel`.
    pub channel: Option<String>,
    /// `System/Computer`.
    pub computer: Option<String>,
    /// `EventData/Data` texts (or the leaf texts of `UserData`), in order.
    pub items: Vec<String>,
    /// Whether more items than [`MAX_ITEMS`] were present.
    pub items_cut: bool,
}

/// Why a raw event did not become an activation event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unused {
    /// Another provider, or an event ID without meaning for activation.
    NotActivation,
    /// No `EventID`.
    NoId,
    /// An activation event whose data could not be read.
    Bad(volact_core::event::InfoError),
}

impl RawEvent {
    /// Types the event: `Ok` for Security-SPP / Security-Licensing-SLC events (and, when the
    /// provider is unknown, for the typed IDs), otherwise why not.
    pub fn into_event(self) -> Result<Event, Unused> {
        let items: Vec<&str> = self.items.iter().map(String::as_str).collect();
        make_event(
            self.provider,
            self.id,
            self.time,
            self.record_id,
            self.channel,
            self.computer,
            &items,
        )
    }
}

/// Types one event from its raw fields (see [`RawEvent::into_event`]); the fast path of `.evtx`
/// reading calls it with items borrowed from a reused buffer.
pub(crate) fn make_event(
    provider: Option<String>,
    id: Option<u32>,
    time: Option<Timestamp>,
    record_id: Option<u64>,
    channel: Option<String>,
    computer: Option<String>,
    items: &[&str],
) -> Result<Event, Unused> {
    let id = id.ok_or(Unused::NoId)?;
    let typed = volact_core::event::TYPED_IDS.contains(&id);
    match provider.as_deref().map(is_activation_provider) {
        Some(true) => {}
        None if typed => {}
        _ => return Err(Unused::NotActivation),
    }
    let data = parse_data(id, items).map_err(Unused::Bad)?;
    Ok(Event {
        id,
        provider,
        channel,
        time,
        computer,
        record_id,
        data,
    })
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Field {
    None,
    Id,
    RecordId,
    Channel,
    Computer,
    Data,
}

/// Streaming reader of `<Event>` elements.
pub struct XmlEventReader<R: BufRead> {
    reader: Reader<Limited<R>>,
    buf: Vec<u8>,
    done: bool,
    peak: usize,
}

impl<R: BufRead> XmlEventReader<R> {
    /// A reader over UTF-8 XML (wrap other encodings in [`crate::decode::Utf8Reader`]).
    pub fn new(inner: R) -> Self {
        let mut reader = Reader::from_reader(Limited::new(inner));
        let cfg = reader.config_mut();
        cfg.check_end_names = false;
        cfg.trim_text(false);
        // A stray `&` or end tag is read past, not an error that ends the input.
        cfg.allow_dangling_amp = true;
        cfg.allow_unmatched_ends = true;
        Self {
            reader,
            buf: Vec::new(),
            done: false,
            peak: 0,
        }
    }

    /// What was cut or skipped so far, one entry per kind.
    pub fn cuts(&self) -> Vec<XmlCut> {
        self.reader.get_ref().lexer.cuts()
    }

    /// `<Event>` records inside elements skipped for their depth so far.
    pub fn records_skipped(&self) -> u64 {
        self.reader.get_ref().lexer.records_skipped
    }

    /// The most bytes the parser held for one XML event (a tag, a text run, a comment...) so far:
    /// bounded by the limits whatever the input.
    pub fn peak_buffered(&self) -> usize {
        self.peak.max(self.buf.len())
    }

    /// The deepest nesting passed to the parser so far (at most [`MAX_DEPTH`]).
    pub fn deepest(&self) -> u64 {
        self.reader.get_ref().lexer.deepest
    }

    /// Byte position in the (decoded) input, for error messages.
    pub fn position(&self) -> u64 {
        self.reader.buffer_position()
    }

    /// The next `<Event>`; `Ok(None)` at the end; `Err` on malformed XML (the reader stops).
    pub fn next_event(&mut self) -> Result<Option<RawEvent>, XmlError> {
        if self.done {
            return Ok(None);
        }
        let mut ev: Option<RawEvent> = None;
        let mut depth_in_event = 0usize;
        let mut field = Field::None;
        let mut text = String::new();
        let mut in_system = false;
        let mut in_data = false; // inside EventData or UserData
        loop {
            // The bytes of the previous XML event, before they are dropped.
            self.peak = self.peak.max(self.buf.len());
            self.buf.clear();
            let e = match self.reader.read_event_into(&mut self.buf) {
                Ok(e) => e,
                Err(err) => {
                    self.done = true;
                    return Err(XmlError {
                        position: self.reader.buffer_position(),
                        message: err.to_string(),
                    });
                }
            };
            match e {
                XmlEvent::Eof => {
                    self.done = true;
                    return Ok(None);
                }
                XmlEvent::Start(s) if ev.is_none() && local(&s) == b"Event" => {
                    ev = Some(RawEvent::default());
                    depth_in_event = 1;
                }
                XmlEvent::Empty(s) if ev.is_none() && local(&s) == b"Event" => {
                    return Ok(Some(RawEvent::default()));
                }
                XmlEvent::Start(_) | XmlEvent::Empty(_) if ev.is_none() => {}
                XmlEvent::Start(s) => {
                    depth_in_event += 1;
                    let r = ev.as_mut().expect("inside event");
                    let name = local(&s).to_vec();
                    attributes(&s, r, &name);
                    field = Field::None;
                    text.clear();
                    match name.as_slice() {
                        b"System" => in_system = true,
                        b"EventData" | b"UserData" => in_data = true,
                        b"EventID" if in_system => field = Field::Id,
                        b"EventRecordID" if in_system => field = Field::RecordId,
                        b"Channel" if in_system => field = Field::Channel,
                        b"Computer" if in_system => field = Field::Computer,
                        _ if in_data => field = Field::Data,
                        _ => {}
                    }
                }
                XmlEvent::Empty(s) => {
                    let r = ev.as_mut().expect("inside event");
                    let name = local(&s).to_vec();
                    attributes(&s, r, &name);
                    if in_data && name != b"EventData" && name != b"UserData" {
                        push_item(r, "");
                    }
                }
                XmlEvent::Text(t) if ev.is_some() && field != Field::None => {
                    let s = t.xml_content().unwrap_or_default();
                    if text.len() < MAX_ITEM_TEXT {
                        text.push_str(&s);
                    }
                }
                XmlEvent::CData(t)
                    if ev.is_some() && field != Field::None && text.len() < MAX_ITEM_TEXT =>
                {
                    text.push_str(&String::from_utf8_lossy(&t));
                }
                XmlEvent::GeneralRef(r) if ev.is_some() && field != Field::None => {
                    let c = match r.resolve_char_ref() {
                        Ok(Some(c)) => Some(c),
                        _ => match r.as_ref() {
                            b"amp" => Some('&'),
                            b"lt" => Some('<'),
                            b"gt" => Some('>'),
                            b"quot" => Some('"'),
                            b"apos" => Some('\''),
                            _ => None,
                        },
                    };
                    if let Some(c) = c
                        && text.len() < MAX_ITEM_TEXT
                    {
                        text.push(c);
                    }
                }
                XmlEvent::End(e) if ev.is_some() => {
                    depth_in_event = depth_in_event.saturating_sub(1);
                    let r = ev.as_mut().expect("inside event");
                    let name = e.local_name();
                    let name = name.as_ref();
                    if field != Field::None {
                        let v = text.trim();
                        match field {
                            Field::Id => r.id = v.parse().ok(),
                            Field::RecordId => r.record_id = v.parse().ok(),
                            Field::Channel => r.channel = some(v),
                            Field::Computer => r.computer = some(v),
                            Field::Data => push_item(r, v),
                            Field::None => {}
                        }
                        field = Field::None;
                        text.clear();
                    }
                    match name {
                        b"System" => in_system = false,
                        b"EventData" | b"UserData" => in_data = false,
                        _ => {}
                    }
                    if depth_in_event == 0 || name == b"Event" {
                        return Ok(ev);
                    }
                }
                _ => {}
            }
        }
    }
}

fn some(v: &str) -> Option<String> {
    (!v.is_empty()).then(|| clip(v))
}

fn clip(v: &str) -> String {
    let mut end = v.len().min(volact_core::event::MAX_FIELD);
    while !v.is_char_boundary(end) {
        end -= 1;
    }
    v[..end].to_owned()
}

fn push_item(r: &mut RawEvent, v: &str) {
    if r.items.len() < MAX_ITEMS {
        let mut end = v.len().min(MAX_ITEM_TEXT);
        while !v.is_char_boundary(end) {
            end -= 1;
        }
        r.items.push(v[..end].to_owned());
    } else {
        r.items_cut = true;
    }
}

fn local<'a>(s: &'a BytesStart<'_>) -> &'a [u8] {
    let n = s.name().0;
    match n.iter().rposition(|&b| b == b':') {
        Some(i) => &n[i + 1..],
        None => n,
    }
}

fn attributes(s: &BytesStart<'_>, r: &mut RawEvent, name: &[u8]) {
    match name {
        b"Provider" => {
            let mut source = None;
            let mut attrs = s.attributes();
            // At most MAX_ATTRIBUTES (the lexer drops the others): no check for duplicates.
            attrs.with_checks(false);
            for a in attrs.flatten() {
                let v = a
                    .unescape_value()
                    .map(|c| c.into_owned())
                    .unwrap_or_default();
                match a.key.local_name().as_ref() {
                    b"Name" => r.provider = some(&v),
                    b"EventSourceName" => source = some(&v),
                    _ => {}
                }
            }
            if r.provider.is_none() {
                r.provider = source;
            }
        }
        b"TimeCreated" => {
            let mut attrs = s.attributes();
            attrs.with_checks(false);
            for a in attrs.flatten() {
                if a.key.local_name().as_ref() == b"SystemTime" {
                    let v = a
                        .unescape_value()
                        .map(|c| c.into_owned())
                        .unwrap_or_default();
                    r.time = Timestamp::parse(&v);
                }
            }
        }
        _ => {}
    }
}

/// Reads event XML into `an`: every `<Event>` is counted as read; malformed XML ends the input
/// with a warning (what was read is kept); what the reader cut or skipped is reported with one
/// warning per kind, and `<Event>` records inside skipped elements are counted as read and
/// skipped (`limit`).
pub fn read_xml<R: Read>(name: &str, r: R, an: &mut Analyzer) {
    let mut xr = XmlEventReader::new(crate::decode::Utf8Reader::new(r));
    loop {
        match xr.next_event() {
            Ok(Some(raw)) => {
                an.read(1);
                an.raw(raw);
            }
            Ok(None) => break,
            Err(e) => {
                an.warn(
                    name,
                    crate::WarningKind::XmlRestUnread {
                        error: e.to_string(),
                    },
                );
                break;
            }
        }
    }
    let skipped = xr.records_skipped();
    if skipped > 0 {
        an.read(skipped);
        an.skip_n(SkipReason::Limit, skipped);
    }
    for cut in xr.cuts() {
        an.warn(name, crate::WarningKind::XmlCut(cut));
    }
}

/// Malformed XML: where and what.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("XML error at byte {position}: {message}")]
pub struct XmlError {
    /// Byte offset in the decoded input.
    pub position: u64,
    /// What the parser said.
    pub message: String,
}

/// What the reader cut or skipped to keep time and memory bounded (see [`XmlCut`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CutWhat {
    /// A text run between two tags longer than [`MAX_TEXT`] bytes.
    Text,
    /// An attribute value longer than [`MAX_ATTRIBUTE_VALUE`] bytes.
    AttributeValue,
    /// An element with more than [`MAX_ATTRIBUTES`] attributes (the rest were dropped).
    Attributes,
    /// A tag longer than [`MAX_TAG`] bytes (its rest was dropped).
    Tag,
    /// An element name longer than [`MAX_NAME`] bytes.
    Name,
    /// A comment longer than [`MAX_MARKUP`] bytes.
    Comment,
    /// A CDATA section longer than [`MAX_MARKUP`] bytes.
    Cdata,
    /// A processing instruction longer than [`MAX_MARKUP`] bytes.
    ProcessingInstruction,
    /// A DOCTYPE declaration longer than [`MAX_MARKUP`] bytes.
    Doctype,
    /// An element nested deeper than [`MAX_DEPTH`] levels (skipped with everything inside).
    Depth,
    /// Markup starting with `<!` that is no comment, CDATA section or DOCTYPE (skipped up to
    /// the next `>`).
    Markup,
}

impl CutWhat {
    const ALL: [CutWhat; 11] = [
        CutWhat::Text,
        CutWhat::AttributeValue,
        CutWhat::Attributes,
        CutWhat::Tag,
        CutWhat::Name,
        CutWhat::Comment,
        CutWhat::Cdata,
        CutWhat::ProcessingInstruction,
        CutWhat::Doctype,
        CutWhat::Depth,
        CutWhat::Markup,
    ];

    fn limit(self) -> usize {
        match self {
            CutWhat::Text => MAX_TEXT,
            CutWhat::AttributeValue => MAX_ATTRIBUTE_VALUE,
            CutWhat::Attributes => MAX_ATTRIBUTES,
            CutWhat::Tag => MAX_TAG,
            CutWhat::Name => MAX_NAME,
            CutWhat::Comment
            | CutWhat::Cdata
            | CutWhat::ProcessingInstruction
            | CutWhat::Doctype => MAX_MARKUP,
            CutWhat::Depth => MAX_DEPTH,
            CutWhat::Markup => 0,
        }
    }
}

/// Everything of one kind the reader cut in one input: how often, the limit, and where the first
/// one starts (line, 1-based, and byte offset, 0-based, in the input as UTF-8 text).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct XmlCut {
    /// What was cut.
    pub what: CutWhat,
    /// The limit (bytes; attributes for `attributes`; levels for `depth`).
    pub limit: u64,
    /// How many times.
    pub count: u64,
    /// Line of the first one.
    pub line: u64,
    /// Byte offset of the first one.
    pub offset: u64,
    /// `<Event>` records inside skipped elements (`depth` only): counted as read and skipped.
    pub records: u64,
}

impl XmlCut {
    /// The sentence (without the file name) in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        let (n, limit, line, at) = (self.count, self.limit, self.line, self.offset);
        match lang {
            Lang::En => {
                let what = match self.what {
                    CutWhat::Text => {
                        format!("{n} text run(s) longer than {limit} bytes were cut to that length")
                    }
                    CutWhat::AttributeValue => {
                        format!("{n} attribute value(s) longer than {limit} bytes were cut")
                    }
                    CutWhat::Attributes => format!(
                        "{n} element(s) have more than {limit} attributes; the attributes after the first {limit} were ignored"
                    ),
                    CutWhat::Tag => format!(
                        "{n} tag(s) longer than {limit} bytes; the rest of each tag was ignored"
                    ),
                    CutWhat::Name => {
                        format!("{n} element name(s) longer than {limit} bytes were cut")
                    }
                    CutWhat::Comment => {
                        format!("{n} comment(s) longer than {limit} bytes were cut")
                    }
                    CutWhat::Cdata => {
                        format!("{n} CDATA section(s) longer than {limit} bytes were cut")
                    }
                    CutWhat::ProcessingInstruction => {
                        format!("{n} processing instruction(s) longer than {limit} bytes were cut")
                    }
                    CutWhat::Doctype => {
                        format!("{n} DOCTYPE declaration(s) longer than {limit} bytes were cut")
                    }
                    CutWhat::Depth if self.records > 0 => format!(
                        "{n} element(s) nested deeper than {limit} levels were skipped with everything inside them, including {} <Event> record(s) (counted as skipped)",
                        self.records
                    ),
                    CutWhat::Depth => format!(
                        "{n} element(s) nested deeper than {limit} levels were skipped with everything inside them"
                    ),
                    CutWhat::Markup => format!(
                        "{n} unknown markup part(s) starting with <! (not a comment, CDATA or DOCTYPE) were skipped up to their >"
                    ),
                };
                format!("XML: {what} (the first at line {line}, byte {at})")
            }
            Lang::ZhTw => {
                let what = match self.what {
                    CutWhat::Text => {
                        format!("有 {n} 段文字超過 {limit} 位元組，已截短為此長度")
                    }
                    CutWhat::AttributeValue => {
                        format!("有 {n} 個屬性值超過 {limit} 位元組，已截短")
                    }
                    CutWhat::Attributes => {
                        format!("有 {n} 個元素的屬性多於 {limit} 個，前 {limit} 個之後的屬性已忽略")
                    }
                    CutWhat::Tag => {
                        format!("有 {n} 個標籤超過 {limit} 位元組，各標籤其餘部分已忽略")
                    }
                    CutWhat::Name => {
                        format!("有 {n} 個元素名稱超過 {limit} 位元組，已截短")
                    }
                    CutWhat::Comment => format!("有 {n} 個註解超過 {limit} 位元組，已截短"),
                    CutWhat::Cdata => {
                        format!("有 {n} 個 CDATA 區段超過 {limit} 位元組，已截短")
                    }
                    CutWhat::ProcessingInstruction => {
                        format!("有 {n} 個處理指示超過 {limit} 位元組，已截短")
                    }
                    CutWhat::Doctype => {
                        format!("有 {n} 個 DOCTYPE 宣告超過 {limit} 位元組，已截短")
                    }
                    CutWhat::Depth if self.records > 0 => format!(
                        "有 {n} 個元素的巢狀層數超過 {limit} 層，已連同其內容一併略過，其中包含 {} 筆 <Event> 記錄（計為略過）",
                        self.records
                    ),
                    CutWhat::Depth => {
                        format!("有 {n} 個元素的巢狀層數超過 {limit} 層，已連同其內容一併略過")
                    }
                    CutWhat::Markup => format!(
                        "有 {n} 處以 <! 開頭、但不是註解、CDATA 或 DOCTYPE 的未知標記，已略過至其 >"
                    ),
                };
                format!("XML：{what}（第一處在第 {line} 行，第 {at} 位元組）")
            }
        }
    }
}

/// Where the lexer is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum St {
    /// Between tags.
    Text,
    /// After `<` (not yet passed on: what follows decides).
    Lt,
    /// After `<!`, until the prefix (`--`, `[CDATA[`, `DOCTYPE`) is known.
    Bang,
    /// `<!` followed by anything else, skipped up to the next `>`.
    Unknown,
    /// Inside `<!-…`.
    Comment,
    /// Inside `<![…`.
    Cdata,
    /// Inside `<!…` (DOCTYPE or other declarations).
    Doctype,
    /// Inside `<?…`.
    Pi,
    /// Inside `</…`.
    End,
    /// Inside a start tag.
    Start,
}

/// How often each [`CutWhat`] happened, and where first.
#[derive(Debug, Clone, Copy, Default)]
struct Tally {
    count: u64,
    line: u64,
    offset: u64,
}

/// A streaming lexer between the input and the parser: it passes well-formed XML through
/// unchanged and makes hostile XML harmless in one pass, in constant memory. It tracks only what
/// it needs to find token boundaries (the same ones quick-xml finds: quotes in tags, `-->`,
/// `]]>`, `?>`, the `<`/`>` balance of a DOCTYPE) and, over a limit, drops the rest of a token
/// while keeping its end, so the parser still sees well-formed markup and every record after it.
#[derive(Debug)]
struct Lexer {
    st: St,
    /// Open elements (as the lexer counts them, unbounded).
    depth: u64,
    /// Whether the current token is passed on (not inside a skipped element).
    emit: bool,
    /// Bytes of the current token passed on.
    len: usize,
    /// Whether the rest of the current token (or of the current attribute value) is dropped.
    cutting: bool,
    /// The last two bytes of the current token.
    tail: [u8; 2],
    /// Bytes of a comment after `<!`.
    seen: usize,
    /// The bytes after `<!` while its kind is not yet known.
    bang: [u8; 7],
    bang_len: usize,
    /// DOCTYPE: `<` minus `>` so far, and in what was passed on.
    balance: u64,
    passed_balance: u64,
    // Start tags.
    quote: u8,
    in_name: bool,
    space: bool,
    attributes: usize,
    value_len: usize,
    value_cut: bool,
    name_len: usize,
    name_cut: bool,
    last_sig: u8,
    local: [u8; 8],
    local_len: usize,
    /// Rest of the tag dropped (too many attributes or too long).
    dropping: bool,
    // Where.
    offset: u64,
    line: u64,
    token_offset: u64,
    token_line: u64,
    // What was done.
    tallies: [Tally; CutWhat::ALL.len()],
    records_skipped: u64,
    deepest: u64,
}

fn is_continuation(b: u8) -> bool {
    b & 0xC0 == 0x80
}

impl Lexer {
    fn new() -> Self {
        Self {
            st: St::Text,
            depth: 0,
            emit: true,
            len: 0,
            cutting: false,
            tail: [0; 2],
            seen: 0,
            bang: [0; 7],
            bang_len: 0,
            balance: 0,
            passed_balance: 0,
            quote: 0,
            in_name: false,
            space: false,
            attributes: 0,
            value_len: 0,
            value_cut: false,
            name_len: 0,
            name_cut: false,
            last_sig: 0,
            local: [0; 8],
            local_len: 0,
            dropping: false,
            offset: 0,
            line: 1,
            token_offset: 0,
            token_line: 1,
            tallies: [Tally::default(); CutWhat::ALL.len()],
            records_skipped: 0,
            deepest: 0,
        }
    }

    fn cut(&mut self, what: CutWhat) {
        let Some(i) = CutWhat::ALL.iter().position(|w| *w == what) else {
            return;
        };
        let t = &mut self.tallies[i];
        if t.count == 0 {
            t.line = self.token_line;
            t.offset = self.token_offset;
        }
        t.count += 1;
    }

    fn cuts(&self) -> Vec<XmlCut> {
        CutWhat::ALL
            .iter()
            .zip(&self.tallies)
            .filter(|(_, t)| t.count > 0)
            .map(|(w, t)| XmlCut {
                what: *w,
                limit: w.limit() as u64,
                count: t.count,
                line: t.line,
                offset: t.offset,
                records: if *w == CutWhat::Depth {
                    self.records_skipped
                } else {
                    0
                },
            })
            .collect()
    }

    /// Starts a text run (after a tag, or at the start).
    fn text_starts(&mut self) {
        self.st = St::Text;
        self.emit = self.depth <= MAX_DEPTH as u64;
        self.len = 0;
        self.cutting = false;
        self.token_offset = self.offset;
        self.token_line = self.line;
    }

    /// Passes `b` on as part of the current token.
    fn put(&mut self, out: &mut Vec<u8>, b: u8) {
        out.push(b);
        self.len += 1;
    }

    /// Passes on the bytes of `run` (text of the current token) that fit in `limit`, up to the
    /// end of the character at the limit; notes a cut of `what` if some do not.
    fn put_run(&mut self, out: &mut Vec<u8>, run: &[u8], limit: usize, what: CutWhat) {
        if !self.emit || self.cutting {
            return;
        }
        let room = limit.saturating_sub(self.len);
        if run.len() <= room {
            out.extend_from_slice(run);
            self.len += run.len();
            return;
        }
        let mut k = room;
        // A character is never split.
        while k < run.len() && is_continuation(run[k]) {
            k += 1;
        }
        out.extend_from_slice(&run[..k]);
        self.len += k;
        if k < run.len() {
            self.cutting = true;
            self.cut(what);
        }
    }

    /// Runs `input` through the lexer, appending what the parser gets to `out`.
    fn feed(&mut self, input: &[u8], out: &mut Vec<u8>) {
        let mut i = 0;
        while i < input.len() {
            if self.st == St::Text {
                let rest = &input[i..];
                let n = memchr::memchr(b'<', rest).unwrap_or(rest.len());
                let run = &rest[..n];
                self.put_run(out, run, MAX_TEXT, CutWhat::Text);
                self.line += memchr::memchr_iter(b'\n', run).count() as u64;
                self.offset += n as u64;
                i += n;
                if i < input.len() {
                    self.st = St::Lt;
                    self.token_offset = self.offset;
                    self.token_line = self.line;
                    self.offset += 1;
                    i += 1;
                }
                continue;
            }
            let b = input[i];
            self.step(b, out);
            if b == b'\n' {
                self.line += 1;
            }
            self.offset += 1;
            i += 1;
        }
    }

    /// The end of the input: a lone `<` or `<!…` is passed on (the parser reports it).
    fn finish(&mut self, out: &mut Vec<u8>) {
        if self.st == St::Lt && self.depth <= MAX_DEPTH as u64 {
            out.push(b'<');
        }
        if self.st == St::Bang && self.emit {
            out.extend_from_slice(b"<!");
            out.extend_from_slice(&self.bang[..self.bang_len]);
        }
        self.st = St::Text;
    }

    fn step(&mut self, b: u8, out: &mut Vec<u8>) {
        match self.st {
            St::Text => {}
            St::Lt => self.after_lt(b, out),
            St::Bang => self.bang_byte(b, out),
            St::Unknown => {
                if b == b'>' {
                    self.text_starts();
                }
            }
            St::Comment | St::Cdata | St::Pi | St::Doctype => self.markup_byte(b, out),
            St::End => {
                if b == b'>' {
                    if self.emit {
                        out.push(b'>');
                    }
                    self.depth = self.depth.saturating_sub(1);
                    self.text_starts();
                } else if self.emit && !self.cutting {
                    if self.len < MAX_NAME + 2 || is_continuation(b) {
                        self.put(out, b);
                    } else {
                        self.cutting = true;
                        self.cut(CutWhat::Name);
                    }
                }
            }
            St::Start => self.tag_byte(b, out),
        }
    }

    /// The byte after `<` decides what the token is, and whether it is passed on.
    fn after_lt(&mut self, b: u8, out: &mut Vec<u8>) {
        self.len = 0;
        self.cutting = false;
        let inside = self.depth <= MAX_DEPTH as u64;
        match b {
            b'/' | b'!' | b'?' => {
                self.emit = inside;
                self.st = match b {
                    b'/' => St::End,
                    b'!' => St::Bang,
                    _ => St::Pi,
                };
                self.tail = [0, b];
                self.bang_len = 0;
                // `<!` waits for its prefix.
                if self.emit && b != b'!' {
                    self.put(out, b'<');
                    self.put(out, b);
                }
            }
            _ => {
                // A start tag: passed on only while the element fits in MAX_DEPTH levels.
                self.emit = self.depth < MAX_DEPTH as u64;
                if !self.emit && self.depth == MAX_DEPTH as u64 {
                    self.cut(CutWhat::Depth);
                }
                self.st = St::Start;
                self.quote = 0;
                self.in_name = true;
                self.space = false;
                self.attributes = 0;
                self.name_len = 0;
                self.name_cut = false;
                self.last_sig = 0;
                self.local_len = 0;
                self.dropping = false;
                if self.emit {
                    self.put(out, b'<');
                }
                self.tag_byte(b, out);
            }
        }
    }

    /// A byte of a comment, CDATA section, processing instruction or DOCTYPE.
    fn markup_byte(&mut self, b: u8, out: &mut Vec<u8>) {
        let ends = b == b'>'
            && match self.st {
                // `<!---->` at the shortest, as quick-xml reads it.
                St::Comment => self.seen >= 4 && self.tail == *b"--",
                St::Cdata => self.tail == *b"]]",
                St::Pi => self.tail[1] == b'?',
                _ => self.balance == 0,
            };
        if ends {
            if self.emit {
                if self.cutting {
                    match self.st {
                        St::Comment => out.extend_from_slice(b"--"),
                        St::Cdata => out.extend_from_slice(b"]]"),
                        St::Pi => out.push(b'?'),
                        _ => out.extend(std::iter::repeat_n(b'>', self.passed_balance as usize)),
                    }
                }
                out.push(b'>');
            }
            self.text_starts();
            return;
        }
        self.seen += 1;
        self.tail = [self.tail[1], b];
        if self.st == St::Doctype {
            match b {
                b'<' => self.balance += 1,
                b'>' => self.balance -= 1,
                _ => {}
            }
        }
        if !self.emit || self.cutting {
            return;
        }
        if self.len < MAX_MARKUP || is_continuation(b) {
            self.put(out, b);
            if self.st == St::Doctype {
                match b {
                    b'<' => self.passed_balance += 1,
                    b'>' => self.passed_balance = self.passed_balance.saturating_sub(1),
                    _ => {}
                }
            }
        } else {
            self.cutting = true;
            self.cut(match self.st {
                St::Comment => CutWhat::Comment,
                St::Cdata => CutWhat::Cdata,
                St::Pi => CutWhat::ProcessingInstruction,
                _ => CutWhat::Doctype,
            });
        }
    }

    /// A byte after `<!`: the token is passed on once its prefix is one quick-xml knows
    /// (`<!--`, `<![CDATA[`, `<!DOCTYPE`, any case for the last); anything else would stop the
    /// parser, so it is skipped up to the next `>`.
    fn bang_byte(&mut self, b: u8, out: &mut Vec<u8>) {
        let want: &[u8] = match self.bang.first().copied().filter(|_| self.bang_len > 0) {
            None => match b {
                b'-' => b"--",
                b'[' => b"[CDATA[",
                b'D' | b'd' => b"DOCTYPE",
                _ => b"",
            },
            Some(b'-') => b"--",
            Some(b'[') => b"[CDATA[",
            Some(_) => b"DOCTYPE",
        };
        let matches = want
            .get(self.bang_len)
            .is_some_and(|w| w.eq_ignore_ascii_case(&b));
        if !matches {
            if self.emit {
                self.cut(CutWhat::Markup);
            }
            self.st = St::Unknown;
            if b == b'>' {
                self.text_starts();
            }
            return;
        }
        self.bang[self.bang_len] = b;
        self.bang_len += 1;
        if self.bang_len < want.len() {
            return;
        }
        if self.emit {
            self.put(out, b'<');
            self.put(out, b'!');
            for i in 0..self.bang_len {
                self.put(out, self.bang[i]);
            }
        }
        self.seen = 1 + self.bang_len;
        self.tail = [self.bang[self.bang_len - 2], b];
        self.balance = 0;
        self.passed_balance = 0;
        self.st = match want[0] {
            b'-' => St::Comment,
            b'[' => St::Cdata,
            _ => St::Doctype,
        };
    }

    /// The element name ended: a skipped `<Event>` is counted.
    fn name_ends(&mut self) {
        self.in_name = false;
        if !self.emit && self.local_len == 5 && self.local[..5] == *b"Event" {
            self.records_skipped += 1;
        }
    }

    /// A byte of a start tag.
    fn tag_byte(&mut self, b: u8, out: &mut Vec<u8>) {
        let pass = self.emit && !self.dropping;
        if self.quote != 0 {
            if b == self.quote {
                self.quote = 0;
                self.last_sig = b;
                if pass {
                    self.put(out, b);
                }
            } else {
                self.value_len += 1;
                if pass && !self.value_cut {
                    if self.value_len <= MAX_ATTRIBUTE_VALUE || is_continuation(b) {
                        self.put(out, b);
                    } else {
                        self.value_cut = true;
                        self.cut(CutWhat::AttributeValue);
                    }
                }
            }
            return;
        }
        match b {
            b'>' => {
                if self.in_name {
                    self.name_ends();
                }
                let closed = self.last_sig == b'/';
                if self.emit {
                    if self.dropping && closed {
                        out.push(b'/');
                    }
                    out.push(b'>');
                }
                if !closed {
                    self.depth += 1;
                    if self.emit {
                        self.deepest = self.deepest.max(self.depth);
                    }
                }
                self.text_starts();
                return;
            }
            b'"' | b'\'' => {
                if self.in_name {
                    self.name_ends();
                }
                self.quote = b;
                self.value_len = 0;
                self.value_cut = false;
                self.last_sig = b;
                if pass {
                    self.put(out, b);
                }
            }
            b' ' | b'\t' | b'\r' | b'\n' => {
                if self.in_name {
                    self.name_ends();
                }
                self.space = true;
                if pass {
                    self.put(out, b);
                }
            }
            _ => {
                if self.in_name {
                    self.name_len += 1;
                    if b == b':' {
                        self.local_len = 0;
                    } else {
                        if self.local_len < self.local.len() {
                            self.local[self.local_len] = b;
                        }
                        self.local_len = self.local_len.saturating_add(1);
                    }
                    if pass && !self.name_cut {
                        if self.name_len <= MAX_NAME || is_continuation(b) {
                            self.put(out, b);
                        } else {
                            self.name_cut = true;
                            self.cut(CutWhat::Name);
                        }
                    }
                } else {
                    if self.space && b != b'/' && b != b'=' {
                        self.attributes += 1;
                        if self.attributes > MAX_ATTRIBUTES && pass {
                            self.dropping = true;
                            self.cut(CutWhat::Attributes);
                        }
                    }
                    if self.emit && !self.dropping {
                        self.put(out, b);
                    }
                }
                self.space = false;
                self.last_sig = b;
            }
        }
        if self.emit && !self.dropping && self.quote == 0 && self.len > MAX_TAG {
            self.dropping = true;
            self.cut(CutWhat::Tag);
        }
    }
}

/// The input, through the [`Lexer`]: what quick-xml reads.
struct Limited<R> {
    inner: R,
    lexer: Lexer,
    out: Vec<u8>,
    pos: usize,
    eof: bool,
}

impl<R: BufRead> Limited<R> {
    fn new(inner: R) -> Self {
        let mut lexer = Lexer::new();
        lexer.text_starts();
        Self {
            inner,
            lexer,
            out: Vec::new(),
            pos: 0,
            eof: false,
        }
    }
}

impl<R: BufRead> io::Read for Limited<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let avail = self.fill_buf()?;
        let n = avail.len().min(buf.len());
        buf[..n].copy_from_slice(&avail[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Limited<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        // Whole input blocks are lexed until some output comes (a skipped region gives none);
        // the output of one block is at most the block plus a few closing bytes.
        while self.pos >= self.out.len() && !self.eof {
            self.out.clear();
            self.pos = 0;
            let block = self.inner.fill_buf()?;
            if block.is_empty() {
                self.eof = true;
                self.lexer.finish(&mut self.out);
                break;
            }
            let n = block.len();
            self.lexer.feed(block, &mut self.out);
            self.inner.consume(n);
        }
        Ok(&self.out[self.pos..])
    }

    fn consume(&mut self, amt: usize) {
        self.pos = (self.pos + amt).min(self.out.len());
    }
}
#[cfg(test)]
mod tests {
    use super::*;
    use volact_core::event::EventData;

    const WEVTUTIL: &str = r#"<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System><Provider Name='Microsoft-Windows-Security-SPP' Guid='{E23B33B0-C8C9-472C-A5F9-F2BDFEA0F156}' EventSourceName='Software Protection Platform Service'/><EventID Qualifiers='16384'>12288</EventID><Version>0</Version><Level>4</Level><Task>0</Task><Opcode>0</Opcode><Keywords>0x80000000000000</Keywords><TimeCreated SystemTime='2026-11-24T06:14:58.1234567Z'/><EventRecordID>4711</EventRecordID><Correlation/><Execution ProcessID='0' ThreadID='0'/><Channel>Application</Channel><Computer>pc1.contoso.com</Computer><Security/></System><EventData><Data>0xC004F074, 0x0, kms01.contoso.com:1688, 5cd1d6d4-3d4b-4a65-9d1b-6f8e2f0c1a11, 2026/11/24 6:14, 0, 2, 43200, 2ffd8952-423e-4903-b993-72a1aa44cf82, 25</Data></EventData></Event>
<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System><Provider Name='Service Control Manager'/><EventID>7036</EventID><Channel>System</Channel></System><EventData><Data Name='param1'>sppsvc</Data></EventData></Event>"#;

    fn all(xml: &str) -> (Vec<RawEvent>, Option<XmlError>) {
        let mut r = XmlEventReader::new(xml.as_bytes());
        let mut out = Vec::new();
        loop {
            match r.next_event() {
                Ok(Some(e)) => out.push(e),
                Ok(None) => return (out, None),
                Err(e) => return (out, Some(e)),
            }
        }
    }

    #[test]
    fn wevtutil_stream_without_root() {
        let (evs, err) = all(WEVTUTIL);
        assert!(err.is_none());
        assert_eq!(evs.len(), 2);
        let e = evs[0].clone().into_event().unwrap();
        assert_eq!(e.id, 12288);
        assert_eq!(e.record_id, Some(4711));
        assert_eq!(e.time.unwrap().to_string(), "2026-11-24T06:14:58Z");
        assert_eq!(e.computer.as_deref(), Some("pc1.contoso.com"));
        assert!(matches!(e.data, EventData::ClientRequest(_)));
        assert_eq!(evs[1].clone().into_event(), Err(Unused::NotActivation));
    }

    #[test]
    fn saved_with_root_and_entities() {
        let xml = r#"<?xml version="1.0" encoding="utf-8"?>
<Events>
<Event xmlns="http://schemas.microsoft.com/win/2004/08/events/event">
  <System>
    <Provider Name="Microsoft-Windows-Security-Licensing-SLC" />
    <EventID>12290</EventID>
    <TimeCreated SystemTime="2026-11-24T06:14:58.000Z" />
    <Channel>Key Management Service</Channel>
    <Computer>kms01</Computer>
  </System>
  <EventData>
    <Data>1</Data><Data>0x0</Data><Data>25</Data><Data>pc&amp;1</Data>
    <Data>{5CD1D6D4-3D4B-4A65-9D1B-6F8E2F0C1A11}</Data><Data>2026/11/24 6:14</Data>
    <Data>0</Data><Data>1</Data><Data>259200</Data><Data>2ffd8952-423e-4903-b993-72a1aa44cf82</Data>
  </EventData>
  <RenderingInfo Culture="en-US"><Message>An activation request has been processed.</Message></RenderingInfo>
</Event>
</Events>"#;
        let (evs, err) = all(xml);
        assert!(err.is_none(), "{err:?}");
        assert_eq!(evs.len(), 1);
        assert_eq!(evs[0].items.len(), 10);
        let e = evs[0].clone().into_event().unwrap();
        let EventData::HostRequest(h) = e.data else {
            panic!()
        };
        assert_eq!(h.client.as_deref(), Some("pc&1"));
        assert_eq!(e.channel.as_deref(), Some("Key Management Service"));
    }

    #[test]
    fn malformed_keeps_what_was_read() {
        let xml = format!(
            "{WEVTUTIL}<Event><System><EventID>12288</EventID></System><EventData><Data>0x0,</Daa"
        );
        let (evs, err) = all(&xml);
        assert_eq!(evs.len(), 2);
        assert!(err.is_some());
    }

    #[test]
    fn too_many_items_are_cut() {
        let mut xml = String::from(
            "<Event><System><Provider Name='Security-SPP'/><EventID>1003</EventID></System><EventData>",
        );
        for i in 0..200 {
            xml.push_str(&format!("<Data>0xC004F0{:02X}</Data>", i % 256));
        }
        xml.push_str("</EventData></Event>");
        let (evs, _) = all(&xml);
        assert_eq!(evs[0].items.len(), MAX_ITEMS);
        assert!(evs[0].items_cut);
    }

    /// The lexer's output for `input` fed in blocks of `block` bytes.
    fn lexed(input: &[u8], block: usize) -> (Vec<u8>, Vec<XmlCut>) {
        let mut lx = Lexer::new();
        let mut out = Vec::new();
        for b in input.chunks(block.max(1)) {
            lx.feed(b, &mut out);
        }
        lx.finish(&mut out);
        (out, lx.cuts())
    }

    #[test]
    fn well_formed_xml_passes_unchanged() {
        let tricky = "<?xml version='1.0'?><!DOCTYPE a [<!ENTITY e 'x'>]><a b=\"1>2\" c='\"'>t&amp;u<!-- c -> --><![CDATA[x]>y]]><?p ?>\u{e9}\u{4e2d}<b/><c ></c ></a><!----><!--->-->";
        for input in [WEVTUTIL, tricky] {
            for block in [1, 2, 3, 7, 64, 4096] {
                let (out, cuts) = lexed(input.as_bytes(), block);
                assert_eq!(String::from_utf8(out).unwrap(), input, "block {block}");
                assert!(cuts.is_empty());
            }
        }
    }

    #[test]
    fn cut_tokens_stay_well_formed() {
        let big = "x>".repeat(MAX_TEXT);
        let inputs = [
            format!("<a>{big}</a><b/>"),
            format!("<a><!--{big}--><b/></a>"),
            format!("<a><![CDATA[{big}]]><b/></a>"),
            format!("<a><?p {big}?><b/></a>"),
            format!("<a v='{big}' w='1'><b/></a>"),
            format!("<a {}/><b/>", "k='v' ".repeat(MAX_ATTRIBUTES + 5)),
        ];
        for input in &inputs {
            let (out, cuts) = lexed(input.as_bytes(), 8192);
            assert_eq!(cuts.len(), 1, "{cuts:?}");
            assert!(out.len() < MAX_TAG + MAX_ATTRIBUTE_VALUE + 64);
            // The parser reads it to the end, and sees <b/>.
            let mut r = Reader::from_reader(out.as_slice());
            let mut buf = Vec::new();
            let mut seen_b = false;
            loop {
                match r.read_event_into(&mut buf) {
                    Ok(XmlEvent::Eof) => break,
                    Ok(XmlEvent::Empty(e)) if e.name().as_ref() == b"b" => seen_b = true,
                    Ok(_) => {}
                    Err(e) => panic!("{e} in {:?}", String::from_utf8_lossy(&out[..200])),
                }
                buf.clear();
            }
            assert!(seen_b);
        }
        // A character is never split; the text keeps exactly MAX_TEXT bytes or the end of the
        // character at the limit.
        let text = format!("<a>x{}</a>", "\u{4e2d}".repeat(MAX_TEXT));
        let (out, _) = lexed(text.as_bytes(), 1000);
        let s = String::from_utf8(out).unwrap();
        assert!(s.ends_with("\u{4e2d}</a>") && s.len() < MAX_TEXT + 16);
    }

    proptest::proptest! {
        /// Any short input (below every limit, fewer than MAX_DEPTH levels) is passed through
        /// unchanged, however it is split into blocks (unless it has `<!` markup quick-xml does
        /// not know).
        #[test]
        fn short_input_is_untouched(
            input in proptest::collection::vec(
                proptest::sample::select(b"<>/!?-[]'\"= aE:x&;\n\xc3\xa9".to_vec()), 0..120),
            block in 1usize..40,
        ) {
            let (out, cuts) = lexed(&input, block);
            // Only `<!` markup quick-xml does not know is taken out (it would stop the parser).
            proptest::prop_assert!(cuts.iter().all(|c| c.what == CutWhat::Markup), "{:?}", cuts);
            if cuts.is_empty() {
                proptest::prop_assert_eq!(out, input);
            }
        }
    }
}
