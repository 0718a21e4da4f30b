//! The Software Protection events of each client (8196, 8230, 8233, 1058, 16384, 12308,
//! 8213-8215, 12309, 12310, 12320, and the 8198 failures): what each machine logged, and for
//! every failure whether a later successful activation of the same client and product followed
//! (transient: the machine recovered on its own) or not (persistent).
//!
//! A success is a 12308, 12320, a 12309 with code 0, an 8230 whose state is licensed, or a KMS
//! attempt that activated (12288 + 12289). It resolves a failure of the same computer logged
//! before it, for the same SKU when both name one. Events are compared by time, so the order of
//! the inputs does not matter. Failures without a time (or beyond the memory bound) count as
//! persistent: nothing shows that they recovered.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;
use volact_core::ErrorCode;
use volact_core::Lang;
use volact_core::event::{Event, EventData, SppEvent, Timestamp};

use super::options::{MAX_CLIENT_EVENTS, MAX_CLIENTS, MAX_LISTED};
use super::report::{Attempt, CodeCount, OtherCode, Outcome};
use super::store::norm_name;

/// The failure events whose outcome (transient or persistent) the report tells.
pub(super) const FAILURE_IDS: [u32; 6] = [8198, 8196, 8233, 8213, 8214, 8215];

/// A failure or a success of one client (and product), at one time.
#[derive(Debug, Clone)]
struct Mark {
    client: String,
    sku: Option<String>,
    time: Option<i64>,
    event_id: u32,
    code: Option<ErrorCode>,
}

#[derive(Debug, Default)]
struct ClientAgg {
    name: String,
    counts: BTreeMap<u32, u64>,
    last_success: Option<Timestamp>,
    ad_object: Option<String>,
}

/// The Software Protection events gathered so far (bounded: [`MAX_LISTED`] listed events,
/// [`MAX_CLIENTS`] clients, [`MAX_CLIENT_EVENTS`] failures and successes).
#[derive(Debug, Default)]
pub(super) struct SppLog {
    total: u64,
    listed: Vec<Event>,
    clients: BTreeMap<String, ClientAgg>,
    clients_omitted: u64,
    failures: Vec<Mark>,
    successes: Vec<Mark>,
    failures_unordered: BTreeMap<u32, u64>,
    counts: BTreeMap<u32, u64>,
    codes: BTreeMap<(u32, ErrorCode), u64>,
    avma_ok: u64,
    office_failures: u64,
}

impl SppLog {
    /// One event: an [`SppEvent`] or an 8198 (other events are left alone).
    pub(super) fn add(&mut self, ev: &Event) {
        let (sku, code, success, failure) = match &ev.data {
            EventData::Spp(s) => {
                self.total += 1;
                if self.listed.len() < MAX_LISTED {
                    self.listed.push(ev.clone());
                }
                let failure = FAILURE_IDS.contains(&ev.id);
                (
                    s.sku_id().map(str::to_owned),
                    s.code(),
                    s.is_success(),
                    failure,
                )
            }
            EventData::SluiFailed(s) => (s.sku_id.clone(), s.code, false, true),
            _ => return,
        };
        *self.counts.entry(ev.id).or_default() += 1;
        let client = ev.computer.as_deref().map(norm_name).unwrap_or_default();
        if let Some(c) = self.client(&client, ev.computer.as_deref()) {
            *c.counts.entry(ev.id).or_default() += 1;
            if success
                && ev
                    .time
                    .is_some_and(|t| c.last_success.is_none_or(|l| t > l))
            {
                c.last_success = ev.time;
            }
            if let EventData::Spp(SppEvent::AdActivated(a)) = &ev.data {
                c.ad_object.clone_from(&a.ao_name);
            }
        }
        if let EventData::Spp(SppEvent::VlActivationFailed(v)) = &ev.data
            && v.is_office()
        {
            self.office_failures += 1;
        }
        let mark = Mark {
            client,
            sku,
            time: ev.time.map(Timestamp::unix),
            event_id: ev.id,
            code,
        };
        if let (Some(c), true) = (code, ev.id != 8230 && ev.id != 8198) {
            if c.value() != 0 {
                *self.codes.entry((ev.id, c)).or_default() += 1;
            } else if matches!(ev.id, 12309 | 12310) {
                self.avma_ok += 1;
            }
        }
        if failure {
            if self.failures.len() < MAX_CLIENT_EVENTS {
                self.failures.push(mark);
            } else {
                // Beyond the bound: counted, and persistent (nothing shows they recovered).
                *self.failures_unordered.entry(ev.id).or_default() += 1;
            }
        } else if success && self.successes.len() < MAX_CLIENT_EVENTS {
            self.successes.push(mark);
        }
    }

