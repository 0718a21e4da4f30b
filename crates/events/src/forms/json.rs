//! Event JSON as the converters write it, streamed one record at a time in bounded memory:
//!
//! * `evtx_dump -o json` ("Record N" then an object, pretty or not) and `-o jsonl`:
//!   `Event.System.*`, `EventID` as a number or `{"#text": N}`, `Provider.#attributes.Name`,
//!   `Event.EventData.Data` as a string, an array, or `{"#text": string | [...]}`;
//! * EvtxECmd `--json` (JSON Lines): `EventId`, `Provider`, `Channel`, `Computer`,
//!   `TimeCreated`, `EventRecordId`, and `Payload`, a string holding the `EventData` as JSON
//!   (classic events: all insertion strings joined with ", " in one `Data`);
//! * Wazuh alerts: `data.win.system.{eventID, providerName, systemTime, …}` and
//!   `data.win.eventdata.data` (insertion strings joined with ", ");
//! * hayabusa and similar: `system.{event_id, provider, time_created, …}`, `event_data.Data`;
//! * PowerShell `Get-WinEvent | ConvertTo-Json`: `Id`, `ProviderName`, `LogName`,
//!   `MachineName`, `RecordId`, `TimeCreated` as `/Date(ms)/`, and `Properties[].Value`.
//!
//! Keys are matched without regard to case, `_`, `-`, `@` or `#`. The input may be one object,
//! objects one after another (JSON Lines, or pretty-printed), or a top-level array: the
//! splitter hands over one top-level object (or array element) at a time, up to
//! [`MAX_RECORD`] bytes and [`MAX_NESTING`] levels; a record over a limit, cut off, or not
//! valid JSON is counted as read and skipped, with one warning saying where the first was.

use std::io::{self, BufRead, BufReader, Read};

use serde_json::{Map, Value};
use volact_core::event::{MAX_FIELD, Timestamp};

use super::{Form, UnreadCounter, UnreadWhy};
use crate::analyze::Analyzer;
use crate::record::RawEvent;
use crate::xml::MAX_ITEMS;

/// Largest record (one top-level object or array element) read, in bytes.
pub const MAX_RECORD: usize = 4 * 1024 * 1024;
/// Deepest nesting read inside one record.
pub const MAX_NESTING: usize = 64;
/// Levels searched for the fields of an event.
const SEARCH_DEPTH: usize = 6;

/// One piece the splitter found.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Piece {
    /// A whole record (its bytes are in the splitter's buffer).
    Record,
    /// A record over a limit, read past.
    Over(UnreadWhy),
    /// The input ended inside a record.
    CutOff,
}

/// Splits a byte stream into top-level JSON objects (and the elements of a top-level array),
/// ignoring what lies between them ("Record 12" lines, commas, white space).
pub(crate) struct Splitter<R: BufRead> {
    r: R,
    /// Where the splitter is.
    pub(crate) st: Scan,
}

/// The state of a [`Splitter`]: the current record and where the scan is in it.
pub(crate) struct Scan {
    /// The current record.
    pub(crate) buf: Vec<u8>,
    /// Byte offset of the start of the current record.
    pub(crate) start: u64,
    pos: u64,
    depth: usize,
    in_string: bool,
    escaped: bool,
    /// Inside a top-level array (its elements are the records).
    top_array: bool,
    over: Option<UnreadWhy>,
}

impl<R: BufRead> Splitter<R> {
    pub(crate) fn new(r: R) -> Self {
        Self {
            r,
            st: Scan {
                buf: Vec::new(),
                start: 0,
                pos: 0,
                depth: 0,
                in_string: false,
                escaped: false,
                top_array: false,
                over: None,
            },
        }
    }

