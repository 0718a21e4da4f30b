//! JSON (the report's serde form) and NDJSON (one typed record per line).

use serde::Serialize;
use volact_core::Lang;

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
    let mut s = String::new();
    let mut line = |ty: &'static str, v: &dyn erased::Ser| {
        s.push_str(&v.tagged(ty));
        s.push('\n');
    };
    line(
        "header",
        &Header {
            schema_version: r.schema_version,
            lang: r.lang,
            matches_truncated: r.matches_truncated,
            totals: &r.totals,
        },
    );
    for c in &r.summary {
        line("code", c);
    }
    for sn in &r.snapshots {
        line("snapshot", sn);
    }
    for e in &r.events {
        line("event", e);
    }
    for m in &r.matches {
        line("match", m);
    }
    for i in &r.inputs {
        line("input", i);
    }
    s
}

mod erased {
    use serde::Serialize;

    /// Serialises any record with a `type` tag, without generics at the call site.
    pub(super) trait Ser {
        fn tagged(&self, ty: &'static str) -> String;
    }

    impl<T: Serialize> Ser for T {
        fn tagged(&self, ty: &'static str) -> String {
            serde_json::to_string(&super::Tagged { ty, item: self })
                .unwrap_or_else(|e| format!("{{\"type\":\"error\",\"error\":\"{e}\"}}"))
        }
    }
}

/// The JSON document (pretty-printed), with a trailing newline.
pub fn json(r: &ScanReport) -> String {
    let mut s =
        serde_json::to_string_pretty(r).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"));
    s.push('\n');
    s
}
