//! The shapes events reach users in, besides `.evtx` and event XML: JSON from the tools that
//! convert event logs (`evtx_dump`, EvtxECmd, hayabusa, Wazuh alerts), EvtxECmd's CSV, and text
//! that carries event XML (an Event Viewer copy made on a Windows in any language). Each reader
//! turns what it finds into the same [`RawEvent`] the XML reader gives, so that one record reads
//! the same whatever form it came in.

use volact_core::event::text::{Redaction, redaction, scrub_list};
use volact_core::event::{CLIENT_REQUEST, CLIENT_RESPONSE, DNS_PUBLISH_FAILED, HOST_REQUEST};

use crate::analyze::Analyzer;
use crate::record::RawEvent;

pub mod csv;
pub mod json;
#[cfg(test)]
mod tests;
pub mod text;

/// Which form an input was recognised as (its stable identifier is [`Form::id`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Form {
    /// A binary `.evtx` log.
    Evtx,
    /// Event XML: `wevtutil qe /f:xml`, Event Viewer "Save as XML", single records.
    EventXml,
    /// Event Viewer's "XML View" pasted with its `-` tree markers.
    XmlViewPaste,
    /// Text: Event Viewer copies, support articles, logs with Info lines.
    Text,
    /// `wevtutil qe /f:text` (labels in any language).
    WevtutilText,
    /// An Event Viewer copy (Ctrl+C) with the event's XML after its header, in any language.
    EventViewerCopy,
    /// `evtx_dump -o json` or `-o jsonl` (the Rust evtx crate).
    EvtxDumpJson,
    /// EvtxECmd `--json`.
    EvtxEcmdJson,
    /// Wazuh alerts (`alerts.json`).
    WazuhJson,
    /// Other event JSON (hayabusa and the like: `system` / `event_data` objects).
    EventJson,
    /// PowerShell `Get-WinEvent | ConvertTo-Json`.
    PowerShellJson,
    /// JSON in which no event was recognised.
    Json,
    /// EvtxECmd `--csv`.
    EvtxEcmdCsv,
    /// CSV with an event ID column, no payload column recognised.
    Csv,
}

impl Form {
    /// Stable identifier (the `form` of an input in the JSON report).
    pub fn id(self) -> &'static str {
        match self {
            Form::Evtx => "evtx",
            Form::EventXml => "event_xml",
            Form::XmlViewPaste => "event_viewer_xml_view",
            Form::Text => "text",
            Form::WevtutilText => "wevtutil_text",
            Form::EventViewerCopy => "event_viewer_copy",
            Form::EvtxDumpJson => "evtx_dump_json",
            Form::EvtxEcmdJson => "evtxecmd_json",
            Form::WazuhJson => "wazuh_json",
            Form::EventJson => "event_json",
            Form::PowerShellJson => "powershell_json",
            Form::Json => "json",
            Form::EvtxEcmdCsv => "evtxecmd_csv",
            Form::Csv => "csv",
        }
    }
}

/// The events whose data is a fixed comma list (12288, 12289, 12290, 12293): only their
/// fields are checked for placeholders and masks.
const LIST_IDS: [u32; 4] = [
    CLIENT_REQUEST,
    CLIENT_RESPONSE,
    HOST_REQUEST,
    DNS_PUBLISH_FAILED,
];

/// Empties the data items of a list event that hold a placeholder or a mask (whole items, or
/// fields of a joined list); returns how the first was hidden.
pub fn scrub_items(raw: &mut RawEvent) -> Option<Redaction> {
    if !raw.id.is_some_and(|id| LIST_IDS.contains(&id)) {
        return None;
    }
    let mut first = None;
    for item in &mut raw.items {
        if item.contains(',') {
            if let Some((s, how)) = scrub_list(item) {
                *item = s;
                first.get_or_insert(how);
            }
        } else if let Some(how) = redaction(item) {
            item.clear();
            first.get_or_insert(how);
        }
    }
    first
}

/// Hands a record read from any form to the analyzer (the record was already counted as
/// read): hidden fields are emptied first, and a record used with hidden fields is counted as
/// partial.
pub fn deliver(an: &mut Analyzer, mut raw: RawEvent) {
    let hidden = scrub_items(&mut raw);
    let typed = raw.into_event();
    if let (Some(how), Ok(_)) = (hidden, &typed) {
        an.partial(how);
    }
    an.typed(typed);
}

/// Records of a JSON or CSV input that could not be read: how many, where the first one starts
/// (byte offset in the decoded input, or line for CSV) and why.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Unread {
    /// How many records.
    pub count: u64,
    /// Where the first one starts (byte offset in the decoded input).
    pub first_at: u64,
    /// Why the first one could not be read.
    pub why: UnreadWhy,
}

/// Why a record of a JSON or CSV input could not be read.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "why", content = "detail", rename_all = "snake_case")]
#[non_exhaustive]
pub enum UnreadWhy {
    /// The parser's message (English).
    NotJson(String),
    /// Over the size limit of one record.
    TooLarge {
        /// The limit in bytes.
        max: usize,
    },
    /// Over the nesting limit.
    TooDeep {
        /// The limit in levels.
        max: usize,
    },
    /// The input ends inside the record.
    CutOff,
    /// A CSV row that does not fit its header.
    BadRow,
}

/// Counts records that could not be read, keeping the first one's place and reason.
#[derive(Debug, Default)]
pub(crate) struct UnreadCounter {
    first: Option<(u64, UnreadWhy)>,
    count: u64,
}

impl UnreadCounter {
    /// One more record that could not be read (counted as read and skipped for `skip`).
    pub(crate) fn add(&mut self, an: &mut Analyzer, at: u64, why: UnreadWhy) {
        let skip = match why {
            UnreadWhy::TooLarge { .. } | UnreadWhy::TooDeep { .. } => {
                crate::analyze::SkipReason::Limit
            }
            _ => crate::analyze::SkipReason::CorruptRecord,
        };
        an.read(1);
        an.skip(skip);
        self.count += 1;
        self.first.get_or_insert((at, why));
    }

    /// The warning, when something could not be read.
    pub(crate) fn warn(self, name: &str, an: &mut Analyzer) {
        if let Some((first_at, why)) = self.first {
            an.warn(
                name,
                crate::WarningKind::RecordsUnread(Unread {
                    count: self.count,
                    first_at,
                    why,
                }),
            );
        }
    }
}
