//! The analyzer: takes every record the readers give it, applies `--since`, `--until` and
//! `--client`, hands host requests to the host analysis, keeps client events for pairing, and
//! builds the [`Report`].

use std::collections::BTreeMap;

use volact_core::event::{Event, EventData, Timestamp};
use volact_core::finding::Level;
use volact_core::{ErrorCode, Lang};

use super::client::client_view;
use super::findings::findings;
use super::host::{Host, HostIn};
use super::options::*;
use super::report::*;
use super::rows::ClientRows;
use super::store::norm_name;
use crate::guid::{GuidRef, parse_guid_lower};
use crate::record::{RawEvent, Unused};

/// Collects events from any number of inputs.
#[derive(Debug, Default)]
pub struct Analyzer {
    opts: Options,
    client_filter: Option<String>,
    read: u64,
    used: u64,
    skipped: BTreeMap<SkipReason, u64>,
    bad_examples: Vec<crate::BadExample>,
    warnings: Vec<crate::Warning>,
    warnings_total: u64,
    notes: Vec<crate::Warning>,
    records_absent: u64,
    bad_chunks: u64,
    partial: BTreeMap<volact_core::event::text::Redaction, u64>,
    client_events: Vec<Event>,
    slui: Vec<Event>,
    slui_total: u64,
    /// The host side: client rows, the count, per-day requests, DNS publishing.
    host: Host,
    other_codes: BTreeMap<(u32, ErrorCode), u64>,
    /// 8198 and the Software Protection events of `SPP_IDS`, per client.
    spp: super::spp::SppLog,
    newest: Option<Timestamp>,
    oldest: Option<Timestamp>,
}

impl Analyzer {
    /// An empty analyzer.
    pub fn new(opts: Options) -> Self {
        let client_filter = opts.client.as_deref().map(norm_name);
        let filtering = opts.since.is_some() || opts.until.is_some() || client_filter.is_some();
        Self {
            host: Host::new(filtering, opts.now),
            opts,
            client_filter,
            ..Self::default()
        }
    }

    /// Counts `n` records read.
    pub fn read(&mut self, n: u64) {
        self.read += n;
    }

    /// Records read so far.
    pub fn records_read(&self) -> u64 {
        self.read
    }

    /// Activation events used so far.
    pub fn events_used(&self) -> u64 {
        self.used
    }

    /// Records skipped so far.
    pub fn records_skipped(&self) -> u64 {
        self.skipped.values().sum()
    }

    /// Counts one skipped record.
    pub fn skip(&mut self, why: SkipReason) {
        self.skip_n(why, 1);
    }

    /// Counts `n` skipped records.
    pub fn skip_n(&mut self, why: SkipReason, n: u64) {
        if n > 0 {
            *self.skipped.entry(why).or_default() += n;
        }
    }

    /// Records a warning (at most [`MAX_WARNINGS`] kept, all counted).
    pub fn warn(&mut self, file: &str, kind: crate::WarningKind) {
        self.warnings_total += 1;
        if self.warnings.len() < MAX_WARNINGS {
            self.warnings.push(crate::Warning::new(file, kind));
        }
    }

    /// Records a neutral note (not damage; at most [`MAX_WARNINGS`] kept): record numbers
    /// absent from a log are counted in [`Stats::records_absent`].
    pub fn note(&mut self, file: &str, kind: crate::WarningKind) {
        if let crate::WarningKind::RecordsAbsent { first, last } = kind {
            self.records_absent += last.saturating_sub(first) + 1;
        }
        if self.notes.len() < MAX_WARNINGS {
            self.notes.push(crate::Warning::new(file, kind));
        }
    }

    /// Counts a record used with some fields hidden (placeholders or masks, read as absent).
    pub fn partial(&mut self, how: volact_core::event::text::Redaction) {
        *self.partial.entry(how).or_default() += 1;
    }

    /// Records counted as partial so far.
    pub fn records_partial(&self) -> u64 {
        self.partial.values().sum()
    }

    /// Records skipped so far for `why`.
    pub fn skipped_for(&self, why: SkipReason) -> u64 {
        self.skipped.get(&why).copied().unwrap_or(0)
    }

    /// Counts a chunk that could not be read.
    pub fn count_bad_chunk(&mut self) {
        self.bad_chunks += 1;
    }

    /// A raw XML event (the record was already counted as read).
    pub fn raw(&mut self, raw: RawEvent) {
        self.typed(raw.into_event());
    }

    /// A typed event, or why the record is not one (the record was already counted as read).
    pub fn typed(&mut self, r: Result<Event, Unused>) {
        match r {
            Ok(ev) => self.event(ev),
            Err(Unused::NotActivation) => self.skip(SkipReason::OtherEvent),
            Err(Unused::NoId) => self.skip(SkipReason::NoEventId),
            Err(Unused::Bad(why)) => self.bad_info(&why),
        }
    }

