//! Readable text, optionally with ANSI styles: one section per part of the report, then the
//! inputs' footer.

use std::fmt::Write as _;

use anstyle::{AnsiColor, Style};
use volact_core::finding::Level;

use super::parts::{
    event_brief, mark, notes, shown_of, skip_why, snapshot_lines, snapshot_title, totals,
};
use crate::phrases::{Labels, coverage, labels};
use crate::report::{ScanReport, Status};

struct Styles {
    head: Style,
    code: Style,
    warn: Style,
    ok: Style,
    dim: Style,
}

impl Styles {
    fn new(color: bool) -> Styles {
        if color {
            Styles {
                head: Style::new().bold(),
                code: AnsiColor::Cyan.on_default().bold(),
                warn: AnsiColor::Yellow.on_default().bold(),
                ok: AnsiColor::Green.on_default(),
                dim: Style::new().dimmed(),
            }
        } else {
            Styles {
                head: Style::new(),
                code: Style::new(),
                warn: Style::new(),
                ok: Style::new(),
                dim: Style::new(),
            }
        }
    }
}

fn paint(s: Style, t: &str) -> String {
    format!("{s}{t}{s:#}")
}

/// Readable text; `color` adds ANSI styles.
pub fn text(r: &ScanReport, color: bool) -> String {
    let l = labels(r.lang);
    let st = Styles::new(color);
    let mut s = String::new();
    // Skipped event logs are evidence for another command: their sentence says so instead.
    if r.summary.is_empty()
        && r.snapshots.is_empty()
        && r.events.is_empty()
        && r.totals.evtx_skipped == 0
    {
        let _ = writeln!(s, "{}\n", l.nothing);
    }
    summary(&mut s, r, l, &st);
    let notes = notes(r);
    for n in &notes {
        let _ = writeln!(s, "{n}");
    }
    if !notes.is_empty() {
        s.push('\n');
    }
    snapshots(&mut s, r, l, &st);
    events(&mut s, r, l, &st);
    matches(&mut s, r, l, &st);
    footer(&mut s, r, l, &st);
    s
}

fn summary(s: &mut String, r: &ScanReport, l: &Labels, st: &Styles) {
    if r.summary.is_empty() {
        return;
    }
    let files_with = r.inputs.iter().filter(|i| i.matches > 0).count();
    let _ = writeln!(
        s,
        "{}: {} {}, {} {} {files_with} {} {} {}\n",
        paint(st.head, l.summary),
        r.summary.len(),
        l.codes,
        r.totals.matches,
        l.matches_in,
        l.of,
        r.totals.inputs,
        l.inputs_word
    );
    for c in &r.summary {
        let _ = writeln!(
            s,
            "  {}  {}  [{}]  {} {} {} {}",
            paint(st.code, &c.code.to_string()),
            c.name.unwrap_or("-"),
            coverage(l, c.coverage),
            c.count,
            l.times_in,
            c.files,
            l.files
        );
        let places = format!(
            "{} {}:{}:{}  ·  {} {}:{}:{}",
            l.first,
            c.first.path,
            c.first.line,
            c.first.column,
            l.last,
            c.last.path,
            c.last.line,
            c.last.column
        );
        let _ = writeln!(s, "      {}", paint(st.dim, &places));
        let _ = writeln!(s, "      {}", c.meaning);
    }
    s.push('\n');
}

fn snapshots(s: &mut String, r: &ScanReport, l: &Labels, st: &Styles) {
    if r.snapshots.is_empty() {
        return;
    }
    let _ = writeln!(
        s,
        "{}: {}\n",
        paint(st.head, l.snapshots),
        r.snapshots.len()
    );
    for sn in &r.snapshots {
        let _ = writeln!(
            s,
            "  {}:{}  {}",
            sn.path,
            sn.snapshot.line,
            paint(st.head, &snapshot_title(sn, l))
        );
        for line in snapshot_lines(sn, l, r.lang) {
            let _ = writeln!(s, "      {line}");
        }
        for d in &sn.diagnosis {
            let style = match d.level() {
                Level::Warning | Level::Error => st.warn,
                Level::Ok => st.ok,
                Level::Info => st.dim,
            };
            let _ = writeln!(s, "      {} {}", paint(style, mark(d.level())), d.message);
        }
    }
    s.push('\n');
}

fn events(s: &mut String, r: &ScanReport, l: &Labels, st: &Styles) {
    if r.events.is_empty() {
        return;
    }
    let _ = writeln!(s, "{}: {}\n", paint(st.head, l.events), r.events.len());
    for e in &r.events {
        let _ = writeln!(
            s,
            "  {}:{}  {}",
            e.path,
            e.line,
            event_brief(&e.event, r.lang)
        );
    }
    s.push('\n');
}

fn matches(s: &mut String, r: &ScanReport, l: &Labels, st: &Styles) {
    if r.matches.is_empty() {
        return;
    }
    let _ = writeln!(s, "{}\n", paint(st.head, l.details));
    for m in &r.matches {
        let p = &m.m.place;
        let _ = writeln!(
            s,
            "  {}:{}:{}  {}  {}",
            p.path,
            p.line,
            p.column,
            paint(st.code, &m.m.code.to_string()),
            m.m.context
        );
    }
    if r.matches_truncated {
        let _ = writeln!(s, "  … {} (--max-matches)", shown_of(r, l));
    }
    s.push('\n');
}

/// Totals, event text that could not be read, and inputs skipped, failed or repaired.
fn footer(s: &mut String, r: &ScanReport, l: &Labels, st: &Styles) {
    let t = &r.totals;
    let _ = writeln!(s, "{}", totals(&paint(st.head, l.inputs), r, l));
    if t.event_problems > 0 {
        let _ = writeln!(s, "  {}: {}", l.event_problems, t.event_problems);
        for p in r.event_problems.iter().take(20) {
            let _ = writeln!(s, "    {}:{}  {}", p.path, p.line, p.message(r.lang));
        }
    }
    for i in &r.inputs {
        match i.status {
            Status::Skipped => {
                let why = skip_why(i, l, r.lang);
                let _ = writeln!(s, "  {}: {} ({why})", l.skipped, i.path);
            }
            Status::Error => {
                let _ = writeln!(
                    s,
                    "  {}: {}: {}",
                    paint(st.warn, "error"),
                    i.path,
                    i.error.as_deref().unwrap_or("")
                );
            }
            Status::Read if i.replaced => {
                let _ = writeln!(s, "  {}: {} ({})", l.read, i.path, l.replaced);
            }
            Status::Read => {}
        }
    }
}
