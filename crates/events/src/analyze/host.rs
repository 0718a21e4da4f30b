//! Host analysis: 12290 requests aggregated per client row as they arrive, the count the host
//! would have now (distinct CMIDs of the 30-day window against the 25/5 thresholds), clock
//! skew, cloned CMIDs, the per-day histogram, and DNS publishing (12293/12294).

use std::collections::{BTreeMap, HashMap};

use volact_core::event::{Event, EventData, HostRequest, LicenseState, Timestamp};
use volact_core::{ErrorCode, Lang};

use super::options::*;
use super::report::*;
use super::rows::*;
use super::store::*;
use crate::guid::*;

/// A 12290 request as the host aggregation reads it, from a typed [`HostRequest`] or from the
/// allocation-free lane of the `.evtx` fast path.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct HostIn<'a> {
    pub(crate) time: Option<Timestamp>,
    pub(crate) code: Option<ErrorCode>,
    pub(crate) min_count: Option<u32>,
    /// The client name as UTF-8 (checked: from a `String`, or ASCII from the lane), kept as bytes
    /// so that the lane's names need no check per request.
    pub(crate) client: Option<&'a [u8]>,
    pub(crate) cmid: Option<GuidRef<'a>>,
    pub(crate) client_time: Option<Timestamp>,
    pub(crate) vm: Option<bool>,
    pub(crate) license_state: Option<LicenseState>,
    pub(crate) minutes_to_expiry: Option<u64>,
    pub(crate) activation_id: Option<GuidRef<'a>>,
}

impl<'a> HostIn<'a> {
    pub(crate) fn of(time: Option<Timestamp>, h: &'a HostRequest) -> Self {
        Self {
            time,
            code: h.code,
            min_count: h.min_count,
            client: h.client.as_deref().map(str::as_bytes),
            cmid: h.cmid.as_deref().map(GuidRef::of),
            client_time: h.client_time,
            vm: h.vm,
            license_state: h.license_state,
            minutes_to_expiry: h.minutes_to_expiry,
            activation_id: h.activation_id.as_deref().map(GuidRef::of),
        }
    }
}

/// How often the host returned each code: the first [`HostCodes::FEW`] codes in a short list
/// searched in order (a host returns a handful of codes, and this is updated on every request),
/// any further ones in a map (so that a log of many codes costs no more than a map).
#[derive(Debug, Default)]
pub(super) struct HostCodes {
    pub(super) few: Vec<(ErrorCode, u64)>,
    pub(super) more: BTreeMap<ErrorCode, u64>,
}

impl HostCodes {
    pub(super) const FEW: usize = 16;

    pub(super) fn add(&mut self, c: ErrorCode) {
        if let Some(e) = self.few.iter_mut().find(|e| e.0 == c) {
            e.1 += 1;
        } else if self.few.len() < Self::FEW {
            self.few.push((c, 1));
        } else {
            *self.more.entry(c).or_default() += 1;
        }
    }

    /// Every code once, with its count (in no particular order).
    pub(super) fn iter(&self) -> impl Iterator<Item = (ErrorCode, u64)> + '_ {
        self.few
            .iter()
            .copied()
            .chain(self.more.iter().map(|(c, n)| (*c, *n)))
    }
}

/// Requests of one day by outcome: requests, activated, count too low, failed.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(super) struct DayAgg(pub(super) [u64; 4]);

impl DayAgg {
    pub(super) fn of(code: Option<ErrorCode>) -> Self {
        let mut d = [1, 0, 0, 0];
        match code.map(ErrorCode::value) {
            Some(0) => d[1] = 1,
            Some(COUNT_TOO_LOW) => d[2] = 1,
            _ => d[3] = 1,
        }
        Self(d)
    }

    pub(super) fn add(&mut self, o: Self) {
        for (a, b) in self.0.iter_mut().zip(o.0) {
            *a += b;
        }
    }
}