    fn client(&mut self, key: &str, name: Option<&str>) -> Option<&mut ClientAgg> {
        if !self.clients.contains_key(key) {
            if self.clients.len() >= MAX_CLIENTS {
                self.clients_omitted += 1;
                return None;
            }
            let agg = ClientAgg {
                name: name.unwrap_or("").trim().to_owned(),
                ..ClientAgg::default()
            };
            self.clients.insert(key.to_owned(), agg);
        }
        self.clients.get_mut(key)
    }

    /// Whether any event was gathered.
    pub(super) fn is_empty(&self) -> bool {
        self.counts.is_empty()
    }

    /// The view, with the KMS attempts that activated as further successes.
    pub(super) fn view(mut self, attempts: &[Attempt], lang: Lang) -> (SppView, Resolver) {
        for a in attempts.iter().filter(|a| a.outcome == Outcome::Activated) {
            if self.successes.len() >= MAX_CLIENT_EVENTS {
                break;
            }
            let client = a.computer.as_deref().map(norm_name).unwrap_or_default();
            if let Some(c) = self.clients.get_mut(&client)
                && a.time.is_some_and(|t| c.last_success.is_none_or(|l| t > l))
            {
                c.last_success = a.time;
            }
            self.successes.push(Mark {
                client,
                sku: a.activation_id.clone(),
                time: a.time.map(Timestamp::unix),
                event_id: 12289,
                code: None,
            });
        }
        let resolver = Resolver::new(&self.successes);
        let failures = FAILURE_IDS
            .iter()
            .filter_map(|id| {
                let extra = self.failures_unordered.get(id).copied().unwrap_or(0);
                outcome(*id, &self.failures, extra, &resolver, lang)
            })
            .collect();
        let mut per_client: HashMap<&str, (u64, u64)> = HashMap::new();
        for f in &self.failures {
            let e = per_client.entry(f.client.as_str()).or_default();
            if resolver.resolved(&f.client, f.sku.as_deref(), f.time) {
                e.0 += 1;
            } else {
                e.1 += 1;
            }
        }
        let clients = self
            .clients
            .iter()
            .map(|(k, c)| {
                let (t, p) = per_client.get(k.as_str()).copied().unwrap_or_default();
                SppClient {
                    computer: c.name.clone(),
                    events: id_counts(&c.counts),
                    failures_transient: t,
                    failures_persistent: p,
                    last_success: c.last_success,
                    ad_object: c.ad_object.clone(),
                }
            })
            .collect();
        self.listed.sort_by(|a, b| {
            let key = |e: &Event| (e.computer.as_deref().map(norm_name), e.time, e.record_id);
            key(a).cmp(&key(b))
        });
        let events = self
            .listed
            .iter()
            .filter_map(|e| row(e, &resolver, lang))
            .collect();
        let codes = code_list(&self.codes, lang);
        let view = SppView {
            events_total: self.total,
            avma_activated: self.avma_ok,
            office_vl_failures: self.office_failures,
            codes,
            event_counts: id_counts(&self.counts),
            failures,
            clients,
            clients_omitted: self.clients_omitted,
            events,
        };
        (view, resolver)
    }
}

/// Codes by event ID with their counts, most frequent first (then by event ID).
pub(super) fn code_list(m: &BTreeMap<(u32, ErrorCode), u64>, lang: Lang) -> Vec<OtherCode> {
    let mut v: Vec<OtherCode> = m
        .iter()
        .map(|((id, c), n)| OtherCode {
            event_id: *id,
            code: CodeCount::new(*c, *n, lang),
        })
        .collect();
    v.sort_by(|a, b| {
        b.code
            .count
            .cmp(&a.code.count)
            .then(a.event_id.cmp(&b.event_id))
    });
    v
}

fn id_counts(m: &BTreeMap<u32, u64>) -> Vec<IdCount> {
    m.iter()
        .map(|(id, n)| IdCount {
            event_id: *id,
            count: *n,
        })
        .collect()
}

/// The latest success of each client (and product): whether a failure was followed by one.
#[derive(Debug, Default)]
pub(super) struct Resolver {
    by_sku: HashMap<(String, Option<String>), i64>,
    any: HashMap<String, i64>,
}

impl Resolver {
    fn new(successes: &[Mark]) -> Self {
        let mut r = Self::default();
        for s in successes {
            let Some(t) = s.time else { continue };
            let e = r
                .by_sku
                .entry((s.client.clone(), s.sku.clone()))
                .or_insert(t);
            *e = (*e).max(t);
            let e = r.any.entry(s.client.clone()).or_insert(t);
            *e = (*e).max(t);
        }
        r
    }