    /// Like [`Analyzer::typed`], for an event the caller keeps (it is cloned only if listed).
    pub fn typed_ref(&mut self, r: &Result<Event, Unused>) {
        match r {
            Ok(ev) => self.event_ref(ev),
            Err(Unused::NotActivation) => self.skip(SkipReason::OtherEvent),
            Err(Unused::NoId) => self.skip(SkipReason::NoEventId),
            Err(Unused::Bad(why)) => self.bad_info(why),
        }
    }

    /// An activation event whose data could not be read (the record was already counted).
    pub fn bad(&mut self, why: crate::BadExample) {
        self.skip(SkipReason::BadData);
        if self.bad_examples.len() < 20 {
            self.bad_examples.push(why);
        }
    }

    fn bad_info(&mut self, e: &volact_core::event::InfoError) {
        let id = match e {
            volact_core::event::InfoError::Empty { id }
            | volact_core::event::InfoError::MissingCode { id }
            | volact_core::event::InfoError::BadField { id, .. } => Some(*id),
            _ => None,
        };
        self.bad(crate::BadExample::new(None, id, e.into()));
    }

    /// Whether a host request's client name or CMID matches `--client`.
    fn host_matches(&self, client: Option<&[u8]>, cmid: Option<GuidRef<'_>>) -> bool {
        let Some(f) = &self.client_filter else {
            return true;
        };
        let name_matches = |n: &[u8]| {
            let n = norm_name(&String::from_utf8_lossy(n));
            n == *f || n.split('.').next() == Some(f.as_str())
        };
        let want = f.trim_matches(['{', '}']);
        client.is_some_and(name_matches)
            || match cmid {
                None => false,
                Some(GuidRef::Text(c)) => c == want,
                Some(GuidRef::Guid(g)) => parse_guid_lower(want.as_bytes()) == Some(g),
            }
    }

    /// Applies `--since`/`--until` to an event time: `Err` is why the event is skipped.
    fn in_range(&self, time: Option<Timestamp>) -> Result<(), SkipReason> {
        if self.opts.since.is_some() || self.opts.until.is_some() {
            let Some(t) = time else {
                return Err(SkipReason::NoTime);
            };
            if self.opts.since.is_some_and(|s| t.unix() < s.unix())
                || self.opts.until.is_some_and(|u| t.unix() > u.unix())
            {
                return Err(SkipReason::OutsideTimeRange);
            }
        }
        Ok(())
    }

    fn seen(&mut self, time: Option<Timestamp>) {
        if let Some(t) = time {
            if self.newest.is_none_or(|n| t.unix() > n.unix()) {
                self.newest = Some(t);
            }
            if self.oldest.is_none_or(|o| t.unix() < o.unix()) {
                self.oldest = Some(t);
            }
        }
    }

    /// A 12290 read by the `.evtx` fast path's typed lane (the record was already counted as
    /// read): the same as [`Analyzer::event_ref`] with the typed event.
    pub(crate) fn host_in(&mut self, h: &HostIn<'_>) {
        self.host.note_whole_log(h);
        if let Err(why) = self.in_range(h.time) {
            self.skip(why);
            return;
        }
        if !self.host_matches(h.client, h.cmid) {
            self.skip(SkipReason::OtherClient);
            return;
        }
        self.seen(h.time);
        if self.host.add(h) {
            self.used += 1;
        } else {
            self.skip(SkipReason::Limit);
        }
    }

    fn matches_client(&self, ev: &Event) -> bool {
        let Some(f) = &self.client_filter else {
            return true;
        };
        let name_matches = |n: &str| {
            let n = norm_name(n);
            n == *f || n.split('.').next() == Some(f.as_str())
        };
        let cmid_matches = |c: &Option<String>| {
            c.as_deref()
                .is_some_and(|c| c == f.trim_matches(['{', '}']))
        };
        match &ev.data {
            EventData::HostRequest(h) => self.host_matches(
                h.client.as_deref().map(str::as_bytes),
                h.cmid.as_deref().map(GuidRef::of),
            ),
            EventData::ClientRequest(r) => {
                ev.computer.as_deref().is_some_and(name_matches) || cmid_matches(&r.cmid)
            }
            EventData::ClientResponse(_) | EventData::SluiFailed(_) | EventData::Spp(_) => {
                ev.computer.as_deref().is_some_and(name_matches)
            }
            _ => true,
        }
    }

    /// Reads (and discards) the memory that [`Analyzer::host_in`] will update for requests with
    /// these CMIDs (see `Host::warm`). Changes nothing.
    pub(crate) fn warm(&self, cmids: &[u128]) -> usize {
        self.host.warm(cmids)
    }

    /// The client rows in report order, built on up to `threads` threads.
    #[cfg(test)]
    pub(super) fn take_clients(&mut self, lang: Lang, threads: usize) -> Vec<ClientRow> {
        self.host.take_clients(lang, threads)
    }

    /// An activation event (the record was already counted as read).
    pub fn event(&mut self, ev: Event) {
        self.event_ref(&ev);
    }