/// Adds `d` to day `day` (days since 1970-01-01), keeping the newest [`MAX_DAYS`] days: the
/// requests of a day that is dropped (or never kept) are added to `omitted`. The kept days are
/// the newest ones whatever the order of arrival.
pub(super) fn day_add(map: &mut BTreeMap<i64, DayAgg>, omitted: &mut u64, day: i64, d: DayAgg) {
    if let Some(e) = map.get_mut(&day) {
        e.add(d);
        return;
    }
    if map.len() >= MAX_DAYS {
        match map.first_key_value() {
            Some((&oldest, _)) if oldest < day => {
                if let Some((_, old)) = map.pop_first() {
                    *omitted += old.0[0];
                }
            }
            _ => {
                *omitted += d.0[0];
                return;
            }
        }
    }
    map.insert(day, d);
}

/// Records a request in a CMID's count state: its newest time, and the minimum count of its
/// newest request (a request without a time counts as newest only while none has a time).
#[inline]
pub(super) fn note_cmid(last: &mut OptTs, min_count: &mut Option<u32>, h: &HostIn<'_>) {
    let newer = match (h.time, last.unix()) {
        (Some(t), Some(l)) => t.unix() >= l,
        (Some(_), None) => true,
        (None, l) => l.is_none(),
    };
    if newer {
        if h.time.is_some() {
            *last = OptTs::new(h.time);
        }
        *min_count = h.min_count.or(*min_count);
    }
}

/// A CMID's state for the host count: its newest request and that request's minimum count.
#[derive(Debug, Default, Clone, Copy)]
pub(super) struct CmidLast {
    pub(super) last: OptTs,
    pub(super) min_count: Option<u32>,
}

/// What the host count needs from every host request of the log, whatever `--since`, `--until`
/// or `--client` keep: the count, its thresholds and its 30-day window describe the host, not
/// the requests shown. Kept only when a filter is given (without one, the client rows hold the
/// same state). At most [`MAX_CLIENTS`] CMIDs, like the rows.
#[derive(Debug, Default)]
pub(super) struct WholeLog {
    pub(super) guid: HashMap<u128, CmidLast, FxBuild>,
    pub(super) text: HashMap<Box<str>, CmidLast, FxBuild>,
    /// The newest host request (the default "now").
    pub(super) newest: Option<Timestamp>,
}

impl WholeLog {
    pub(super) fn add(&mut self, h: &HostIn<'_>) {
        if let Some(t) = h.time
            && self.newest.is_none_or(|n| t.unix() > n.unix())
        {
            self.newest = Some(t);
        }
        let full = self.guid.len() + self.text.len() >= MAX_CLIENTS;
        let e = match h.cmid {
            None | Some(GuidRef::Text("")) => return,
            Some(GuidRef::Guid(g)) if full => self.guid.get_mut(&g),
            Some(GuidRef::Guid(g)) => Some(self.guid.entry(g).or_default()),
            Some(GuidRef::Text(t)) if self.text.contains_key(t) => self.text.get_mut(t),
            Some(GuidRef::Text(_)) if full => None,
            Some(GuidRef::Text(t)) => Some(self.text.entry(t.into()).or_default()),
        };
        if let Some(e) = e {
            note_cmid(&mut e.last, &mut e.min_count, h);
        }
    }

    pub(super) fn get(&self, cmid: CmidOf<'_>) -> Option<&CmidLast> {
        match cmid {
            CmidOf::Guid(g) => self.guid.get(&g),
            CmidOf::Text(t) => self.text.get(t),
        }
    }
}

/// The host count's window: `(start, now]` in seconds since 1970.
#[derive(Debug, Clone, Copy)]
pub(super) struct Window {
    pub(super) start: i64,
    pub(super) now: i64,
}

impl Window {
    /// Whether a CMID whose newest request is `last` is in the count.
    pub(super) fn counts(self, last: OptTs) -> bool {
        last.unix().is_some_and(|t| t > self.start && t <= self.now)
    }

