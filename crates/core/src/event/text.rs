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
    /// Lines left to skip inside an "Event Xml:" block (0: not in one).
    xml_lines: u32,
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
            (None, _) | (_, Label::LogName) => true,
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
            Some(false) => return,
            None if !typed => return,
            _ => {}
        }
        let data = if layout_len(id).is_some() {
            match (&p.info, id) {
                (Some(info), _) => parse_info(id, info),
                (None, DNS_PUBLISH_FAILED) => parse_info(id, &p.description),
                (None, _) => {
                    self.problem(p.line, Some(id), TextProblemKind::NoInfo);
                    return;
                }
            }
        } else {
            let mut text = p.description.clone();
            if let Some(info) = &p.info {
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
                out.push(TextEvent { line, event: ev });
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
            if let Some((id, data)) = recognise_list(&t[at..]) {
                out.push(TextEvent {
                    line: line_no,
                    event: Event::new(id, data),
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

/// Recognises a standing-alone Info list by the shape of its fields.
fn recognise_list(s: &str) -> Option<(u32, EventData)> {
    if s.contains('<') {
        // Markup (an XML <Data> element): not a bare Info line.
        return None;
    }
    let f: Vec<&str> = s.splitn(12, ',').map(str::trim).collect();
    if !looks_hresult(f[0]) || hresult(f[0]).is_none() {
        return None;
    }
    let get = |i: usize| f.get(i).copied().unwrap_or("");
    let id = if (9..=10).contains(&f.len()) && looks_hresult(get(1)) && is_guid(get(3)) {
        super::CLIENT_REQUEST
    } else if (8..=9).contains(&f.len())
        && is_digits(get(1))
        && !get(2).is_empty()
        && is_guid(get(3))
        && Timestamp::parse(get(4)).is_some()
    {
        super::HOST_REQUEST
    } else if (7..=8).contains(&f.len())
        && looks_hresult(get(1))
        && matches!(get(2), "0" | "1")
        && is_digits(get(4))
        && is_digits(get(5))
        && is_digits(get(6))
    {
        super::CLIENT_RESPONSE
    } else {
        return None;
    };
    parse_info(id, s).ok().map(|d| (id, d))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::code::ErrorCode;
    use crate::event::LicenseState;

    fn read(text: &str) -> (Vec<TextEvent>, TextEventReader) {
        let mut r = TextEventReader::new();
        let mut out = Vec::new();
        for (i, line) in text.lines().enumerate() {
            r.push_line(line, i as u64 + 1, &mut out);
        }
        r.finish(&mut out);
        (out, r)
    }

    const CMID: &str = "5cd1d6d4-3d4b-4a65-9d1b-6f8e2f0c1a11";
    const ACT: &str = "2ffd8952-423e-4903-b993-72a1aa44cf82";

    #[test]
    fn event_viewer_copy_details_with_xml() {
        let text = format!(
            "Log Name:      Application\r
Source:        Microsoft-Windows-Security-SPP\r
Date:          11/24/2026 2:14:58 PM\r
Event ID:      12288\r
Task Category: None\r
Level:         Information\r
Keywords:      Classic\r
User:          N/A\r
Computer:      pc1.contoso.com\r
Description:\r
The client has sent an activation request to the key management service machine.\r
Info:\r
0xC004F06C, 0x0, kms01.contoso.com:1688, {CMID}, 2026/11/24 19:14, 0, 2, 43200, {ACT}, 25\r
Event Xml:\r
<Event xmlns=\"http://schemas.microsoft.com/win/2004/08/events/event\">\r
  <EventData><Data>0xC004F06C, 0x0, kms01.contoso.com:1688, {CMID}, 2026/11/24 19:14, 0, 2, 43200, {ACT}, 25</Data></EventData>\r
  <EventData><Data>0x0, 25, pc1, {CMID}, 2026/11/24 19:14, 0, 1, 100, {ACT}</Data></EventData>\r
</Event>\r
Log Name:      Application\r
Source:        Microsoft-Windows-Security-SPP\r
Date:          11/24/2026 2:14:59 PM\r
Event ID:      12289\r
Computer:      pc1.contoso.com\r
Description:\r
The client has processed an activation response from the key management service machine.\r
Info:\r
0xC004F06C, 0x0, 0, 0, 26, 120, 10080, 2026/11/24 19:14\r
"
        );
        let (ev, r) = read(&text);
        assert_eq!(ev.len(), 2, "{ev:#?}");
        assert_eq!(ev[0].line, 1);
        let e = &ev[0].event;
        assert_eq!(e.id, 12288);
        assert_eq!(e.channel.as_deref(), Some("Application"));
        assert_eq!(
            e.provider.as_deref(),
            Some("Microsoft-Windows-Security-SPP")
        );
        assert_eq!(e.time.unwrap().to_string(), "2026-11-24T14:14:58");
        let EventData::ClientRequest(c) = &e.data else {
            panic!()
        };
        assert_eq!(c.code, Some(ErrorCode::new(0xC004_F06C)));
        assert_eq!(c.license_state, Some(LicenseState::OobGrace));
        assert_eq!(ev[1].line, 19);
        let EventData::ClientResponse(c) = &ev[1].event.data else {
            panic!()
        };
        assert_eq!(c.current_count, Some(26));
        assert!(r.problems().is_empty());
    }

    #[test]
    fn support_article_host_block_and_dns() {
        let text = format!(
            "Log Name: Key Management Service
Source: Microsoft-Windows-Security-Licensing-SLC
Event ID: 12290
Level: Information
Description:
An activation request has been processed.
Info: 0xC004F042, 25, pc7.contoso.com, {CMID}, 2026/11/24 9:30, 0, 2, 0, {ACT}

Log Name: Application
Source: Microsoft-Windows-Security-Licensing-SLC
Event ID: 12293
Description:
Publishing the Key Management Service (KMS) to DNS in the 'contoso.com' domain failed.
Info:
0x8007232B
"
        );
        let (ev, _) = read(&text);
        assert_eq!(ev.len(), 2, "{ev:#?}");
        let EventData::HostRequest(h) = &ev[0].event.data else {
            panic!()
        };
        assert_eq!(h.client.as_deref(), Some("pc7.contoso.com"));
        assert_eq!(
            ev[0].event.channel.as_deref(),
            Some("Key Management Service")
        );
        assert_eq!(
            ev[1].event.data,
            EventData::DnsPublishFailed(DnsPublish {
                code: Some(ErrorCode::new(0x8007_232B)),
                domain: Some("contoso.com".into())
            })
        );
    }

    #[test]
    fn zh_tw_labels() {
        let text = format!(
            "記錄檔名稱:    Application\n來源:          Microsoft-Windows-Security-SPP\n日期:          2026/11/24 下午 02:14:58\n\
             事件識別碼:    12288\n電腦:          pc2\n描述:\n用戶端已傳送啟用要求。\nInfo:\n\
             0x0, 0x0, kms:1688, {CMID}, 2026/11/24 14:14, 0, 1, 259200, {ACT}, 25\n"
        );
        let (ev, _) = read(&text);
        assert_eq!(ev.len(), 1);
        assert_eq!(ev[0].event.time.unwrap().to_string(), "2026-11-24T14:14:58");
        assert_eq!(ev[0].event.computer.as_deref(), Some("pc2"));
    }

    #[test]
    fn bare_lines_and_8198() {
        let text = format!(
            "2026-11-24 10:00:01 INFO kms: 0x0, 0x0, kms01:1688, {CMID}, 2026/11/24 10:00, 0, 1, 259200, {ACT}, 25
noise line, with, commas, that, are, not, an, event
0xC004F038, 25, pc3, {CMID}, 2026/11/24 10:00, 1, 2, 1000, {ACT}
0x0, 0x0, 1, 0, 25, 120, 10080, 2026/11/24 10:00
License Activation (slui.exe) failed with the following error code:
hr=0xC004F074
Command-line arguments:
RuleId=eeba1977-569e-4571-b639-7623d8bfecc0;Action=AutoActivate;AppId=55c92734-d682-4d71-983e-d6ec3f16059f;SkuId=1cb6d605-11b3-4e14-bb30-da91c8e3983a;NotificationInterval=1440;Trigger=TimerEvent
Publishing the Key Management Service (KMS) to DNS in the 'corp.example' domain failed.
Info: 0x80072338
"
        );
        let (ev, _) = read(&text);
        let ids: Vec<(u64, u32)> = ev.iter().map(|e| (e.line, e.event.id)).collect();
        assert_eq!(
            ids,
            [(1, 12288), (3, 12290), (4, 12289), (6, 8198), (9, 12293)]
        );
        let EventData::SluiFailed(s) = &ev[3].event.data else {
            panic!()
        };
        assert_eq!(s.code, Some(ErrorCode::new(0xC004_F074)));
        assert_eq!(s.action.as_deref(), Some("AutoActivate"));
        let EventData::DnsPublishFailed(d) = &ev[4].event.data else {
            panic!()
        };
        assert_eq!(d.domain.as_deref(), Some("corp.example"));
    }

    #[test]
    fn other_providers_and_junk_are_ignored() {
        let text = "Log Name: System\nSource: Service Control Manager\nEvent ID: 7036\nDescription:\n\
                    The sppsvc service entered the running state. 0xC004F074\n\
                    junk ,,,,,,,, 0x 0x0 0xzz\n\u{feff}Event ID: banana\nInfo:\n\n";
        let (ev, r) = read(text);
        assert!(ev.is_empty(), "{ev:#?}");
        assert!(r.problems().is_empty());
    }

    #[test]
    fn broken_info_is_a_problem_not_an_event() {
        let text = "Source: Security-SPP\nEvent ID: 12290\nInfo:\n0x0, lots, pc\n";
        let (ev, r) = read(text);
        assert!(ev.is_empty());
        assert_eq!(r.problem_count(), 1);
        assert_eq!(r.problems()[0].line, 1);
        assert!(
            r.problems()[0].reason.contains("field 1"),
            "{:?}",
            r.problems()
        );
        let zh = r.problems()[0].message(crate::Lang::ZhTw);
        assert!(zh.contains("欄位 1") && zh.contains("事件 12290"), "{zh}");
        assert!(
            !zh.contains("is not valid") && zh.contains("最低計數"),
            "{zh}"
        );
    }

    #[test]
    fn other_spp_event_keeps_codes() {
        let text = "Source: Microsoft-Windows-Security-SPP\nEvent ID: 16394\nDescription:\nOffline downlevel migration succeeded 0xC004F034.\n";
        let (ev, _) = read(text);
        assert_eq!(
            ev[0].event.data,
            EventData::Other {
                codes: vec![ErrorCode::new(0xC004_F034)]
            }
        );
    }

    #[test]
    fn enormous_lines_are_bounded() {
        let mut r = TextEventReader::new();
        let mut out = Vec::new();
        r.push_line("Source: Security-SPP", 1, &mut out);
        r.push_line("Event ID: 1003", 2, &mut out);
        r.push_line("Description:", 3, &mut out);
        let big = "0xC004F014 ".repeat(100_000);
        for i in 0..50 {
            r.push_line(&big, 4 + i, &mut out);
        }
        let pending = r.pending.as_ref().unwrap();
        assert!(pending.description.len() <= MAX_DESCRIPTION);
        r.finish(&mut out);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].event.data.codes(), [ErrorCode::new(0xC004_F014)]);
    }
}
