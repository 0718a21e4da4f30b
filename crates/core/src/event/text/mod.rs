//! Recognising activation events in text: Event Viewer's "Copy details" / general view (English
//! and Traditional Chinese labels), support-article blocks, and bare Info lines standing alone.
//!
//! ```
//! use volact_core::event::text::TextEventReader;
//! let text = "Log Name:      Application\n\
//!             Source:        Microsoft-Windows-Security-SPP\n\
//!             Date:          11/24/2026 2:14:58 PM\n\
//!             Event ID:      12288\n\
//!             Computer:      pc1.contoso.com\n\
//!             Description:\n\
//!             The client has sent an activation request to the key management service machine.\n\
//!             Info:\n\
//!             0xC004F074, 0x0, kms01.contoso.com:1688, 5cd1d6d4-3d4b-4a65-9d1b-6f8e2f0c1a11, 2026/11/24 14:14, 0, 2, 43200, 2ffd8952-423e-4903-b993-72a1aa44cf82, 25\n";
//! let mut reader = TextEventReader::new();
//! let mut out = Vec::new();
//! for (i, line) in text.lines().enumerate() {
//!     reader.push_line(line, i as u64 + 1, &mut out);
//! }
//! reader.finish(&mut out);
//! assert_eq!(out.len(), 1);
//! assert_eq!((out[0].line, out[0].event.id), (1, 12288));
//! assert_eq!(out[0].event.computer.as_deref(), Some("pc1.contoso.com"));
//! ```

use serde::Serialize;

use super::info::{hresult, is_guid, layout_len, looks_hresult};
use super::{
    DNS_PUBLISH_FAILED, DnsPublish, Event, EventData, SLUI_FAILED, TYPED_IDS, Timestamp, clip,
    is_activation_provider, parse_info,
};
use crate::find;

mod redact;
pub use redact::{Redaction, redaction, scrub_list};

/// Bytes of a line that are looked at; the rest of an enormous line is ignored.
const LINE_WINDOW: usize = 4096;
/// Description text kept per event.
const MAX_DESCRIPTION: usize = 8192;
/// A header block without a recognisable end is dropped after this many lines.
const MAX_BLOCK_LINES: u64 = 200;
/// Problems kept (the rest are counted).
const MAX_PROBLEMS: usize = 100;
/// Lines within which `hr=` and `RuleId=` (8198), or a DNS failure and its code (12293), pair up.
const PAIR_DISTANCE: u64 = 4;

/// An event recognised in text.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TextEvent {
    /// First line of the event (1-based).
    pub line: u64,
    /// The event.
    pub event: super::Event,
    /// Set when some of its fields held a placeholder or a mask (`<CMID>`, `xxxx`): those
    /// fields are read as absent, the others as they are.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub redacted: Option<Redaction>,
}

/// Text that looked like an activation event but could not be read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TextProblem {
    /// First line of the event (1-based).
    pub line: u64,
    /// Event ID, when it was seen.
    pub id: Option<u32>,
    /// What was wrong, in English (kept for the JSON contract; see [`TextProblem::message`]).
    pub reason: String,
    /// What was wrong, as a stable kind with its details (serialised beside `reason`).
    #[serde(flatten)]
    pub kind: TextProblemKind,
}

impl TextProblem {
    /// What was wrong, in `lang` (English or Traditional Chinese).
    pub fn message(&self, lang: crate::Lang) -> String {
        self.kind.message(self.id, lang)
    }
}

/// Why the data of an activation event could not be read, with its details.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum TextProblemKind {
    /// The event has a description but no `Info:` line.
    NoInfo,
    /// The data is nothing but white space.
    Empty,
    /// The result code (field 0) is missing.
    MissingCode,
    /// A field is present but not of the documented type.
    BadField {
        /// Zero-based index in the Info layout.
        index: usize,
        /// What the field should hold (English technical name).
        field: &'static str,
        /// The value, cut to 64 characters.
        value: String,
    },
}

impl From<&super::InfoError> for TextProblemKind {
    fn from(e: &super::InfoError) -> Self {
        use super::InfoError as E;
        match e {
            E::Empty { .. } => Self::Empty,
            E::MissingCode { .. } => Self::MissingCode,
            E::BadField {
                index,
                field,
                value,
                ..
            } => Self::BadField {
                index: *index,
                field,
                value: value.clone(),
            },
        }
    }
}