    /// The next piece; `None` at the end of the input.
    pub(crate) fn next_piece(&mut self) -> io::Result<Option<Piece>> {
        let Self { r, st } = self;
        st.buf.clear();
        loop {
            let chunk = match r.fill_buf() {
                Ok(c) => c,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if chunk.is_empty() {
                return Ok((st.depth > 0).then(|| {
                    st.depth = 0;
                    st.in_string = false;
                    Piece::CutOff
                }));
            }
            let mut used = 0;
            let mut done = None;
            for &b in chunk {
                used += 1;
                st.pos += 1;
                if let Some(p) = st.byte(b) {
                    done = Some(p);
                    break;
                }
            }
            r.consume(used);
            if done.is_some() {
                return Ok(done);
            }
        }
    }
}

impl Scan {
    /// One byte; a piece when it ends one.
    fn byte(&mut self, b: u8) -> Option<Piece> {
        if self.in_string {
            self.keep(b);
            if self.escaped {
                self.escaped = false;
            } else if b == b'\\' {
                self.escaped = true;
            } else if b == b'"' {
                self.in_string = false;
            }
            return None;
        }
        match b {
            b'"' => {
                self.in_string = true;
                self.keep(b);
            }
            b'{' | b'[' if self.depth == 0 && b == b'[' && !self.top_array => {
                self.top_array = true;
            }
            b'{' | b'[' => {
                if self.depth == 0 {
                    self.start = self.pos - 1;
                    self.over = None;
                }
                self.depth += 1;
                if self.depth > MAX_NESTING && self.over.is_none() {
                    self.over = Some(UnreadWhy::TooDeep { max: MAX_NESTING });
                }
                self.keep(b);
            }
            b'}' | b']' if self.depth > 0 => {
                self.keep(b);
                self.depth -= 1;
                if self.depth == 0 {
                    return Some(match self.over.take() {
                        Some(why) => Piece::Over(why),
                        None => Piece::Record,
                    });
                }
            }
            b']' => self.top_array = false,
            _ => self.keep(b),
        }
        None
    }

    fn keep(&mut self, b: u8) {
        if self.depth == 0 {
            // Between records: a string or a number of a top-level array, or other text.
            return;
        }
        if self.buf.len() < MAX_RECORD {
            self.buf.push(b);
        } else if self.over.is_none() {
            self.over = Some(UnreadWhy::TooLarge { max: MAX_RECORD });
        }
    }
}

/// Reads event JSON into `an`; the form recognised (from the first record that is an event).
pub fn read_json<R: Read>(name: &str, r: R, an: &mut Analyzer) -> io::Result<Form> {
    let mut sp = Splitter::new(BufReader::new(crate::decode::Utf8Reader::new(r)));
    let mut unread = UnreadCounter::default();
    let mut form = None;
    while let Some(piece) = sp.next_piece()? {
        match piece {
            Piece::Record => match serde_json::from_slice::<Value>(&sp.st.buf) {
                Ok(v) => {
                    let Some((raw, f)) = event_of(&v) else {
                        // An object that is not an event (a header, metadata): not a record.
                        continue;
                    };
                    form.get_or_insert(f);
                    an.read(1);
                    super::deliver(an, raw);
                }
                Err(e) => unread.add(an, sp.st.start, UnreadWhy::NotJson(e.to_string())),
            },
            Piece::Over(why) => unread.add(an, sp.st.start, why),
            Piece::CutOff => unread.add(an, sp.st.start, UnreadWhy::CutOff),
        }
    }
    unread.warn(name, an);
    Ok(form.unwrap_or(Form::Json))
}

/// A key without case, `_`, `-`, `@`, `#` or `.`.
fn norm(k: &str) -> String {
    k.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The value under the first key of `m` whose normal form is one of `keys`.
fn get<'a>(m: &'a Map<String, Value>, keys: &[&str]) -> Option<&'a Value> {
    m.iter()
        .find(|(k, _)| keys.contains(&norm(k).as_str()))
        .map(|(_, v)| v)
}

