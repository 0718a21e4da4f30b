//! EvtxECmd `--csv`: one row per record, with `EventId`, `Provider`, `Channel`, `Computer`,
//! `TimeCreated`, `EventRecordId` columns and `Payload`, the record's `EventData` as JSON
//! (classic events: all insertion strings joined with ", " in one `Data`). Columns are found by
//! their header names (without regard to case or spacing), so other CSV exports with an event
//! ID column are read too. Quoted fields may span lines; a row is read up to
//! [`MAX_ROW_LINES`] lines and [`MAX_ROW`] bytes.

use std::io::{self, Read};

use serde_json::{Map, Value};

use super::{Form, UnreadCounter, UnreadWhy};
use crate::analyze::Analyzer;

/// Lines one CSV row may span (inside a quoted field).
pub const MAX_ROW_LINES: usize = 256;
/// Bytes of one CSV row kept at most.
pub const MAX_ROW: usize = 1024 * 1024;

/// The columns read, by the normal form of their header names.
const COLUMNS: [&str; 7] = [
    "eventid",
    "provider",
    "channel",
    "computer",
    "timecreated",
    "eventrecordid",
    "payload",
];

fn norm(k: &str) -> String {
    k.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Whether `line` is the header of an event CSV: an event ID column and a provider, channel or
/// payload column.
pub fn is_header(line: &str) -> bool {
    let names: Vec<String> = line.split(',').map(norm).collect();
    names.len() >= 3
        && names.iter().any(|n| n == "eventid")
        && names
            .iter()
            .any(|n| matches!(n.as_str(), "provider" | "channel" | "payload"))
}

/// Splits one CSV row (RFC 4180 quoting); `None` while a quoted field is still open.
fn split_row(row: &str) -> Option<Vec<String>> {
    let mut fields = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut chars = row.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                cur.push('"');
                chars.next();
            }
            ('"', true) => quoted = false,
            ('"', false) if cur.is_empty() => quoted = true,
            (',', false) => fields.push(std::mem::take(&mut cur)),
            _ => cur.push(c),
        }
    }
    if quoted {
        return None;
    }
    fields.push(cur);
    Some(fields)
}

/// Reads an event CSV into `an`; the form recognised.
pub fn read_csv<R: Read>(name: &str, r: R, an: &mut Analyzer) -> io::Result<Form> {
    let mut header: Option<Vec<Option<usize>>> = None;
    let mut has_payload = false;
    let mut row = String::new();
    let (mut row_lines, mut row_start) = (0usize, 0u64);
    let mut line_no = 0u64;
    let mut unread = UnreadCounter::default();
    volact_core::text::for_each_line(r, crate::decode::MAX_LINE, |line, _| {
        line_no += 1;
        let s = String::from_utf8_lossy(line);
        if row_lines == 0 {
            row_start = line_no;
        } else {
            row.push('\n');
        }
        if row.len() + s.len() <= MAX_ROW {
            row.push_str(&s);
        }
        row_lines += 1;
        let fields = match split_row(&row) {
            Some(f) => f,
            None if row_lines < MAX_ROW_LINES && row.len() < MAX_ROW => return,
            None => {
                unread.add(an, row_start, UnreadWhy::BadRow);
                row.clear();
                row_lines = 0;
                return;
            }
        };
        row.clear();
        row_lines = 0;
        let Some(cols) = &header else {
            let names: Vec<String> = fields.iter().map(|f| norm(f)).collect();
            has_payload = names.iter().any(|n| n == "payload");
            header = Some(
                COLUMNS
                    .iter()
                    .map(|c| names.iter().position(|n| n == c))
                    .collect(),
            );
            return;
        };
        if fields.iter().all(|f| f.trim().is_empty()) {
            return;
        }
        let mut obj = Map::new();
        for (col, at) in COLUMNS.iter().zip(cols) {
            if let Some(v) = at.and_then(|i| fields.get(i)) {
                obj.insert((*col).to_owned(), Value::String(v.clone()));
            }
        }
        match super::json::event_of(&Value::Object(obj)) {
            Some((raw, _)) => {
                an.read(1);
                super::deliver(an, raw);
            }
            None => unread.add(an, row_start, UnreadWhy::BadRow),
        }
    })?;
    if row_lines > 0 {
        unread.add(an, row_start, UnreadWhy::CutOff);
    }
    unread.warn(name, an);
    Ok(if has_payload {
        Form::EvtxEcmdCsv
    } else {
        Form::Csv
    })
}