/// The Traditional Chinese name of a field of an Info layout (English if not known).
fn field_zh(field: &str) -> &str {
    match field {
        "HRESULT" => "HRESULT 結果代碼",
        "VM flag 0/1" => "虛擬機器旗標 0/1",
        "activated flag 0/1" => "已啟用旗標 0/1",
        "activation interval (minutes)" => "啟用間隔（分鐘）",
        "client timestamp" => "用戶端時間戳記",
        "current count" => "目前計數",
        "flag" => "旗標",
        "license state 0-6" => "授權狀態 0-6",
        "minimum count" => "最低計數",
        "minutes to expiry" => "到期前分鐘數",
        "renewal interval (minutes)" => "更新間隔（分鐘）",
        "status flags" => "狀態旗標",
        other => other,
    }
}

impl TextProblemKind {
    /// Describes the problem of event `id` in `lang`.
    pub fn message(&self, id: Option<u32>, lang: crate::Lang) -> String {
        use crate::Lang::{En, ZhTw};
        let ev = match (id, lang) {
            (Some(id), En) => format!("event {id}: "),
            (Some(id), ZhTw) => format!("事件 {id}："),
            (None, _) => String::new(),
        };
        let what = match (self, lang) {
            (Self::NoInfo, En) => "no Info line after the description".to_owned(),
            (Self::NoInfo, ZhTw) => "描述之後沒有 Info 行".to_owned(),
            (Self::Empty, En) => "the data is empty".to_owned(),
            (Self::Empty, ZhTw) => "資料是空的".to_owned(),
            (Self::MissingCode, En) => "the result code (field 0) is missing".to_owned(),
            (Self::MissingCode, ZhTw) => "缺少結果代碼（欄位 0）".to_owned(),
            (
                Self::BadField {
                    index,
                    field,
                    value,
                },
                En,
            ) => format!("field {index} ({field}) is not valid: {value:?}"),
            (
                Self::BadField {
                    index,
                    field,
                    value,
                },
                ZhTw,
            ) => format!("欄位 {index}（{}）的值無效：{value:?}", field_zh(field)),
        };
        format!("{ev}{what}")
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Label {
    LogName,
    Source,
    Date,
    EventId,
    Computer,
    Description,
    Info,
    EventXml,
    Ignored,
}

const LABELS: &[(&str, Label)] = &[
    ("log name", Label::LogName),
    ("source", Label::Source),
    ("date", Label::Date),
    ("event id", Label::EventId),
    ("task category", Label::Ignored),
    ("level", Label::Ignored),
    ("opcode", Label::Ignored),
    ("keywords", Label::Ignored),
    ("user", Label::Ignored),
    ("computer", Label::Computer),
    ("description", Label::Description),
    ("info", Label::Info),
    ("event xml", Label::EventXml),
    ("記錄檔名稱", Label::LogName),
    ("來源", Label::Source),
    ("日期", Label::Date),
    ("事件識別碼", Label::EventId),
    ("工作類別", Label::Ignored),
    ("層級", Label::Ignored),
    ("作業碼", Label::Ignored),
    ("關鍵字", Label::Ignored),
    ("使用者", Label::Ignored),
    ("電腦", Label::Computer),
    ("描述", Label::Description),
    ("資訊", Label::Info),
    ("事件 xml", Label::EventXml),
];

/// `Label:   value` → (label, value). Labels are matched case-insensitively; `:` or `：`.
fn label_of(line: &str) -> Option<(Label, &str)> {
    let t = line.trim_start();
    let (name, rest) = match (t.find(':'), t.find('：')) {
        (Some(a), Some(b)) if b < a => (&t[..b], &t[b + '：'.len_utf8()..]),
        (Some(a), _) => (&t[..a], &t[a + 1..]),
        (None, Some(b)) => (&t[..b], &t[b + '：'.len_utf8()..]),
        (None, None) => return None,
    };
    if name.len() > 24 {
        return None;
    }
    let name = name.trim().to_lowercase();
    LABELS
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, l)| (*l, rest.trim()))
}

#[derive(Debug, Default)]
struct Pending {
    line: u64,
    last: u64,
    id: Option<u32>,
    provider: Option<String>,
    channel: Option<String>,
    time: Option<Timestamp>,
    computer: Option<String>,
    in_description: bool,
    expect_info: bool,
    info: Option<String>,
    description: String,
    /// `wevtutil qe /f:text` blocks (`Event[N]:`): the position of the next header line, whose
    /// label may be in any language.
    position: Option<usize>,
}

#[derive(Debug)]
struct Partial {
    line: u64,
    text: String,
}

