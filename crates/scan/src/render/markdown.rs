//! Markdown, for tickets and wikis.

use std::borrow::Cow;
use std::fmt::Write as _;

use volact_core::out::md;

use super::parts::{
    event_brief, mark, notes, shown_of, skip_why, snapshot_lines, snapshot_title, totals,
};
use crate::phrases::{Labels, coverage, labels};
use crate::report::{ScanReport, SkipReason};

/// A table cell or list item as scan has always written it: [`md::cell`], after doubling
/// backslashes and showing backticks as `'` (a match's context may hold either, and neither may
/// start an escape or a code span in the ticket it is pasted into).
fn md_cell(s: &str) -> Cow<'_, str> {
    if !s.contains(['\\', '`', '\r']) {
        return md::cell(s);
    }
    let s = s.replace('\\', "\\\\").replace('`', "'").replace('\r', " ");
    Cow::Owned(md::cell(&s).into_owned())
}

/// Markdown, for tickets and wikis.
pub fn markdown(r: &ScanReport) -> String {
    let l = labels(r.lang);
    let mut s = String::new();
    let _ = writeln!(s, "# volact scan\n");
    // Skipped event logs are evidence for another command: their sentence says so instead.
    if r.summary.is_empty()
        && r.snapshots.is_empty()
        && r.events.is_empty()
        && r.totals.evtx_skipped == 0
    {
        let _ = writeln!(s, "{}\n", l.nothing);
    }
    summary(&mut s, r, l);
    for n in notes(r) {
        let _ = writeln!(s, "{}\n", md_cell(&n));
    }
    snapshots(&mut s, r, l);
    events(&mut s, r, l);
    matches(&mut s, r, l);
    let _ = writeln!(s, "{}", totals(l.inputs, r, l));
    for i in r
        .inputs
        .iter()
        .filter(|i| i.skip_reason == Some(SkipReason::Evtx))
    {
        let why = skip_why(i, l, r.lang);
        let _ = writeln!(
            s,
            "- {}: {} ({})",
            l.skipped,
            md_cell(&i.path),
            md_cell(&why)
        );
    }
    s
}

fn summary(s: &mut String, r: &ScanReport, l: &Labels) {
    if r.summary.is_empty() {
        return;
    }
    let _ = writeln!(s, "## {}\n", l.summary);
    let _ = writeln!(
        s,
        "| {} | {} | {} | {} | {} | {} | {} |",
        l.code, l.name, l.coverage, l.count, l.first, l.last, l.meaning
    );
    let _ = writeln!(s, "|---|---|---|---:|---|---|---|");
    for c in &r.summary {
        let _ = writeln!(
            s,
            "| `{}` | {} | {} | {} | {}:{}:{} | {}:{}:{} | {} |",
            c.code,
            c.name.map(|n| format!("`{n}`")).unwrap_or_default(),
            coverage(l, c.coverage),
            c.count,
            md_cell(&c.first.path),
            c.first.line,
            c.first.column,
            md_cell(&c.last.path),
            c.last.line,
            c.last.column,
            md_cell(&c.meaning)
        );
    }
    s.push('\n');
}

fn snapshots(s: &mut String, r: &ScanReport, l: &Labels) {
    if r.snapshots.is_empty() {
        return;
    }
    let _ = writeln!(s, "## {}\n", l.snapshots);
    for sn in &r.snapshots {
        let _ = writeln!(
            s,
            "### {} ({}:{})\n",
            md_cell(&snapshot_title(sn, l)),
            md_cell(&sn.path),
            sn.snapshot.line
        );
        for line in snapshot_lines(sn, l, r.lang) {
            let _ = writeln!(s, "- {}", md_cell(&line));
        }
        if !sn.diagnosis.is_empty() {
            let _ = writeln!(s, "\n**{}**\n", l.diagnosis);
            for d in &sn.diagnosis {
                let _ = writeln!(s, "- {} {}", mark(d.level()), md_cell(&d.message));
            }
        }
        s.push('\n');
    }
}

fn events(s: &mut String, r: &ScanReport, l: &Labels) {
    if r.events.is_empty() {
        return;
    }
    let _ = writeln!(s, "## {}\n", l.events);
    for e in &r.events {
        let brief = event_brief(&e.event, r.lang);
        let _ = writeln!(s, "- {}:{} `{}`", md_cell(&e.path), e.line, md_cell(&brief));
    }
    s.push('\n');
}

fn matches(s: &mut String, r: &ScanReport, l: &Labels) {
    if r.matches.is_empty() {
        return;
    }
    let _ = writeln!(s, "## {}\n", l.details);
    let _ = writeln!(s, "| {} | {} | {} |", l.place, l.code, l.context);
    let _ = writeln!(s, "|---|---|---|");
    for m in &r.matches {
        let p = &m.m.place;
        let _ = writeln!(
            s,
            "| {}:{}:{} | `{}` | {} |",
            md_cell(&p.path),
            p.line,
            p.column,
            m.m.code,
            md_cell(&m.m.context)
        );
    }
    if r.matches_truncated {
        let _ = writeln!(s, "\n{}", shown_of(r, l));
    }
    s.push('\n');
}