    /// Whether a CMID whose newest request is `last` is left out of the count because that
    /// request is outside the window (a CMID without a time is neither in nor out).
    pub(super) fn outside(self, last: OptTs) -> bool {
        last.unix().is_some() && !self.counts(last)
    }
}

/// The host side of the analysis (12290, 12293, 12294).
#[derive(Debug, Default)]
pub(super) struct Host {
    /// "Now" for the count (`--now`); the newest host request otherwise.
    pub(super) now: Option<Timestamp>,
    pub(super) client_rows: usize,
    pub(super) cmids: CmidMap,
    pub(super) requests: u64,
    pub(super) codes: HostCodes,
    /// Requests of the current day not yet added to `per_day` (most logs are in time order).
    pub(super) day_pending: Option<(i64, DayAgg)>,
    pub(super) per_day: BTreeMap<i64, DayAgg>,
    pub(super) per_day_omitted: u64,
    pub(super) skewed_requests: u64,
    pub(super) dns_failures: Vec<Event>,
    pub(super) dns_failures_total: u64,
    pub(super) dns_published: u64,
    pub(super) newest_host: Option<Timestamp>,
    /// Whether `--since`, `--until` or `--client` is given: then the host count comes from
    /// `whole_log`, not from the (filtered) client rows.
    pub(super) filtering: bool,
    /// The count's state from every host request, filters or not (kept only when filtering).
    pub(super) whole_log: WholeLog,
    /// The clients by product family, tallied over every row while the rows are ordered.
    pub(super) families: Option<(Vec<super::products::FamilyCount>, u64, u64)>,
}

impl Host {
    pub(super) fn new(filtering: bool, now: Option<Timestamp>) -> Self {
        Self {
            filtering,
            now,
            ..Self::default()
        }
    }

    /// Notes a host request for the count of the whole log (before any filter; only when
    /// filtering, since the rows hold the same state otherwise).
    pub(super) fn note_whole_log(&mut self, h: &HostIn<'_>) {
        if self.filtering {
            self.whole_log.add(h);
        }
    }

    /// A 12293 (DNS publishing failed).
    pub(super) fn dns_failed(&mut self, ev: &Event) {
        self.dns_failures_total += 1;
        if self.dns_failures.len() < MAX_LISTED {
            self.dns_failures.push(ev.clone());
        }
    }

    /// A 12294 (DNS record published).
    pub(super) fn dns_published(&mut self) {
        self.dns_published += 1;
    }

    /// Reads (and discards) the memory that `Analyzer::host_in` will update for requests
    /// with these CMIDs: the map slots (with their first rows), then the names and code counts
    /// they point to. Called for a whole chunk of requests before they are aggregated, so the
    /// cache misses of many requests overlap instead of coming one after another (a host log has
    /// tens of thousands of CMIDs, far more than the cache holds). Changes nothing.
    pub(super) fn warm(&self, cmids: &[u128]) -> usize {
        let t = |t: OptTs| t.0 as usize;
        let mut x = 0usize;
        // Pass 1: the slots (independent loads, so the processor overlaps their misses).
        let slots: Vec<&CmidAgg> = cmids
            .iter()
            .filter_map(|g| self.cmids.guid.get(g))
            .collect();
        // Pass 2: every field of the slot and its first row (all their cache lines).
        for e in &slots {
            x ^= t(e.last)
                ^ e.min_count.map_or(0, |m| m as usize)
                ^ usize::from(e.rows.more.is_some());
            if let Some(r) = e.rows.first() {
                x ^= r.requests as usize
                    ^ t(r.first_seen)
                    ^ t(r.last_seen)
                    ^ t(r.last_client_time)
                    ^ r.last_code as usize
                    ^ r.license_state as usize
                    ^ r.minutes_to_expiry as usize
                    ^ usize::from(r.vm == Some(true))
                    ^ r.activation_guid[0] as usize
                    ^ r.min_count as usize
                    ^ r.skewed_requests as usize
                    ^ r.max_skew as usize
                    ^ usize::from(r.flags)
                    ^ r.codes.first_count() as usize;
            }
        }
        // Pass 3: what the rows point to (a name too long to be kept inline).
        for e in &slots {
            if let Some(r) = e.rows.first()
                && r.name.is_heap()
            {
                x ^= r.name.as_bytes().first().copied().map_or(0, usize::from);
            }
        }
        x
    }

