//! JSON (the report's serde form) and NDJSON (one typed record per line, by
//! `volact_core::out::ndjson`).

use std::io;

use serde::Serialize;
use volact_core::Lang;
use volact_core::out::ndjson::Writer;

use super::parts::into_string;
use crate::report::{ScanReport, Totals};

#[derive(Serialize)]
struct Tagged<'a, T: Serialize> {
    #[serde(rename = "type")]
    ty: &'static str,
    #[serde(flatten)]
    item: &'a T,
}

#[derive(Serialize)]
struct Header<'a> {
    schema_version: u32,
    lang: Lang,
    matches_truncated: bool,
    totals: &'a Totals,
}

/// NDJSON: one JSON object per line, each with a `type`: `header` first, then `code` (summary),
/// `snapshot`, `event`, `match` and `input` records.
pub fn ndjson(r: &ScanReport) -> String {
    into_string(|out| write_ndjson(r, out))
}

/// [`ndjson`] into `out`.
pub fn write_ndjson(r: &ScanReport, out: impl io::Write) -> io::Result<()> {
    let mut w = Writer::new(out);
    let header = Header {
        schema_version: r.schema_version,
        lang: r.lang,
        matches_truncated: r.matches_truncated,
        totals: &r.totals,
    };
    w.line(&Tagged {
        ty: "header",
        item: &header,
    })?;
    for item in &r.summary {
        w.line(&Tagged { ty: "code", item })?;
    }
    for item in &r.snapshots {
        w.line(&Tagged {
            ty: "snapshot",
            item,
        })?;
    }
    for item in &r.events {
        w.line(&Tagged { ty: "event", item })?;
    }
    for item in &r.matches {
        w.line(&Tagged { ty: "match", item })?;
    }
    for item in &r.inputs {
        w.line(&Tagged { ty: "input", item })?;
    }
    Ok(())
}

/// The JSON document (pretty-printed), with a trailing newline.
pub fn json(r: &ScanReport) -> String {
    let mut s =
        serde_json::to_string_pretty(r).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"));
    s.push('\n');
    s
}