    /// Like [`Analyzer::event`], for an event the caller keeps (it is cloned only if listed).
    pub fn event_ref(&mut self, ev: &Event) {
        if let EventData::HostRequest(h) = &ev.data {
            self.host.note_whole_log(&HostIn::of(ev.time, h));
        }
        if let Err(why) = self.in_range(ev.time) {
            self.skip(why);
            return;
        }
        if !self.matches_client(ev) {
            self.skip(SkipReason::OtherClient);
            return;
        }
        self.seen(ev.time);
        match &ev.data {
            EventData::HostRequest(h) => {
                if self.host.add(&HostIn::of(ev.time, h)) {
                    self.used += 1;
                } else {
                    self.skip(SkipReason::Limit);
                }
            }
            EventData::ClientRequest(_) | EventData::ClientResponse(_) => {
                if self.client_events.len() < MAX_CLIENT_EVENTS {
                    self.client_events.push(ev.clone());
                    self.used += 1;
                } else {
                    self.skip(SkipReason::Limit);
                }
            }
            EventData::DnsPublishFailed(_) => {
                self.used += 1;
                self.host.dns_failed(ev);
            }
            EventData::DnsPublished(_) => {
                self.used += 1;
                self.host.dns_published();
            }
            EventData::SluiFailed(s) => {
                self.spp.add(ev);
                self.used += 1;
                self.slui_total += 1;
                if let Some(c) = s.code {
                    *self.other_codes.entry((ev.id, c)).or_default() += 1;
                }
                if self.slui.len() < MAX_LISTED {
                    self.slui.push(ev.clone());
                }
            }
            EventData::Spp(_) => {
                self.used += 1;
                self.spp.add(ev);
            }
            EventData::LicensingStatus(_) | EventData::Other { .. } => {
                self.used += 1;
                for c in ev.data.codes() {
                    if self.other_codes.len() < MAX_LISTED {
                        *self.other_codes.entry((ev.id, c)).or_default() += 1;
                    }
                }
            }
        }
    }

    /// Builds the report in `lang`.
    pub fn report(self, lang: Lang) -> Report {
        self.report_with(lang, ClientRows::All)
    }

    /// Like [`Analyzer::report`], with only the client rows `rows` asks for in
    /// [`HostView::clients`] (`clients_total` and the other sections stay complete). The text
    /// and Markdown reports show the first rows only, and building tens of thousands of rows
    /// they would not show is most of the cost of a large report.
    pub fn report_with(mut self, lang: Lang, rows: ClientRows) -> Report {
        let code_counts = Codes::new(lang);
        let client = client_view(&self.client_events, lang);
        let host = std::mem::take(&mut self.host).view(lang, &code_counts, rows);
        let spp_log = std::mem::take(&mut self.spp);
        let (spp, resolver) = if spp_log.is_empty() {
            (None, super::spp::Resolver::default())
        } else {
            let (v, r) = spp_log.view(client.as_ref().map_or(&[][..], |c| &c.attempts), lang);
            (Some(v), r)
        };
        let other = super::spp::code_list(&self.other_codes, lang);
        let slui: Vec<SluiRow> = self
            .slui
            .iter()
            .filter_map(|e| match &e.data {
                EventData::SluiFailed(s) => Some(SluiRow {
                    time: e.time,
                    computer: e.computer.clone(),
                    code: s.code.map(|c| CodeCount::new(c, 1, lang)),
                    trigger: s.trigger.clone(),
                    sku_id: s.sku_id.clone(),
                    product: s.sku_id.as_deref().and_then(super::products::product_name),
                    transient: resolver.event_resolved(e, s.sku_id.as_deref()),
                }),
                _ => None,
            })
            .collect();
        let skipped: Vec<SkipCount> = SkipReason::ALL
            .iter()
            .filter_map(|r| {
                self.skipped.get(r).map(|n| SkipCount {
                    reason: *r,
                    label: r.label(lang),
                    count: *n,
                })
            })
            .collect();
        let mut report = Report {
            schema_version: 1,
            lang,
            stats: Stats {
                records_read: self.read,
                events_used: self.used,
                records_skipped: self.skipped.values().sum(),
                skipped,
                bad_examples: self
                    .bad_examples
                    .iter()
                    .map(|b| b.message(Lang::En))
                    .collect(),
                bad_example_details: self.bad_examples,
                damaged_chunks: self.bad_chunks,
                records_absent: self.records_absent,
                records_partial: self.partial.values().sum(),
                partial: self
                    .partial
                    .iter()
                    .map(|(how, n)| PartialCount {
                        reason: *how,
                        label: crate::phrases::partial_label(*how, lang),
                        count: *n,
                    })
                    .collect(),
                oldest: self.oldest,
                newest: self.newest,
            },
            warnings: self.warnings.iter().map(|w| w.message(Lang::En)).collect(),
            warnings_total: self.warnings_total,
            warning_details: self.warnings,
            notes: self.notes.iter().map(|w| w.message(Lang::En)).collect(),
            note_details: self.notes,
            attention: Vec::new(),
            findings: Vec::new(),
            client,
            host,
            slui_failures: slui,
            slui_failures_total: self.slui_total,
            other_codes: other,
            spp,
            inputs: Vec::new(),
        };
        report.findings = findings(&report);
        report.attention = report
            .findings
            .iter()
            .filter(|f| f.level > Level::Ok)
            .map(|f| f.id())
            .collect();
        report
    }
}
