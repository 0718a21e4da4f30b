//! NDJSON: one JSON object per line (summary, warnings, rows), for log pipelines.

use serde::Serialize;
use volact_core::Lang;

use crate::analyze::Report;

#[derive(Serialize)]
pub(super) struct Line<'a, T: Serialize> {
    #[serde(rename = "type")]
    pub(super) kind: &'a str,
    #[serde(flatten)]
    pub(super) item: &'a T,
}

pub(super) fn push_line<T: Serialize>(o: &mut String, kind: &str, item: &T) {
    if let Ok(s) = serde_json::to_string(&Line { kind, item }) {
        o.push_str(&s);
        o.push('\n');
    }
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
/// `note`, `host_code`, `day`, `client`, `skew`, `clone`, `dns_failure`, `attempt`,
/// `host_contact`, `slui_failure`, `other_code`.
pub fn ndjson(r: &Report) -> String {
    let mut o = String::new();
    push_line(
        &mut o,
        "summary",
        &Summary {
            schema_version: r.schema_version,
            lang: r.lang,
            stats: &r.stats,
            attention: &r.attention,
            warnings_total: r.warnings_total,
        },
    );
    for i in &r.inputs {
        push_line(&mut o, "input", i);
    }
    for (i, w) in r.warnings.iter().enumerate() {
        let kind = r.warning_details.get(i).map(crate::Warning::kind_id);
        push_line(&mut o, "warning", &WarningLine { text: w, kind });
    }
    for n in &r.note_details {
        let text = n.message(Lang::En);
        push_line(
            &mut o,
            "note",
            &WarningLine {
                text: &text,
                kind: Some(n.kind_id()),
            },
        );
    }
    if let Some(h) = &r.host {
        if let Some(c) = &h.count {
            push_line(&mut o, "count", c);
        }
        for c in &h.codes {
            push_line(&mut o, "host_code", c);
        }
        for d in &h.per_day {
            push_line(&mut o, "day", d);
        }
        for c in &h.clients {
            push_line(&mut o, "client", c);
        }
        for s in &h.skewed {
            push_line(&mut o, "skew", s);
        }
        for c in &h.cloned {
            push_line(&mut o, "clone", c);
        }
        for d in &h.dns_failures {
            push_line(&mut o, "dns_failure", d);
        }
    }
    if let Some(c) = &r.client {
        for h in &c.hosts {
            push_line(&mut o, "host_contact", h);
        }
        for a in &c.attempts {
            push_line(&mut o, "attempt", a);
        }
    }
    for s in &r.slui_failures {
        push_line(&mut o, "slui_failure", s);
    }
    for c in &r.other_codes {
        push_line(&mut o, "other_code", c);
    }
    o
}
