//! CSV (RFC 4180 with CRLF line ends and formula defusal, by `volact_core::out::csv`): a header,
//! then one row per match and one per snapshot diagnosis.

use std::io;

use volact_core::out::csv::Writer;

use super::parts::{coverage_id, into_string, skip_why, snapshot_title};
use crate::phrases::{self, labels};
use crate::report::{ScanReport, SkipReason, severity_id};

/// The header: stable machine names.
const HEADER: [&str; 9] = [
    "kind", "path", "line", "column", "code", "name", "coverage", "meaning", "context",
];

/// CSV: a header, then one row per match (in rank order) and one per snapshot diagnosis; then
/// one `other-values` row when values no table knows were counted (`line` holds how many lines,
/// `column` how many values, `meaning` says so) and one `skipped-evtx` row per event log file.
/// Column names are stable machine names; `meaning` is in the report's language.
pub fn csv(r: &ScanReport) -> String {
    into_string(|out| write_csv(r, out))
}

/// [`csv`] into `out`.
pub fn write_csv(r: &ScanReport, out: impl io::Write) -> io::Result<()> {
    let mut w = Writer::new(out);
    w.record(&HEADER)?;
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
        w.record(&[
            "match",
            &p.path,
            &p.line.to_string(),
            &p.column.to_string(),
            &m.m.code.to_string(),
            m.name.unwrap_or(""),
            coverage_id(m.coverage),
            meaning(m.m.code),
            &m.m.context,
        ])?;
    }
    for sn in &r.snapshots {
        for d in &sn.diagnosis {
            w.record(&[
                "diagnosis",
                &sn.path,
                &sn.snapshot.line.to_string(),
                "",
                &d.code().map(|c| c.to_string()).unwrap_or_default(),
                d.kind(),
                severity_id(d.level()),
                &d.message,
                &snapshot_title(sn, l),
            ])?;
        }
    }
    let t = &r.totals;
    if t.other_values > 0 {
        let listed = r.summary.iter().any(|c| !c.rank.listed());
        w.record(&[
            "other-values",
            "",
            &t.other_lines.to_string(),
            &t.other_values.to_string(),
            "",
            "",
            "unknown",
            &phrases::other_values(t.other_values, t.other_lines, listed, r.lang),
            "",
        ])?;
    }
    for i in &r.inputs {
        if i.skip_reason == Some(SkipReason::Evtx) {
            let why = skip_why(i, l, r.lang);
            w.record(&["skipped-evtx", &i.path, "", "", "", "", "", &why, ""])?;
        }
    }
    Ok(())
}