    /// Aggregates one host request into its client row; `false` when the row limit leaves it out.
    pub(super) fn add(&mut self, h: &HostIn<'_>) -> bool {
        let name = h.client.unwrap_or(b"");
        let cmid = h.cmid.unwrap_or(GuidRef::Text(""));
        let full = self.client_rows >= MAX_CLIENTS;
        let Some(entry) = self.cmids.get_mut(cmid, !full) else {
            return false;
        };
        let pos = entry.rows.iter().position(|r| {
            // Nearly always written the same way each time: compared exactly first.
            let n = r.name.as_bytes();
            n == name || n.eq_ignore_ascii_case(name)
        });
        let idx = match pos {
            Some(i) => i,
            None if full => return false,
            None => {
                entry
                    .rows
                    .push(ClientAgg::new(&String::from_utf8_lossy(name)));
                self.client_rows += 1;
                entry.rows.len() - 1
            }
        };
        self.requests += 1;
        if let Some(c) = h.code {
            self.codes.add(c);
        }
        if let Some(t) = h.time {
            if self.newest_host.is_none_or(|n| t.unix() > n.unix()) {
                self.newest_host = Some(t);
            }
            let day = t.unix().div_euclid(86_400);
            match &mut self.day_pending {
                Some((d, agg)) if *d == day => agg.add(DayAgg::of(h.code)),
                pending => {
                    if let Some((d, agg)) = pending.take() {
                        day_add(&mut self.per_day, &mut self.per_day_omitted, d, agg);
                    }
                    *pending = Some((day, DayAgg::of(h.code)));
                }
            }
        }
        let skew = match (h.time, h.client_time) {
            (Some(t), Some(c)) if t.is_utc() => Some(c.unix() - t.unix()),
            _ => None,
        };
        let skewed = skew.is_some_and(|s| s.abs() > MAX_SKEW_SECS);
        if skewed {
            self.skewed_requests += 1;
        }
        note_cmid(&mut entry.last, &mut entry.min_count, h);
        let Some(a) = entry.rows.get_mut(idx) else {
            return false;
        };
        a.requests += 1;
        if let Some(c) = h.code {
            a.codes.add(c);
        }
        if skewed {
            a.skewed_requests += 1;
        }
        if let Some(s) = skew
            && a.max_skew().is_none_or(|m| s.abs() > m.abs())
        {
            a.set_max_skew(s);
        }
        if let Some(t) = h.time
            && a.first_seen.unix().is_none_or(|f| t.unix() < f)
        {
            a.first_seen = OptTs::new(Some(t));
        }
        let latest = match (h.time, a.last_seen.unix()) {
            (Some(t), Some(l)) => t.unix() >= l,
            (Some(_), None) | (None, None) => true,
            (None, Some(_)) => false,
        };
        if latest {
            if h.time.is_some() {
                a.last_seen = OptTs::new(h.time);
            }
            a.last_client_time = OptTs::new(h.client_time);
            a.set_latest(h.code, h.license_state, h.min_count);
            a.set_minutes_to_expiry(h.minutes_to_expiry);
            a.vm = h.vm;
            a.set_activation_id(h.activation_id);
        }
        true
    }