/// The text of a scalar, or of `#text` / `Value` / `#attributes.<attr>` inside an object.
fn scalar(v: &Value, attr: &[&str]) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Object(m) => {
            if let Some(a) = get(m, &["attributes"]).and_then(Value::as_object)
                && let Some(x) = get(a, attr)
            {
                return scalar(x, attr);
            }
            if let Some(x) = get(m, attr) {
                return scalar(x, attr);
            }
            get(m, &["text", "value"]).and_then(|x| scalar(x, attr))
        }
        _ => None,
    }
}

fn clip(s: &str) -> String {
    let mut end = s.len().min(MAX_FIELD);
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    s[..end].trim().to_owned()
}

/// The fields of an event found in one JSON record, breadth first (the shallowest wins).
#[derive(Default)]
struct Found<'a> {
    id: Option<&'a Value>,
    provider: Option<&'a Value>,
    source: Option<&'a Value>,
    time: Option<&'a Value>,
    /// A converter's own time stamp (Wazuh's alert time): used when the event's is absent.
    stamp: Option<&'a Value>,
    record: Option<&'a Value>,
    channel: Option<&'a Value>,
    computer: Option<&'a Value>,
    data: Option<&'a Value>,
    payload: Option<&'a Value>,
    /// `Id` of a PowerShell event record (top level only).
    ps_id: Option<&'a Value>,
    /// `Properties` of a PowerShell event record (`[{"Value": …}]`).
    properties: Option<&'a Value>,
    evtx_dump: bool,
    wazuh: bool,
    evtxecmd: bool,
}

impl<'a> Found<'a> {
    fn visit(&mut self, m: &'a Map<String, Value>, depth: usize) {
        let mut children = Vec::new();
        for (k, v) in m {
            let slot = match norm(k).as_str() {
                "eventid" => &mut self.id,
                "provider" | "providername" => &mut self.provider,
                "eventsourcename" | "sourcename" => &mut self.source,
                "systemtime" | "timecreated" => &mut self.time,
                "timestamp" => &mut self.stamp,
                "eventrecordid" | "recordid" => &mut self.record,
                "channel" | "logname" => &mut self.channel,
                "computer" | "computername" | "machinename" => &mut self.computer,
                "id" if depth == 0 => &mut self.ps_id,
                "properties" if depth == 0 && v.is_array() => &mut self.properties,
                "eventdata" => &mut self.data,
                "payload" => &mut self.payload,
                "event" if depth == 0 && v.is_object() => {
                    self.evtx_dump = true;
                    children.push(v);
                    continue;
                }
                "win" => {
                    self.wazuh = true;
                    children.push(v);
                    continue;
                }
                "payloaddata1" | "mapdescription" => {
                    self.evtxecmd = true;
                    continue;
                }
                _ => {
                    children.push(v);
                    continue;
                }
            };
            if slot.is_none() {
                *slot = Some(v);
            }
            // The system block itself holds fields: search inside too.
            if v.is_object() {
                children.push(v);
            }
        }
        if depth < SEARCH_DEPTH {
            for c in children {
                if let Some(cm) = c.as_object() {
                    self.visit(cm, depth + 1);
                }
            }
        }
    }
}