    /// Whether a failure of `client` (normalised) for `sku` at `time` was followed by a success.
    pub(super) fn resolved(&self, client: &str, sku: Option<&str>, time: Option<i64>) -> bool {
        let Some(t) = time else { return false };
        let later = |k: (String, Option<String>)| self.by_sku.get(&k).is_some_and(|s| *s > t);
        match sku {
            Some(s) => {
                later((client.to_owned(), Some(s.to_owned()))) || later((client.to_owned(), None))
            }
            None => self.any.get(client).is_some_and(|s| *s > t),
        }
    }

    /// [`Resolver::resolved`] for an event.
    pub(super) fn event_resolved(&self, e: &Event, sku: Option<&str>) -> bool {
        let client = e.computer.as_deref().map(norm_name).unwrap_or_default();
        self.resolved(&client, sku, e.time.map(Timestamp::unix))
    }
}

fn outcome(
    id: u32,
    marks: &[Mark],
    unordered: u64,
    r: &Resolver,
    lang: Lang,
) -> Option<FailureOutcome> {
    let mine: Vec<&Mark> = marks.iter().filter(|m| m.event_id == id).collect();
    if mine.is_empty() && unordered == 0 {
        return None;
    }
    let mut o = FailureOutcome {
        event_id: id,
        failures: mine.len() as u64 + unordered,
        persistent: unordered,
        ..FailureOutcome::default()
    };
    let (mut tc, mut pc) = (Vec::<&str>::new(), Vec::<&str>::new());
    let (mut t_codes, mut p_codes) = (BTreeMap::new(), BTreeMap::new());
    for m in mine {
        let codes = if r.resolved(&m.client, m.sku.as_deref(), m.time) {
            o.transient += 1;
            if !tc.contains(&m.client.as_str()) {
                tc.push(&m.client);
            }
            if let Some(t) = m.time {
                o.first_transient = Some(o.first_transient.map_or(t, |f: i64| f.min(t)));
                o.last_transient = Some(o.last_transient.map_or(t, |l: i64| l.max(t)));
            }
            &mut t_codes
        } else {
            o.persistent += 1;
            if !pc.contains(&m.client.as_str()) {
                pc.push(&m.client);
            }
            &mut p_codes
        };
        if let Some(c) = m.code {
            *codes.entry(c).or_insert(0u64) += 1;
        }
    }
    o.transient_clients = tc.len() as u64;
    o.persistent_clients = pc.len() as u64;
    let list = |m: BTreeMap<ErrorCode, u64>| {
        let mut v: Vec<CodeCount> = m
            .into_iter()
            .map(|(c, n)| CodeCount::new(c, n, lang))
            .collect();
        v.sort_by(|a, b| b.count.cmp(&a.count).then(a.code.cmp(&b.code)));
        v
    };
    o.transient_codes = list(t_codes);
    o.persistent_codes = list(p_codes);
    Some(o)
}

fn row(e: &Event, r: &Resolver, lang: Lang) -> Option<SppRow> {
    let EventData::Spp(s) = &e.data else {
        return None;
    };
    let detail = match s {
        SppEvent::AdActivated(a) | SppEvent::AdObjectNotUsable(a) => a.ao_name.clone(),
        SppEvent::AdObjectNotRetrieved(a) => a.kms_id.clone(),
        SppEvent::VlActivationFailed(v) => v.trigger.clone(),
        SppEvent::RestartScheduled { reason, .. } => reason.clone(),
        SppEvent::ScheduleReevaluated(x) => x.license_state.clone(),
        SppEvent::AvmaResponse(a) | SppEvent::AvmaRequest(a) => a.detail.clone(),
        _ => None,
    };
    let failure = FAILURE_IDS.contains(&e.id);
    Some(SppRow {
        time: e.time,
        computer: e.computer.clone(),
        event_id: e.id,
        event: s.kind(),
        title: s.title(lang),
        code: s.code().map(|c| CodeCount::new(c, 1, lang)),
        sku_id: s.sku_id().map(str::to_owned),
        product: s.sku_id().and_then(super::products::product_name),
        office: matches!(s, SppEvent::VlActivationFailed(v) if v.is_office()),
        detail,
        transient: failure.then(|| r.event_resolved(e, s.sku_id())),
        routine: matches!(
            s,
            SppEvent::RestartScheduled { .. }
                | SppEvent::ScheduleReevaluated(_)
                | SppEvent::AcpiKeyFailed { .. }
        ),
    })
}

/// How many events of one ID.
#[derive(Debug, Clone, Serialize)]
pub struct IdCount {
    /// The event ID.
    pub event_id: u32,
    /// How many.
    pub count: u64,
}

