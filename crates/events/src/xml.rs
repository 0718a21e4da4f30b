//! Event XML, streamed: `wevtutil qe … /f:xml` (a sequence of `<Event>` elements without a root),
//! Event Viewer "Save as XML" (`<Events>` root), and single records rendered from .evtx.
//!
//! Memory is bounded: at most [`MAX_ITEMS`] data items of [`volact_core::event::MAX_FIELD`] bytes
//! are kept per event, and a text run or tag longer than [`MAX_TOKEN`] bytes stops the reader
//! with an error (what was read before is kept).

use std::io::{self, BufRead};

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event as XmlEvent};
use volact_core::event::{Event, Timestamp, is_activation_provider, parse_data};

/// Data items kept per event.
pub const MAX_ITEMS: usize = 64;
/// Text kept per data item (1003 status lists are long); single fields are cut further when typed.
pub const MAX_ITEM_TEXT: usize = 64 * 1024;
/// Longest text run or tag accepted, in bytes.
pub const MAX_TOKEN: usize = 16 * 1024 * 1024;

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
    reader: Reader<Guard<R>>,
    buf: Vec<u8>,
    done: bool,
}

impl<R: BufRead> XmlEventReader<R> {
    /// A reader over UTF-8 XML (wrap other encodings in [`crate::decode::Utf8Reader`]).
    pub fn new(inner: R) -> Self {
        let mut reader = Reader::from_reader(Guard {
            inner,
            since_tag: 0,
        });
        let cfg = reader.config_mut();
        cfg.check_end_names = false;
        cfg.trim_text(false);
        Self {
            reader,
            buf: Vec::new(),
            done: false,
        }
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
                    if let Some(c) = c {
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
            for a in s.attributes().flatten() {
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
            for a in s.attributes().flatten() {
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

/// Stops a text run or tag from growing past [`MAX_TOKEN`] bytes.
struct Guard<R> {
    inner: R,
    since_tag: usize,
}

impl<R: BufRead> io::Read for Guard<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let avail = self.fill_buf()?;
        let n = avail.len().min(buf.len());
        buf[..n].copy_from_slice(&avail[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Guard<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.since_tag > MAX_TOKEN {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!("more than {MAX_TOKEN} bytes without a tag boundary"),
            ));
        }
        self.inner.fill_buf()
    }

    fn consume(&mut self, amt: usize) {
        if let Ok(b) = self.inner.fill_buf() {
            let seen = &b[..amt.min(b.len())];
            match seen.iter().rposition(|&c| c == b'<' || c == b'>') {
                Some(i) => self.since_tag = seen.len() - i - 1,
                None => self.since_tag += seen.len(),
            }
        }
        self.inner.consume(amt);
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
}