/// The event in one JSON record, and the form it is in; `None` when it has no event ID.
pub(crate) fn event_of(v: &Value) -> Option<(RawEvent, Form)> {
    let m = v.as_object()?;
    let mut f = Found::default();
    f.visit(m, 0);
    // PowerShell's `Id` counts only beside its `ProviderName` (other JSON has ids of its own).
    let ps_id = f.ps_id.filter(|_| f.provider.is_some() && f.id.is_none());
    let id =
        f.id.or(ps_id)
            .and_then(|v| scalar(v, &["text"]))
            .and_then(|s| s.trim().parse::<u32>().ok())?;
    let text = |v: Option<&Value>, attr: &[&str]| {
        v.and_then(|v| scalar(v, attr))
            .map(|s| clip(&s))
            .filter(|s| !s.is_empty())
    };
    let mut raw = RawEvent {
        id: Some(id),
        provider: text(f.provider, &["name"]).or_else(|| text(f.source, &["name"])),
        time: text(f.time.or(f.stamp), &["systemtime"]).and_then(|s| time_of(&s)),
        record_id: text(f.record, &["text"]).and_then(|s| s.parse().ok()),
        channel: text(f.channel, &["text"]),
        computer: text(f.computer, &["text"]),
        ..RawEvent::default()
    };
    let payload;
    let data = match (f.data.or(f.properties), f.payload) {
        (Some(d), _) => Some(d),
        (None, Some(Value::String(p))) => {
            // EvtxECmd: the EventData as a JSON string.
            payload = serde_json::from_str::<Value>(p).ok();
            payload
                .as_ref()
                .and_then(Value::as_object)
                .and_then(|pm| get(pm, &["eventdata"]).or(Some(payload.as_ref()?)))
        }
        (None, Some(p)) => Some(p),
        (None, None) => None,
    };
    if let Some(d) = data {
        items(d, &mut raw, true);
    }
    let form = if ps_id.is_some() {
        Form::PowerShellJson
    } else if f.wazuh {
        Form::WazuhJson
    } else if f.evtxecmd || f.payload.is_some() {
        Form::EvtxEcmdJson
    } else if f.evtx_dump {
        Form::EvtxDumpJson
    } else {
        Form::EventJson
    };
    Some((raw, form))
}

/// A time as the converters write it, or PowerShell's `/Date(1732440612000)/` (milliseconds
/// since 1970, UTC).
fn time_of(s: &str) -> Option<Timestamp> {
    if let Some(ms) = s
        .trim()
        .trim_matches('/')
        .strip_prefix("Date(")
        .and_then(|r| r.strip_suffix(')'))
    {
        let digits: String = ms
            .chars()
            .take_while(|c| c.is_ascii_digit() || *c == '-')
            .collect();
        return digits
            .parse::<i64>()
            .ok()
            .map(|ms| Timestamp::from_unix(ms.div_euclid(1000), true));
    }
    Timestamp::parse(s)
}

/// The data items of an `EventData` value: `Data` first (a string, an array, `#text`), then
/// other named values in their order; `Binary` and attributes are left out.
fn items(v: &Value, raw: &mut RawEvent, top: bool) {
    let push = |s: String, raw: &mut RawEvent| {
        if raw.items.len() < MAX_ITEMS {
            let mut s = s;
            if s.len() > crate::xml::MAX_ITEM_TEXT {
                let mut end = crate::xml::MAX_ITEM_TEXT;
                while !s.is_char_boundary(end) {
                    end -= 1;
                }
                s.truncate(end);
            }
            raw.items.push(s);
        } else {
            raw.items_cut = true;
        }
    };
    match v {
        Value::Null => {}
        Value::String(s) => push(s.clone(), raw),
        Value::Number(n) => push(n.to_string(), raw),
        Value::Bool(b) => push(b.to_string(), raw),
        Value::Array(a) => {
            for x in a {
                if x.is_null() {
                    push(String::new(), raw);
                } else {
                    items(x, raw, false);
                }
            }
        }
        Value::Object(m) => {
            if let Some(t) = get(m, &["text"]).or_else(|| get(m, &["value"]).filter(|_| !top)) {
                items(t, raw, false);
                return;
            }
            if !top {
                // A named item (`{"@Name": "x", "#text": "y"}` without text): empty.
                if get(m, &["name"]).is_some() {
                    push(String::new(), raw);
                }
                return;
            }
            if let Some(d) = get(m, &["data"]) {
                items(d, raw, false);
            }
            for (k, x) in m {
                let n = norm(k);
                if matches!(n.as_str(), "data" | "binary" | "attributes" | "xmlns") {
                    continue;
                }
                items(x, raw, false);
            }
        }
    }
}