    /// The host view (the state is dropped once its rows are built).
    pub(super) fn view(
        mut self,
        lang: Lang,
        code_counts: &Codes,
        rows: ClientRows,
    ) -> Option<HostView> {
        if let Some((d, agg)) = self.day_pending.take() {
            day_add(&mut self.per_day, &mut self.per_day_omitted, d, agg);
        }
        if self.requests == 0 && self.dns_failures_total == 0 && self.dns_published == 0 {
            return None;
        }
        let count = self.count_now();
        let mut cloned: Vec<CloneRow> = self
            .cmids
            .iter()
            .filter(|(cmid, c)| c.rows.len() > 1 && !cmid.is_empty())
            .map(|(cmid, c)| {
                let mut names: Vec<String> =
                    c.rows.iter().map(|r| r.name.as_str().to_owned()).collect();
                names.sort_by_cached_key(|n| norm_name(n));
                names.truncate(MAX_NAMES_PER_CMID);
                CloneRow {
                    cmid: cmid.text(),
                    names,
                    names_total: c.rows.len() as u64,
                }
            })
            .collect();
        cloned.sort_by(|a, b| b.names_total.cmp(&a.names_total).then(a.cmid.cmp(&b.cmid)));
        let threads = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
        let (clients, skewed, clients_total, outside) =
            self.take_clients_upto(lang, threads, rows.limit());
        let (families, products_omitted, refused_unnamed) =
            self.families.take().unwrap_or_default();
        let dns_failures: Vec<DnsRow> = self
            .dns_failures
            .iter()
            .filter_map(|e| match &e.data {
                EventData::DnsPublishFailed(d) => Some(DnsRow {
                    time: e.time,
                    computer: e.computer.clone(),
                    domain: d.domain.clone(),
                    code: d.code.map(|c| CodeCount::new(c, 1, lang)),
                }),
                _ => None,
            })
            .collect();
        Some(HostView {
            requests: self.requests,
            clients_total: clients_total as u64,
            clients_outside_window: outside,
            count,
            codes: code_counts.list(self.codes.iter()),
            skewed_requests: self.skewed_requests,
            skewed,
            cloned,
            dns_failures,
            dns_failures_total: self.dns_failures_total,
            dns_published: self.dns_published,
            clients,
            per_day: self
                .per_day
                .iter()
                .map(|(day, d)| {
                    let (y, m, dd, ..) = Timestamp::from_unix(day * 86_400, true).civil();
                    DayCount {
                        date: format!("{y:04}-{m:02}-{dd:02}"),
                        requests: d.0[0],
                        activated: d.0[1],
                        count_too_low: d.0[2],
                        failed: d.0[3],
                    }
                })
                .collect(),
            per_day_omitted: self.per_day_omitted,
            families,
            products_omitted,
            refused_unnamed,
        })
    }

    /// The client rows in report order, built on up to `threads` threads; their names are
    /// moved out of the map.
    #[cfg(test)]
    pub(super) fn take_clients(&mut self, lang: Lang, threads: usize) -> Vec<ClientRow> {
        self.take_clients_upto(lang, threads, usize::MAX).0
    }