/// Streaming recogniser of event text as Event Viewer ("Copy details", general view) and support
/// articles show it ("Log Name:", "Source:", "Date:", "Event ID: 12288", …, "Info:" then the comma
/// list on the next line), and bare Info lines of 12288/12289/12290 (and 12293 / 8198 message
/// lines) standing alone. Keeps a small bounded amount of state, whatever the input.
#[derive(Debug, Default)]
pub struct TextEventReader {
    pending: Option<Pending>,
    slui: Option<Partial>,
    dns: Option<Partial>,
    problems: Vec<TextProblem>,
    problem_count: u64,
    /// Header blocks with an event ID that are not activation events.
    other_events: u64,
    /// Lines left to skip inside an "Event Xml:" block (0: not in one).
    xml_lines: u32,
}

/// The header lines of a `wevtutil qe /f:text` record, in the order wevtutil writes them
/// (Log Name, Source, Date, Event ID, Task, Level, Opcode, Keyword, User, User Name,
/// Computer, Description): their labels follow the display language, their order does not.
const WEVTUTIL_ORDER: [Label; 12] = [
    Label::LogName,
    Label::Source,
    Label::Date,
    Label::EventId,
    Label::Ignored,
    Label::Ignored,
    Label::Ignored,
    Label::Ignored,
    Label::Ignored,
    Label::Ignored,
    Label::Computer,
    Label::Description,
];

/// `Event[12]:`, the line that starts each record of `wevtutil qe /f:text`.
fn is_wevtutil_start(t: &str) -> bool {
    t.strip_suffix("]:")
        .and_then(|s| s.split_once('['))
        .is_some_and(|(word, n)| {
            !word.is_empty()
                && word.len() <= 24
                && !word.contains(char::is_whitespace)
                && !n.is_empty()
                && n.len() <= 12
                && n.bytes().all(|b| b.is_ascii_digit())
        })
}

/// `label: value` with a label in any language: the value after the first colon.
fn any_label_value(line: &str) -> Option<&str> {
    let t = line.trim();
    let (a, len) = match (t.find(':'), t.find('：')) {
        (Some(a), Some(b)) if b < a => (b, '：'.len_utf8()),
        (Some(a), _) => (a, 1),
        (None, Some(b)) => (b, '：'.len_utf8()),
        (None, None) => return None,
    };
    (a > 0 && t[..a].chars().count() <= 40).then(|| t[a + len..].trim())
}

/// The Info list inside a description whose "Info:" label is in another language: the last
/// line whose first comma field is an HRESULT.
fn info_in(description: &str) -> Option<&str> {
    description
        .lines()
        .rev()
        .map(str::trim)
        .find(|l| l.contains(',') && l.split(',').next().is_some_and(looks_hresult))
}

/// Longest "Event Xml:" block skipped (a block without `</Event>` ends here).
const MAX_XML_BLOCK: u32 = 500;

fn window(line: &str) -> &str {
    if line.len() <= LINE_WINDOW {
        return line;
    }
    let mut end = LINE_WINDOW;
    while !line.is_char_boundary(end) {
        end -= 1;
    }
    &line[..end]
}

impl TextEventReader {
    /// A reader with no pending state.
    pub fn new() -> Self {
        Self::default()
    }

