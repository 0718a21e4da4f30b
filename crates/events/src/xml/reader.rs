//! The streaming `<Event>` reader over quick-xml, behind the bounding lexer.

use std::io::BufRead;

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event as XmlEvent};
use volact_core::event::Timestamp;

use super::lexer::Limited;
use super::limits::*;
use crate::record::RawEvent;

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
    orphans: u64,
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
            orphans: 0,
        }
    }

    /// What was cut or skipped so far, one entry per kind.
    pub fn cuts(&self) -> Vec<XmlCut> {
        self.reader.get_ref().lexer.cuts()
    }

    /// `<EventData>` elements met outside any `<Event>` so far: records cut down to their data
    /// (as some converters' output is shown), without the System part that holds the event ID.
    pub fn data_without_event(&self) -> u64 {
        self.orphans
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
        let mut ev: Option<Partial> = None;
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
            if let XmlEvent::Eof = e {
                self.done = true;
                return Ok(None);
            }
            let Some(p) = ev.as_mut() else {
                match e {
                    XmlEvent::Start(s) if local(&s) == b"Event" => ev = Some(Partial::default()),
                    XmlEvent::Empty(s) if local(&s) == b"Event" => {
                        return Ok(Some(RawEvent::default()));
                    }
                    XmlEvent::Start(s) | XmlEvent::Empty(s) if local(&s) == b"EventData" => {
                        self.orphans += 1;
                    }
                    _ => {}
                }
                continue;
            };
            if p.xml_event(e) {
                return Ok(ev.map(|p| p.r));
            }
        }
    }
}

/// An `<Event>` being read: its fields so far, and where the reader is inside it.
struct Partial {
    r: RawEvent,
    depth_in_event: usize,
    field: Field,
    text: String,
    in_system: bool,
    /// Inside EventData or UserData.
    in_data: bool,
}

impl Default for Partial {
    fn default() -> Self {
        Self {
            r: RawEvent::default(),
            depth_in_event: 1,
            field: Field::None,
            text: String::new(),
            in_system: false,
            in_data: false,
        }
    }
}

impl Partial {
    /// One XML event inside the `<Event>`; `true` when the event ends with it.
    fn xml_event(&mut self, e: XmlEvent<'_>) -> bool {
        match e {
            XmlEvent::Start(s) => self.start(&s),
            XmlEvent::Empty(s) => {
                let name = local(&s).to_vec();
                attributes(&s, &mut self.r, &name);
                if self.in_data && name != b"EventData" && name != b"UserData" {
                    push_item(&mut self.r, "");
                }
            }
            XmlEvent::Text(t) if self.field != Field::None => {
                let s = t.xml_content().unwrap_or_default();
                if self.text.len() < MAX_ITEM_TEXT {
                    self.text.push_str(&s);
                }
            }
            XmlEvent::CData(t) if self.field != Field::None && self.text.len() < MAX_ITEM_TEXT => {
                self.text.push_str(&String::from_utf8_lossy(&t));
            }
            XmlEvent::GeneralRef(r) if self.field != Field::None => {
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
                    && self.text.len() < MAX_ITEM_TEXT
                {
                    self.text.push(c);
                }
            }
            XmlEvent::End(e) => return self.end(e.local_name().as_ref()),
            _ => {}
        }
        false
    }

    /// An element starts: its attributes, and which field its text feeds.
    fn start(&mut self, s: &BytesStart<'_>) {
        self.depth_in_event += 1;
        let name = local(s).to_vec();
        attributes(s, &mut self.r, &name);
        self.field = Field::None;
        self.text.clear();
        match name.as_slice() {
            b"System" => self.in_system = true,
            b"EventData" | b"UserData" => self.in_data = true,
            b"EventID" if self.in_system => self.field = Field::Id,
            b"EventRecordID" if self.in_system => self.field = Field::RecordId,
            b"Channel" if self.in_system => self.field = Field::Channel,
            b"Computer" if self.in_system => self.field = Field::Computer,
            // A classic event's raw binary data (EvtxECmd writes an empty one after the joined
            // `<Data>`): not an insertion string, so never a field.
            b"Binary" if self.in_data => {}
            _ if self.in_data => self.field = Field::Data,
            _ => {}
        }
    }

    /// An element ends: its text goes to its field; `true` when it ends the event.
    fn end(&mut self, name: &[u8]) -> bool {
        self.depth_in_event = self.depth_in_event.saturating_sub(1);
        if self.field != Field::None {
            let (r, v) = (&mut self.r, self.text.trim());
            match self.field {
                Field::Id => r.id = v.parse().ok(),
                Field::RecordId => r.record_id = v.parse().ok(),
                Field::Channel => r.channel = some(v),
                Field::Computer => r.computer = some(v),
                Field::Data => push_item(r, v),
                Field::None => {}
            }
            self.field = Field::None;
            self.text.clear();
        }
        match name {
            b"System" => self.in_system = false,
            b"EventData" | b"UserData" => self.in_data = false,
            _ => {}
        }
        self.depth_in_event == 0 || name == b"Event"
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

/// Malformed XML: where and what.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("XML error at byte {position}: {message}")]
pub struct XmlError {
    /// Byte offset in the decoded input.
    pub position: u64,
    /// What the parser said.
    pub message: String,
}