    /// Like `take_clients`, building only the first `limit` rows; also gives the
    /// rows of clients with skewed clocks (all of them, in the same order), the number of rows
    /// and how many of them are outside the count's window.
    pub(super) fn take_clients_upto(
        &mut self,
        lang: Lang,
        threads: usize,
        limit: usize,
    ) -> (Vec<ClientRow>, Vec<SkewRow>, usize, u64) {
        // Sorted by normalised name, then CMID (stable), before the rows are built. The sort
        // compares the first 16 bytes of the normalised names as one integer and looks further
        // only on a tie, so it allocates nothing; the rows are then built from the map's state,
        // their names moved out, not copied.
        let window = self.window().map(|(_, w)| w);
        let mut order: Vec<RowRef<'_>> = Vec::with_capacity(self.client_rows);
        let (filtering, whole_log) = (self.filtering, &self.whole_log);
        let cmids = &mut self.cmids;
        let guid = cmids.guid.iter_mut().map(|(g, c)| (CmidOf::Guid(*g), c));
        let text = cmids.text.iter_mut().map(|(t, c)| (CmidOf::Text(t), c));
        for (cmid, c) in guid.chain(text) {
            let empty = matches!(cmid, CmidOf::Text(t) if t.is_empty());
            let shared = c.rows.len() > 1 && !empty;
            // The CMID's newest request in the whole log decides whether it is in the count.
            let last = if filtering {
                whole_log.get(cmid).map_or(OptTs::default(), |w| w.last)
            } else {
                c.last
            };
            let outside_window = !empty && window.is_some_and(|w| w.outside(last));
            for a in c.rows.iter_mut() {
                order.push(RowRef {
                    prefix: name_prefix(a.name.as_str()),
                    cmid,
                    shared,
                    outside_window,
                    agg: a,
                });
            }
        }
        let mut order = sorted(order);
        let mut tally = super::products::Tally::default();
        for r in &order {
            tally.add(r.agg);
        }
        self.families = Some(tally.families());
        let total = order.len();
        let outside = order.iter().filter(|r| r.outside_window).count() as u64;
        let skewed = order
            .iter()
            .filter(|r| r.agg.skewed_requests > 0)
            .map(|r| SkewRow {
                name: r.agg.name.as_str().to_owned(),
                cmid: r.cmid.text(),
                requests: r.agg.skewed_requests,
                max_skew_secs: r.agg.max_skew().unwrap_or(0),
            })
            .collect();
        order.truncate(limit);
        (client_rows(order, lang, threads), skewed, total, outside)
    }

    /// The host count's window, from `--now` or the newest host request of the whole log.
    pub(super) fn window(&self) -> Option<(Timestamp, Window)> {
        let newest = if self.filtering {
            self.whole_log.newest
        } else {
            self.newest_host
        };
        let now = self.now.or(newest)?;
        let start = now.unix() - volact_core::kms::COUNT_WINDOW_SECS;
        Some((
            now,
            Window {
                start,
                now: now.unix(),
            },
        ))
    }

    /// The count the host would have at "now", from every host request of the log (filters
    /// choose the rows shown, not the count).
    pub(super) fn count_now(&self) -> Option<CountNow> {
        let (now, window) = self.window()?;
        let start = window.start;
        let (mut client_os, mut server_os, mut unknown) = (0u64, 0u64, 0u64);
        let mut highest_policy = 0u32;
        let mut tally = |last: OptTs, min_count: Option<u32>| {
            if !window.counts(last) {
                return;
            }
            match min_count {
                Some(n) if n >= CLIENT_THRESHOLD => client_os += 1,
                Some(n) if n > 0 => server_os += 1,
                _ => unknown += 1,
            }
            if let Some(n) = min_count {
                highest_policy = highest_policy.max(n);
            }
        };
        if self.filtering {
            let w = &self.whole_log;
            for c in w.guid.values().chain(w.text.values()) {
                tally(c.last, c.min_count);
            }
        } else {
            for c in self.cmids.guid.values() {
                tally(c.last, c.min_count);
            }
            for (t, c) in &self.cmids.text {
                if !t.is_empty() {
                    tally(c.last, c.min_count);
                }
            }
        }
        let distinct = client_os + server_os + unknown;
        let cap = if highest_policy == 0 {
            COUNT_CAP
        } else {
            (highest_policy.saturating_mul(2)).min(COUNT_CAP)
        };
        let count = distinct.min(u64::from(cap)) as u32;
        Some(CountNow {
            now,
            window_start: Timestamp::from_unix(start, now.is_utc()),
            distinct_cmids: distinct,
            client_os,
            server_os,
            unknown_os: unknown,
            cap,
            count,
            client_threshold: CLIENT_THRESHOLD,
            server_threshold: SERVER_THRESHOLD,
            client_os_activates: count >= CLIENT_THRESHOLD,
            server_os_activates: count >= SERVER_THRESHOLD,
        })
    }
}
