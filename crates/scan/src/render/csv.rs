//! CSV: a header, then one row per match and one per snapshot diagnosis.

use std::fmt::Write as _;

use super::parts::{coverage_id, severity_id, snapshot_title};
use crate::phrases::labels;
use crate::report::ScanReport;

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_owned()
    }
}

/// CSV: a header, then one row per match and one per snapshot diagnosis. Column names are
/// stable machine names; `meaning` is in the report's language.
pub fn csv(r: &ScanReport) -> String {
    let mut s = String::from("kind,path,line,column,code,name,coverage,meaning,context\n");
    let l = labels(r.lang);
    let meaning = |code| {
        r.summary
            .iter()
            .find(|c| c.code == code)
            .map(|c| c.meaning.as_str())
            .unwrap_or("")
    };
    for m in &r.matches {
        let p = &m.m.place;
        let _ = writeln!(
            s,
            "match,{},{},{},{},{},{},{},{}",
            csv_field(&p.path),
            p.line,
            p.column,
            m.m.code,
            m.name.unwrap_or(""),
            coverage_id(m.coverage),
            csv_field(meaning(m.m.code)),
            csv_field(&m.m.context)
        );
    }
    for sn in &r.snapshots {
        for d in &sn.diagnosis {
            let _ = writeln!(
                s,
                "diagnosis,{},{},,{},{},{},{},{}",
                csv_field(&sn.path),
                sn.snapshot.line,
                d.code.map(|c| c.to_string()).unwrap_or_default(),
                d.kind,
                severity_id(d.severity),
                csv_field(&d.message),
                csv_field(&snapshot_title(sn, l))
            );
        }
    }
    s
}