    /// Feed one line (without its terminator); `line_no` is 1-based. Appends events completed so far.
    pub fn push_line(&mut self, line: &str, line_no: u64, out: &mut Vec<TextEvent>) {
        let l = window(line).trim_start_matches('\u{feff}');
        let t = l.trim();
        self.expire(line_no, out);
        // Event Viewer's "Copy details" repeats the event as XML after "Event Xml:"; the text
        // above already gave it, so the XML lines are skipped (up to `</Event>`).
        if self.xml_lines > 0 {
            if matches!(label_of(t), Some((Label::LogName, _))) {
                self.xml_lines = 0;
            } else {
                self.xml_lines -= 1;
                if t.contains("</Event>") {
                    self.xml_lines = 0;
                }
                return;
            }
        }

        if is_wevtutil_start(t) {
            self.flush(out);
            self.pending = Some(Pending {
                line: line_no,
                last: line_no,
                position: Some(0),
                ..Pending::default()
            });
            return;
        }
        if let Some(pos) = self.pending.as_ref().and_then(|p| p.position)
            && l.starts_with(char::is_whitespace)
            && let Some(value) = any_label_value(t)
        {
            // A header line of a wevtutil record: known labels by name, others by position.
            let label = label_of(t)
                .map(|(l, _)| l)
                .or_else(|| WEVTUTIL_ORDER.get(pos).copied())
                .unwrap_or(Label::Ignored);
            let next = WEVTUTIL_ORDER
                .iter()
                .position(|&x| x == label && x != Label::Ignored)
                .map_or(pos + 1, |i| i + 1);
            if let Some(p) = self.pending.as_mut() {
                p.position = (label != Label::Description).then_some(next);
            }
            self.on_label(label, value, line_no, out);
            return;
        }
        if let Some((label, value)) = label_of(t) {
            self.on_label(label, value, line_no, out);
            return;
        }
        if let Some(p) = self.pending.as_mut() {
            if p.expect_info {
                if t.is_empty() {
                    return;
                }
                p.expect_info = false;
                p.info = Some(clip(t));
                p.last = line_no;
                if p.id.and_then(layout_len).is_some() {
                    self.flush(out);
                }
                return;
            }
            if p.in_description {
                if !t.is_empty() && p.description.len() + t.len() < MAX_DESCRIPTION {
                    p.description.push_str(t);
                    p.description.push('\n');
                }
                p.last = line_no;
                return;
            }
            // A stray line inside a header block (or after a lone "Date:" in some log): the
            // block expires on its own; the line may still be a bare event.
        }
        self.bare(t, line_no, out);
    }

    /// Whether the reader is inside the "Event Xml:" block of an Event Viewer copy whose
    /// header it has read (that XML repeats the event, and is skipped).
    pub fn in_event_xml(&self) -> bool {
        self.xml_lines > 0
    }

    /// End of input: flush a pending event.
    pub fn finish(&mut self, out: &mut Vec<TextEvent>) {
        self.flush(out);
        self.flush_slui(out);
        self.dns = None;
    }

    /// Text that looked like an activation event but could not be read (at most 100 kept).
    pub fn problems(&self) -> &[TextProblem] {
        &self.problems
    }

    /// Event headers read (a block with `Event ID:`, or a `wevtutil` record) that are not
    /// activation events: another provider, or an ID without meaning for activation.
    pub fn other_events(&self) -> u64 {
        self.other_events
    }

    /// How many problems there were, including those not kept.
    pub fn problem_count(&self) -> u64 {
        self.problem_count
    }

    fn problem(&mut self, line: u64, id: Option<u32>, kind: TextProblemKind) {
        self.problem_count += 1;
        if self.problems.len() < MAX_PROBLEMS {
            let reason = kind.message(id, crate::Lang::En);
            self.problems.push(TextProblem {
                line,
                id,
                reason,
                kind,
            });
        }
    }

    fn expire(&mut self, line_no: u64, out: &mut Vec<TextEvent>) {
        if self
            .pending
            .as_ref()
            .is_some_and(|p| line_no.saturating_sub(p.last) > MAX_BLOCK_LINES)
        {
            self.flush(out);
        }
        if self
            .slui
            .as_ref()
            .is_some_and(|p| line_no.saturating_sub(p.line) > PAIR_DISTANCE)
        {
            self.flush_slui(out);
        }
        if self
            .dns
            .as_ref()
            .is_some_and(|p| line_no.saturating_sub(p.line) > PAIR_DISTANCE)
        {
            self.dns = None;
        }
    }

