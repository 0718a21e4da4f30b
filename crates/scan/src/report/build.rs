//! From a [`Scan`]'s per-input results to a [`ScanReport`] in one language: codes summed over
//! the inputs and ranked (known, named, error context, other; then in order of first
//! appearance), matches kept up to the limit rank by rank, snapshots worded.

use std::collections::HashMap;

use volact_core::explain::{Coverage, explain};
use volact_core::{ErrorCode, Form, Lang};

use super::model::{
    CodeSummary, DiagnosisOut, EventOut, EventProblemOut, InputReport, Match, MatchOut, Place,
    Rank, SCHEMA_VERSION, ScanReport, SkipReason, SnapshotOut, Status, Totals,
};
use crate::engine::{CodeStat, Found1};
use crate::slmgr;

/// The result of one input, before rendering.
#[derive(Debug)]
pub(crate) struct InputResult {
    pub(crate) input: InputReport,
    pub(crate) found: Found1,
}

/// Results of a scan, language-independent; [`Scan::report`] turns them into a [`ScanReport`].
#[derive(Debug, Default)]
pub struct Scan {
    pub(crate) inputs: Vec<InputResult>,
    pub(crate) max_matches: usize,
}

impl Scan {
    /// Joins the results of another scan after this one's.
    pub fn extend(&mut self, other: Scan) {
        self.inputs.extend(other.inputs);
    }

    /// Builds the report in `lang`.
    pub fn report(&self, lang: Lang) -> ScanReport {
        let mut b = Builder {
            lang,
            max_matches: self.max_matches,
            ..Builder::default()
        };
        for r in &self.inputs {
            b.input(r);
        }
        b.finish()
    }
}

/// A code's counts over the inputs so far.
struct Acc {
    count: u64,
    files: u64,
    first: Place,
    last: Place,
    rank: Rank,
}

/// The report being built, one input after the other.
#[derive(Default)]
struct Builder {
    lang: Lang,
    max_matches: usize,
    order: Vec<ErrorCode>,
    acc: HashMap<ErrorCode, Acc>,
    totals: Totals,
    /// Matches by rank, each in input order.
    matches: [Vec<Match>; 4],
    truncated: bool,
    snapshots: Vec<SnapshotOut>,
    events: Vec<EventOut>,
    event_problems: Vec<EventProblemOut>,
    inputs: Vec<InputReport>,
}

impl Builder {
    fn input(&mut self, r: &InputResult) {
        let path = &r.input.path;
        let t = &mut self.totals;
        t.inputs += 1;
        match r.input.status {
            Status::Read => t.read += 1,
            Status::Skipped => t.skipped += 1,
            Status::Error => t.errors += 1,
        }
        t.bytes += r.input.bytes;
        t.lines += r.input.lines;
        t.matches += r.found.matches_total;
        t.other_values += r.found.other_values;
        t.other_lines += r.found.other_lines;
        if r.input.skip_reason == Some(SkipReason::Evtx) {
            t.evtx_skipped += 1;
        }
        for c in &r.found.codes {
            self.code(path, c);
        }
        self.matches(&r.found);
        self.structured(path, &r.found);
        self.inputs.push(r.input.clone());
    }

    /// Adds one input's counts of a code.
    fn code(&mut self, path: &str, c: &CodeStat) {
        let place = |(line, column): (u64, u64)| Place {
            path: path.to_owned(),
            line,
            column,
        };
        match self.acc.get_mut(&c.code) {
            Some(a) => {
                a.count += c.count;
                a.files += 1;
                a.last = place(c.last);
                a.rank = a.rank.min(c.rank);
            }
            None => {
                self.order.push(c.code);
                self.acc.insert(
                    c.code,
                    Acc {
                        count: c.count,
                        files: 1,
                        first: place(c.first),
                        last: place(c.last),
                        rank: c.rank,
                    },
                );
            }
        }
    }

    /// Keeps one input's matches by rank, each rank up to the limit over all inputs (the limit
    /// over all ranks is applied in [`Builder::finish`], known codes first).
    fn matches(&mut self, found: &Found1) {
        if (found.matches.len() as u64) < found.matches_total {
            self.truncated = true;
        }
        for (rank, m) in &found.matches {
            let kept = &mut self.matches[*rank as usize];
            if self.max_matches != 0 && kept.len() >= self.max_matches {
                self.truncated = true;
                continue;
            }
            kept.push(m.clone());
        }
    }

    /// One input's snapshots (diagnosed and worded), events and event problems.
    fn structured(&mut self, path: &str, found: &Found1) {
        for s in &found.snapshots {
            self.snapshots.push(SnapshotOut {
                path: path.to_owned(),
                diagnosis: slmgr::diagnose(s)
                    .into_iter()
                    .map(|d| DiagnosisOut::new(d, self.lang))
                    .collect(),
                snapshot: s.clone(),
            });
        }
        for e in &found.events {
            self.events.push(EventOut {
                path: path.to_owned(),
                line: e.line,
                event: e.event.clone(),
            });
        }
        let (problems, count) = &found.event_problems;
        self.totals.event_problems += count;
        for p in problems {
            self.event_problems.push(EventProblemOut {
                path: path.to_owned(),
                line: p.line,
                id: p.id,
                reason: p.reason.clone(),
                kind: p.kind.clone(),
            });
        }
    }

    fn finish(mut self) -> ScanReport {
        let lang = self.lang;
        let mut summary = Vec::with_capacity(self.order.len());
        let mut info: HashMap<ErrorCode, (Coverage, Option<&'static str>, Rank)> = HashMap::new();
        for code in std::mem::take(&mut self.order) {
            let a = self.acc.remove(&code).expect("accumulated");
            let e = explain(code, Form::PrefixedHex, lang);
            info.insert(code, (e.coverage, e.name, a.rank));
            summary.push(CodeSummary {
                code,
                name: e.name,
                coverage: e.coverage,
                severity: e.severity,
                count: a.count,
                files: a.files,
                first: a.first,
                last: a.last,
                meaning: e.summary,
                rank: a.rank,
            });
        }
        // Stable: first appearance within each rank.
        summary.sort_by_key(|c| c.rank);
        let mut matches = Vec::new();
        for (i, ranked) in std::mem::take(&mut self.matches).into_iter().enumerate() {
            for m in ranked {
                if self.max_matches != 0 && matches.len() >= self.max_matches {
                    self.truncated = true;
                    break;
                }
                let (coverage, name) = info.get(&m.code).map_or_else(
                    || {
                        let e = explain(m.code, m.form, lang);
                        (e.coverage, e.name)
                    },
                    |x| (x.0, x.1),
                );
                let rank = Rank::ALL[i];
                matches.push(MatchOut {
                    m,
                    coverage,
                    name,
                    rank,
                });
            }
        }
        let mut totals = self.totals;
        totals.distinct_codes = summary.len() as u64;
        totals.snapshots = self.snapshots.len() as u64;
        totals.events = self.events.len() as u64;
        ScanReport {
            schema_version: SCHEMA_VERSION,
            lang,
            summary,
            matches,
            matches_truncated: self.truncated,
            snapshots: self.snapshots,
            events: self.events,
            event_problems: self.event_problems,
            inputs: self.inputs,
            totals,
        }
    }
}