/// The failures of one event ID (8198, 8196, 8233, 8213, 8214, 8215) and how they ended.
#[derive(Debug, Clone, Default, Serialize)]
pub struct FailureOutcome {
    /// The event ID.
    pub event_id: u32,
    /// Failures in all.
    pub failures: u64,
    /// Followed by a successful activation of the same client (and SKU).
    pub transient: u64,
    /// Not followed by one.
    pub persistent: u64,
    /// Clients with transient failures.
    pub transient_clients: u64,
    /// Clients with persistent failures.
    pub persistent_clients: u64,
    /// The first transient failure (seconds since 1970, UTC).
    #[serde(skip)]
    pub first_transient: Option<i64>,
    /// The last transient failure.
    #[serde(skip)]
    pub last_transient: Option<i64>,
    /// Codes of the transient failures, by count.
    pub transient_codes: Vec<CodeCount>,
    /// Codes of the persistent failures, by count.
    pub persistent_codes: Vec<CodeCount>,
}

/// One client's Software Protection events.
#[derive(Debug, Clone, Serialize)]
pub struct SppClient {
    /// The computer, as logged (empty when the events did not name it).
    pub computer: String,
    /// Its events by ID (8198 included).
    pub events: Vec<IdCount>,
    /// Its failures followed by a successful activation.
    pub failures_transient: u64,
    /// Its failures not followed by one.
    pub failures_persistent: u64,
    /// Its newest successful activation.
    pub last_success: Option<Timestamp>,
    /// The Active Directory activation object it used last (12308).
    pub ad_object: Option<String>,
}

/// One Software Protection event.
#[derive(Debug, Clone, Serialize)]
pub struct SppRow {
    /// When.
    pub time: Option<Timestamp>,
    /// Where.
    pub computer: Option<String>,
    /// The event ID.
    pub event_id: u32,
    /// Stable name of the event (`ad_activated`, `vl_activation_failed`, …).
    pub event: &'static str,
    /// What it says, in the report's language.
    pub title: &'static str,
    /// Its code, explained.
    pub code: Option<CodeCount>,
    /// The SKU it names.
    pub sku_id: Option<String>,
    /// The product of the SKU, when volact's products table knows it (an addition).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub product: Option<&'static str>,
    /// 8233: whether the attempt was Office's.
    pub office: bool,
    /// The AO name (12308, 8214), KMS ID (8213), trigger (8233), reason (16384), license state
    /// (8230) or AVMA detail (12309, 12310).
    pub detail: Option<String>,
    /// Failures: whether a successful activation of the same client followed.
    pub transient: Option<bool>,
    /// Routine events that need nothing (16384, 8230, 1058).
    pub routine: bool,
}

/// The Software Protection events of a report.
#[derive(Debug, Clone, Serialize)]
pub struct SppView {
    /// Events of [`SPP_IDS`](volact_core::event::SPP_IDS) read (8198 is in `slui_failures`).
    pub events_total: u64,
    /// 12309 / 12310 with code 0 (Automatic VM Activation succeeded).
    pub avma_activated: u64,
    /// 8233 events of Office (AppId 0ff1ce15-a989-479d-af46-f275c6370663).
    pub office_vl_failures: u64,
    /// Codes of the events other than 0 (not 8198: see `slui_failures`; not 8230's last
    /// consumption reason, which is not a failure), by count.
    pub codes: Vec<OtherCode>,
    /// Events by ID, 8198 included.
    pub event_counts: Vec<IdCount>,
    /// Failures by ID and how they ended.
    pub failures: Vec<FailureOutcome>,
    /// Per client, in order of normalised name.
    pub clients: Vec<SppClient>,
    /// Clients beyond the bound, not listed.
    pub clients_omitted: u64,
    /// The events (up to 1000), by computer then time.
    pub events: Vec<SppRow>,
}

impl SppView {
    /// The failures of `id`, if any.
    pub fn failures_of(&self, id: u32) -> Option<&FailureOutcome> {
        self.failures.iter().find(|f| f.event_id == id)
    }

    /// The codes of the events of `ids`, and how many events carried them.
    pub fn codes_of(&self, ids: &[u32]) -> (u64, Vec<ErrorCode>) {
        let mine = self.codes.iter().filter(|c| ids.contains(&c.event_id));
        let n = mine.clone().map(|c| c.code.count).sum();
        let mut codes: Vec<ErrorCode> = Vec::new();
        for c in mine {
            if !codes.contains(&c.code.code) {
                codes.push(c.code.code);
            }
        }
        (n, codes)
    }

    /// How many events of `id`.
    pub fn count_of(&self, id: u32) -> u64 {
        self.event_counts
            .iter()
            .find(|c| c.event_id == id)
            .map_or(0, |c| c.count)
    }
}