    fn on_label(&mut self, label: Label, value: &str, line_no: u64, out: &mut Vec<TextEvent>) {
        match label {
            Label::EventXml => {
                self.flush(out);
                self.xml_lines = MAX_XML_BLOCK;
                return;
            }
            Label::Info if self.pending.is_none() => {
                // "Info: <list>" on its own line, outside a header block.
                if !value.is_empty() {
                    self.bare(value, line_no, out);
                }
                return;
            }
            Label::Ignored | Label::Description | Label::Info if self.pending.is_none() => return,
            _ => {}
        }
        // Does this label start a new block?
        let starts_new = match (&self.pending, label) {
            // `Log Name` right after `Event[N]:` belongs to that record.
            (Some(p), Label::LogName) => {
                !(p.position.is_some() && p.channel.is_none() && p.id.is_none())
            }
            (None, _) => true,
            (Some(p), Label::Source) => p.provider.is_some(),
            (Some(p), Label::EventId) => p.id.is_some(),
            (Some(p), Label::Date) => p.time.is_some() && (p.info.is_some() || p.in_description),
            _ => false,
        };
        if starts_new {
            self.flush(out);
            self.pending = Some(Pending {
                line: line_no,
                last: line_no,
                ..Pending::default()
            });
        }
        let Some(p) = self.pending.as_mut() else {
            return;
        };
        p.last = line_no;
        match label {
            Label::LogName => p.channel = Some(clip(value)).filter(|s| !s.is_empty()),
            Label::Source => p.provider = Some(clip(value)).filter(|s| !s.is_empty()),
            Label::Date => p.time = Timestamp::parse(value),
            Label::EventId => {
                p.id = value
                    .split(|c: char| !c.is_ascii_digit())
                    .find(|s| !s.is_empty())
                    .and_then(|s| s.parse().ok());
            }
            Label::Computer => p.computer = Some(clip(value)).filter(|s| !s.is_empty()),
            Label::Description => {
                p.in_description = true;
                if !value.is_empty() {
                    p.description.push_str(value);
                    p.description.push('\n');
                }
            }
            Label::Info => {
                p.in_description = false;
                if value.is_empty() {
                    p.expect_info = true;
                } else {
                    p.info = Some(clip(value));
                    if p.id.and_then(layout_len).is_some() {
                        self.flush(out);
                    }
                }
            }
            Label::Ignored | Label::EventXml => {}
        }
    }

    fn flush(&mut self, out: &mut Vec<TextEvent>) {
        let Some(p) = self.pending.take() else {
            return;
        };
        let Some(id) = p.id else {
            return;
        };
        let activation_provider = p.provider.as_deref().map(is_activation_provider);
        let typed = TYPED_IDS.contains(&id);
        match activation_provider {
            Some(false) => {
                self.other_events += 1;
                return;
            }
            None if !typed => {
                self.other_events += 1;
                return;
            }
            _ => {}
        }
        // An "Info:" label in another language leaves the list in the description.
        let info = p.info.as_deref().or_else(|| info_in(&p.description));
        let scrubbed = info.and_then(scrub_list);
        let redacted = scrubbed.as_ref().map(|(_, r)| *r);
        let info = scrubbed.as_ref().map(|(s, _)| s.as_str()).or(info);
        let data = if layout_len(id).is_some() {
            match (info, id) {
                (Some(info), _) => parse_info(id, info),
                (None, DNS_PUBLISH_FAILED) => parse_info(id, &p.description),
                (None, _) => {
                    self.problem(p.line, Some(id), TextProblemKind::NoInfo);
                    return;
                }
            }
        } else {
            let mut text = p.description.clone();
            if let Some(info) = info {
                text.push_str(info);
            }
            parse_info(id, &text)
        };
        let mut data = match data {
            Ok(d) => d,
            Err(e) => {
                self.problem(p.line, Some(id), TextProblemKind::from(&e));
                return;
            }
        };
        if let EventData::DnsPublishFailed(d) = &mut data
            && d.domain.is_none()
        {
            d.domain = quoted(&p.description);
        }
        out.push(TextEvent {
            line: p.line,
            event: Event {
                id,
                provider: p.provider,
                channel: p.channel,
                time: p.time,
                computer: p.computer,
                record_id: None,
                data,
            },
            redacted,
        });
    }

    fn flush_slui(&mut self, out: &mut Vec<TextEvent>) {
        if let Some(s) = self.slui.take()
            && s.text.to_ascii_lowercase().contains("ruleid=")
            && let Ok(data) = parse_info(SLUI_FAILED, &s.text)
        {
            out.push(TextEvent {
                line: s.line,
                event: Event::new(SLUI_FAILED, data),
                redacted: None,
            });
        }
    }

