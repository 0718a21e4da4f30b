//! The event logs of a bundle, read by `volact-events` (.evtx and XML exports alike): one report
//! over all of them (the client and host views of `volact events`), plus per-file counts and the
//! codes each file carries.

use std::io::Cursor;

use volact_core::{ErrorCode, Lang};
use volact_events::analyze::{Analyzer, Options, Report};
use volact_events::source::{Kind, read_stream, sniff};
use volact_events::{Warning, WarningKind};

use crate::analysis::EventLog;
use crate::bundle::{Bundle, BundleFile};
use crate::manifest::FileKind;

/// What the event files gave.
pub(crate) struct EventsRead {
    /// One entry per event file.
    pub(crate) logs: Vec<EventLog>,
    /// The report over all event files, when there were any.
    pub(crate) report: Option<Report>,
    /// Codes per file: (file, code, occurrences).
    pub(crate) codes: Vec<(String, ErrorCode, u64)>,
}

/// Which log a bundle file holds, from the step that exported it.
fn log_of(f: &BundleFile) -> &'static str {
    if f.step.contains("kms") || f.name.contains("key-management") {
        "kms"
    } else {
        "application"
    }
}

fn is_event_file(f: &BundleFile) -> bool {
    matches!(f.kind, FileKind::Evtx | FileKind::EventXml)
}

/// Codes a report carries: attempts, host answers, and other activation events (8198, 1003...).
fn report_codes(r: &Report) -> Vec<(ErrorCode, u64)> {
    let mut out: Vec<(ErrorCode, u64)> = Vec::new();
    let mut add = |c: ErrorCode, n: u64| {
        if c.value() == 0 {
            return;
        }
        match out.iter_mut().find(|x| x.0 == c) {
            Some(x) => x.1 += n,
            None => out.push((c, n)),
        }
    };
    if let Some(c) = &r.client {
        for cc in &c.codes {
            add(cc.code, cc.count);
        }
    }
    if let Some(h) = &r.host {
        for cc in &h.codes {
            add(cc.code, cc.count);
        }
    }
    for o in &r.other_codes {
        add(o.code.code, o.code.count);
    }
    out
}

/// Reads one event file held in memory into `an`. An `.evtx` file is read in place (through
/// `read_stream` it would be copied whole first, as standard input must be).
fn read_file(f: &BundleFile, an: &mut Analyzer) -> Result<(), String> {
    let data = &f.data[..];
    if sniff(&data[..data.len().min(64)]) == Kind::Evtx {
        volact_events::evtx::read_evtx(Cursor::new(data), &f.name, an)
            .map(|_| ())
            .map_err(|e| format!("{} is not a readable .evtx file: {e}", f.name))
    } else {
        read_stream(&f.name, Cursor::new(data), an).map(|_| ())
    }
}

/// Reads every event file of the bundle: each on its own (per-file counts and codes), then all
/// together (one report). The per-file analyses are finished and dropped before the combined one
/// starts, so their memory is never held at the same time.
pub(crate) fn read(bundle: &Bundle, lang: Lang) -> EventsRead {
    let mut logs = Vec::new();
    let mut codes = Vec::new();
    let files: Vec<&BundleFile> = bundle.files.iter().filter(|f| is_event_file(f)).collect();
    for f in &files {
        let mut one = Analyzer::new(Options::default());
        let error = read_file(f, &mut one).err();
        let records = one.records_read();
        let used = one.events_used();
        let r = one.report(lang);
        for (c, n) in report_codes(&r) {
            codes.push((f.name.clone(), c, n));
        }
        logs.push(EventLog {
            file: f.name.clone(),
            log: log_of(f),
            records,
            activation_events: used,
            note: error
                .map(|error| Warning::new(&f.name, WarningKind::FileUnreadable { error }))
                .or_else(|| r.warning_details.first().cloned())
                .map(|w| w.message(lang)),
        });
    }
    let report = (!files.is_empty()).then(|| {
        let mut all = Analyzer::new(Options::default());
        for f in &files {
            if let Err(error) = read_file(f, &mut all) {
                all.warn(&f.name, WarningKind::FileUnreadable { error });
            }
        }
        all.report(lang)
    });
    EventsRead {
        logs,
        report,
        codes,
    }
}
