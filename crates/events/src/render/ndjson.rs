//! NDJSON: one JSON object per line (summary, warnings, rows), for log pipelines.

use std::io;

use serde::Serialize;
use volact_core::Lang;
use volact_core::out::ndjson::Writer;

use crate::analyze::Report;

#[derive(Serialize)]
pub(super) struct Line<'a, T: Serialize> {
    #[serde(rename = "type")]
    pub(super) kind: &'a str,
    #[serde(flatten)]
    pub(super) item: &'a T,
}

/// Writes one line: `item`'s fields after a `type`.
fn put<W: io::Write, T: Serialize>(w: &mut Writer<W>, kind: &str, item: &T) -> io::Result<()> {
    w.line(&Line { kind, item })
}

/// One line of `kind` for each of `items`.
fn put_each<W: io::Write, T: Serialize>(
    w: &mut Writer<W>,
    kind: &str,
    items: &[T],
) -> io::Result<()> {
    items.iter().try_for_each(|item| put(w, kind, item))
}

#[derive(Serialize)]
pub(super) struct Summary<'a> {
    pub(super) schema_version: u32,
    pub(super) lang: Lang,
    pub(super) stats: &'a crate::analyze::Stats,
    pub(super) attention: &'a [&'static str],
    pub(super) warnings_total: u64,
}

#[derive(Serialize)]
pub(super) struct WarningLine<'a> {
    pub(super) text: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) kind: Option<&'static str>,
}

/// NDJSON: one object per line, each with a `type`: `summary`, `input`, `warning`, `count`,
/// `note`, `host_code`, `day`, `client`, `family` (clients by product family), `skew`, `clone`, `dns_failure`, `attempt`,
/// `host_contact`, `slui_failure`, `other_code`, and with Software Protection events
/// `spp_outcome` (failures by event ID, transient or persistent), `spp_client`, `spp_event`.
pub fn ndjson(r: &Report) -> String {
    let mut buf = Vec::new();
    // Writing into a `Vec` does not fail.
    let _ = write_ndjson(r, &mut Writer::new(&mut buf));
    String::from_utf8_lossy(&buf).into_owned()
}

/// [`ndjson`] into an NDJSON writer.
pub fn write_ndjson<W: io::Write>(r: &Report, w: &mut Writer<W>) -> io::Result<()> {
    put(
        w,
        "summary",
        &Summary {
            schema_version: r.schema_version,
            lang: r.lang,
            stats: &r.stats,
            attention: &r.attention,
            warnings_total: r.warnings_total,
        },
    )?;
    put_each(w, "input", &r.inputs)?;
    for (i, text) in r.warnings.iter().enumerate() {
        let kind = r.warning_details.get(i).map(crate::Warning::kind_id);
        put(w, "warning", &WarningLine { text, kind })?;
    }
    for n in &r.note_details {
        let text = n.message(Lang::En);
        put(
            w,
            "note",
            &WarningLine {
                text: &text,
                kind: Some(n.kind_id()),
            },
        )?;
    }
    if let Some(h) = &r.host {
        if let Some(c) = &h.count {
            put(w, "count", c)?;
        }
        put_each(w, "host_code", &h.codes)?;
        put_each(w, "day", &h.per_day)?;
        put_each(w, "client", &h.clients)?;
        put_each(w, "family", &h.families)?;
        put_each(w, "skew", &h.skewed)?;
        put_each(w, "clone", &h.cloned)?;
        put_each(w, "dns_failure", &h.dns_failures)?;
    }
    if let Some(c) = &r.client {
        put_each(w, "host_contact", &c.hosts)?;
        put_each(w, "attempt", &c.attempts)?;
    }
    put_each(w, "slui_failure", &r.slui_failures)?;
    put_each(w, "other_code", &r.other_codes)?;
    if let Some(v) = &r.spp {
        put_each(w, "spp_outcome", &v.failures)?;
        put_each(w, "spp_client", &v.clients)?;
        put_each(w, "spp_event", &v.events)?;
    }
    Ok(())
}