    /// Lines outside a header block.
    fn bare(&mut self, t: &str, line_no: u64, out: &mut Vec<TextEvent>) {
        if t.is_empty() {
            return;
        }
        let lower = t.to_ascii_lowercase();
        // 8198: "hr=0x…" then "RuleId=…;Action=…" (either order of discovery, within a few lines).
        let has_hr = lower.contains("hr=0x");
        let has_rule = lower.contains("ruleid=");
        if has_hr || has_rule {
            match self.slui.as_mut() {
                Some(s) if !(has_hr && s.text.to_ascii_lowercase().contains("hr=0x")) => {
                    s.text.push('\n');
                    s.text.push_str(t);
                }
                _ => {
                    self.flush_slui(out);
                    self.slui = Some(Partial {
                        line: line_no,
                        text: t.to_owned(),
                    });
                }
            }
            if self.slui.as_ref().is_some_and(|s| {
                let l = s.text.to_ascii_lowercase();
                l.contains("hr=0x") && l.contains("ruleid=")
            }) {
                self.flush_slui(out);
            }
            return;
        }
        // 12293: the message line, with its code on the same line or within the next few lines.
        if lower.contains("key management service")
            && lower.contains("dns")
            && lower.contains("fail")
        {
            self.dns = Some(Partial {
                line: line_no,
                text: clip(t),
            });
        }
        if let Some(d) = &self.dns {
            let code = find::find_codes(t).first().map(|f| f.code);
            if let Some(code) = code {
                let domain = quoted(&d.text);
                let line = d.line;
                self.dns = None;
                let ev = Event::new(
                    DNS_PUBLISH_FAILED,
                    EventData::DnsPublishFailed(DnsPublish {
                        code: Some(code),
                        domain,
                    }),
                );
                out.push(TextEvent {
                    line,
                    event: ev,
                    redacted: None,
                });
                return;
            }
        }
        // Bare Info lists: need at least 6 commas; try each "0x" start (a log prefix may precede).
        if t.bytes().filter(|&b| b == b',').count() < 6 {
            return;
        }
        let mut from = 0;
        for _ in 0..4 {
            let Some(p) = lower[from..].find("0x") else {
                return;
            };
            let at = from + p;
            if let Some((id, data, redacted)) = recognise_list(&t[at..]) {
                out.push(TextEvent {
                    line: line_no,
                    event: Event::new(id, data),
                    redacted,
                });
                return;
            }
            from = at + 2;
        }
    }
}

/// The first `'…'` quoted word: the domain in "…to DNS in the 'contoso.com' domain failed".
fn quoted(s: &str) -> Option<String> {
    let a = s.find(['\'', '‘', '"'])?;
    let rest = &s[a..];
    let open = rest.chars().next()?;
    let rest = &rest[open.len_utf8()..];
    let b = rest.find(['\'', '’', '"'])?;
    let v = rest[..b].trim();
    (!v.is_empty()).then(|| clip(v))
}

fn is_digits(s: &str) -> bool {
    !s.is_empty() && s.len() <= 10 && s.bytes().all(|b| b.is_ascii_digit())
}

/// Recognises a standing-alone Info list by the shape of its fields. Fields holding a placeholder
/// or a mask fit any shape (they are read as absent), as long as the result code is a real one
/// and at most half of the fields are hidden.
fn recognise_list(s: &str) -> Option<(u32, EventData, Option<Redaction>)> {
    let scrubbed = scrub_list(s);
    let redacted = scrubbed.as_ref().map(|(_, r)| *r);
    let list = scrubbed.as_ref().map_or(s, |(l, _)| l.as_str());
    let raw: Vec<&str> = s.splitn(12, ',').map(str::trim).collect();
    let f: Vec<&str> = list.splitn(12, ',').map(str::trim).collect();
    if f.len() != raw.len() {
        return None;
    }
    let hidden = |i: usize| raw.get(i).is_some_and(|v| redaction(v).is_some());
    if raw.iter().filter(|v| redaction(v).is_some()).count() * 2 > raw.len() {
        return None;
    }
    if raw
        .iter()
        .any(|v| v.contains('<') && redaction(v).is_none())
    {
        // Markup (an XML <Data> element): not a bare Info line.
        return None;
    }
    if !looks_hresult(f[0]) || hresult(f[0]).is_none() {
        return None;
    }
    let get = |i: usize| f.get(i).copied().unwrap_or("");
    let fits = |i: usize, ok: &dyn Fn(&str) -> bool| hidden(i) || ok(get(i));
    let id = if (9..=10).contains(&f.len()) && fits(1, &looks_hresult) && fits(3, &is_guid) {
        super::CLIENT_REQUEST
    } else if (8..=9).contains(&f.len())
        && fits(1, &is_digits)
        && (hidden(2) || !get(2).is_empty())
        && fits(3, &is_guid)
        && fits(4, &|v| Timestamp::parse(v).is_some())
    {
        super::HOST_REQUEST
    } else if (7..=8).contains(&f.len())
        && fits(1, &looks_hresult)
        && fits(2, &|v| matches!(v, "0" | "1"))
        && fits(4, &is_digits)
        && fits(5, &is_digits)
        && fits(6, &is_digits)
    {
        super::CLIENT_RESPONSE
    } else {
        return None;
    };
    parse_info(id, list).ok().map(|d| (id, d, redacted))
}

#[cfg(test)]
mod tests;
