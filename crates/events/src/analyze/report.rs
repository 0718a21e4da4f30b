//! The report model: the serialized [`Report`] and its row types (its serde form is the JSON
//! output; text, Markdown, CSV and NDJSON are rendered from it).

use std::collections::HashMap;

use serde::Serialize;
use volact_core::event::{ClientRequest, ClientResponse, Event, HostPort, LicenseState, Timestamp};
use volact_core::explain::explain;
use volact_core::finding::{Finding, Kind};
use volact_core::{ErrorCode, Form, Lang};

use super::options::SkipReason;
use crate::guid::FxBuild;

/// Explained codes, each explained once per report (a host log has tens of thousands of client
/// rows but only a few distinct codes).
pub(super) struct Codes {
    pub(super) lang: Lang,
    pub(super) cache: std::cell::RefCell<HashMap<ErrorCode, CodeCount, FxBuild>>,
}

impl Codes {
    pub(super) fn new(lang: Lang) -> Self {
        Self {
            lang,
            cache: std::cell::RefCell::new(HashMap::default()),
        }
    }

    pub(super) fn one(&self, code: ErrorCode, count: u64) -> CodeCount {
        let mut cache = self.cache.borrow_mut();
        let c = cache
            .entry(code)
            .or_insert_with(|| CodeCount::new(code, 0, self.lang));
        CodeCount { count, ..c.clone() }
    }

    /// The codes of `m`, most frequent first.
    pub(super) fn list(&self, m: impl Iterator<Item = (ErrorCode, u64)>) -> Vec<CodeCount> {
        let mut v: Vec<CodeCount> = m.map(|(c, n)| self.one(c, n)).collect();
        v.sort_by(|a, b| b.count.cmp(&a.count).then(a.code.cmp(&b.code)));
        v
    }
}

/// A code with its name, one-line explanation and how often it occurred.
#[derive(Debug, Clone, Serialize)]
pub struct CodeCount {
    /// The code.
    pub code: ErrorCode,
    /// Its symbolic name.
    pub name: Option<&'static str>,
    /// One line from the knowledge base (or the decoding); shared by every row with the code.
    pub summary: std::sync::Arc<str>,
    /// Whether the knowledge base explains it (`volact explain` gives the steps).
    pub known: bool,
    /// Occurrences.
    pub count: u64,
}

impl CodeCount {
    pub(super) fn new(code: ErrorCode, count: u64, lang: Lang) -> Self {
        let e = explain(code, Form::PrefixedHex, lang);
        Self {
            code,
            name: e.name,
            summary: if code.value() == 0 {
                match lang {
                    Lang::En => "success".into(),
                    Lang::ZhTw => "成功".into(),
                }
            } else {
                e.summary.into()
            },
            known: e.known,
            count,
        }
    }
}

/// A license state with its label.
#[derive(Debug, Clone, Serialize)]
pub struct StateOut {
    /// The number 0-6 (or other).
    pub value: u32,
    /// Stable identifier.
    pub name: &'static str,
    /// Label in the report's language.
    pub label: std::borrow::Cow<'static, str>,
}

impl StateOut {
    pub(super) fn new(s: LicenseState, lang: Lang) -> Self {
        Self {
            value: s.number(),
            name: s.id(),
            label: s.label_cow(lang),
        }
    }
}

/// How an attempt ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// 12289 with success and the activated flag.
    Activated,
    /// 12289 with success but not activated.
    NotActivated,
    /// 12289 with an error code.
    Failed,
    /// 12288 without 12289.
    NoResponse,
}

/// The 12289 part of an attempt.
#[derive(Debug, Clone, Serialize)]
pub struct ResponseOut {
    /// When it was logged.
    pub time: Option<Timestamp>,
    /// Its code.
    pub code: Option<ErrorCode>,
    /// Activated flag.
    pub activated: Option<bool>,
    /// The host's current count.
    pub current_count: Option<u32>,
    /// Activation interval (minutes).
    pub activation_interval: Option<u32>,
    /// Renewal interval (minutes).
    pub renewal_interval: Option<u32>,
}

/// One activation attempt of a client (12288, and its 12289 when there is one).
#[derive(Debug, Clone, Serialize)]
pub struct Attempt {
    /// The client (computer that logged the events).
    pub computer: Option<String>,
    /// When the request was logged.
    pub time: Option<Timestamp>,
    /// The KMS host used.
    pub kms: Option<HostPort>,
    /// The client's CMID.
    pub cmid: Option<String>,
    /// License state when the request was sent.
    pub license_state: Option<StateOut>,
    /// Minimum count the client needs.
    pub min_count: Option<u32>,
    /// Code of the request (12288).
    pub request_code: Option<ErrorCode>,
    /// The response, if any.
    pub response: Option<ResponseOut>,
    /// How it ended.
    pub outcome: Outcome,
    /// The code that tells the outcome (the response's, else the request's), explained.
    pub code: Option<CodeCount>,
    /// The Activation ID (SKU) of the request: matches an 8198's SKU to a later activation (not
    /// in the JSON).
    #[serde(skip)]
    pub activation_id: Option<String>,
    /// The product of that Activation ID, when volact's products table knows it (an addition).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub product: Option<&'static str>,
}

impl Attempt {
    pub(super) fn new(
        e: &Event,
        r: &ClientRequest,
        resp: Option<(&ClientResponse, Option<Timestamp>)>,
        lang: Lang,
    ) -> Self {
        let response = resp.map(|(p, t)| ResponseOut {
            time: t,
            code: p.code,
            activated: p.activated,
            current_count: p.current_count,
            activation_interval: p.activation_interval,
            renewal_interval: p.renewal_interval,
        });
        let outcome = match &response {
            None => Outcome::NoResponse,
            Some(p) if p.code.is_some_and(|c| c.value() != 0) => Outcome::Failed,
            Some(p) if p.activated == Some(true) => Outcome::Activated,
            Some(_) => Outcome::NotActivated,
        };
        let code = response
            .as_ref()
            .and_then(|p| p.code)
            .filter(|c| c.value() != 0)
            .or(r.code);
        Self {
            computer: e.computer.clone(),
            time: e.time,
            kms: r.kms.clone(),
            cmid: r.cmid.clone(),
            license_state: r.license_state.map(|s| StateOut::new(s, lang)),
            min_count: r.min_count,
            request_code: r.code,
            response,
            outcome,
            code: code.map(|c| CodeCount::new(c, 1, lang)),
            activation_id: r.activation_id.clone(),
            product: r
                .activation_id
                .as_deref()
                .and_then(super::products::product_name),
        }
    }
}

/// A KMS host as seen by clients.
#[derive(Debug, Clone, Serialize)]
pub struct HostContact {
    /// `host:port`.
    pub kms: String,
    /// Attempts sent to it.
    pub attempts: u64,
    /// Activated.
    pub activated: u64,
    /// Failed or not activated.
    pub failed: u64,
    /// Without response.
    pub no_response: u64,
    /// The last count it reported.
    pub last_current_count: Option<u32>,
}

/// The client view (12288/12289).
#[derive(Debug, Clone, Serialize)]
pub struct ClientView {
    /// Attempts found.
    pub attempts_total: u64,
    /// Activated.
    pub activated: u64,
    /// Failed or answered without activation.
    pub failed: u64,
    /// 12288 without 12289.
    pub no_response: u64,
    /// 12289 without a 12288 before it.
    pub responses_without_request: u64,
    /// The count the host reported last.
    pub last_current_count: Option<u32>,
    /// Hosts contacted.
    pub hosts: Vec<HostContact>,
    /// Codes of the attempts.
    pub codes: Vec<CodeCount>,
    /// Every attempt, in order (by computer, then time).
    pub attempts: Vec<Attempt>,
}

/// One client as the host saw it.
#[derive(Debug, Clone, Serialize)]
pub struct ClientRow {
    /// Client name.
    pub name: String,
    /// CMID.
    pub cmid: String,
    /// Requests.
    pub requests: u64,
    /// First request (event time).
    pub first_seen: Option<Timestamp>,
    /// Last request (event time).
    pub last_seen: Option<Timestamp>,
    /// Client timestamp of the last request.
    pub last_client_time: Option<Timestamp>,
    /// Code returned to the last request.
    pub last_code: Option<CodeCount>,
    /// All codes returned, by count.
    pub codes: Vec<CodeCount>,
    /// License state at the last request.
    pub license_state: Option<StateOut>,
    /// Minutes to expiry at the last request.
    pub minutes_to_expiry: Option<u64>,
    /// VM flag.
    pub vm: Option<bool>,
    /// Activation ID (product SKU).
    pub activation_id: Option<String>,
    /// The product of the Activation ID, when volact's products table knows it (an addition).
    pub product: Option<&'static str>,
    /// Its family: `windows`, `server` or `office` (an addition).
    pub family: Option<volact_core::products::Family>,
    /// Minimum count the client needs (25 client OS, 5 server OS).
    pub min_count: Option<u32>,
    /// `client` or `server` from the minimum count.
    pub os: Option<&'static str>,
    /// Requests whose client time was more than 4 hours off.
    pub skewed_requests: u64,
    /// Largest difference, client time minus event time, in seconds.
    pub max_skew_secs: Option<i64>,
    /// Whether other client names use the same CMID.
    pub shared_cmid: bool,
    /// Whether the CMID's newest request (in the whole log, whatever the filters) is outside
    /// the count's 30-day window, so that it no longer counts toward the host's count.
    pub outside_window: bool,
}

/// The count the host would have now.
#[derive(Debug, Clone, Serialize)]
pub struct CountNow {
    /// "Now": `--now` or the newest host event.
    pub now: Timestamp,
    /// Start of the 30-day window (exclusive).
    pub window_start: Timestamp,
    /// Distinct CMIDs in the window (before the cap).
    pub distinct_cmids: u64,
    /// Of which client operating systems (minimum count 25).
    pub client_os: u64,
    /// Of which server operating systems (minimum count 5).
    pub server_os: u64,
    /// Of which without a minimum count.
    pub unknown_os: u64,
    /// The cap: twice the highest minimum count seen, at most 50.
    pub cap: u32,
    /// The count.
    pub count: u32,
    /// 25.
    pub client_threshold: u32,
    /// 5.
    pub server_threshold: u32,
    /// Whether client operating systems activate at this count.
    pub client_os_activates: bool,
    /// Whether server operating systems activate at this count.
    pub server_os_activates: bool,
}

/// A client with a skewed clock.
#[derive(Debug, Clone, Serialize)]
pub struct SkewRow {
    /// Client name.
    pub name: String,
    /// CMID.
    pub cmid: String,
    /// Requests with more than 4 hours difference.
    pub requests: u64,
    /// Largest difference (client minus event time), seconds.
    pub max_skew_secs: i64,
}

/// A CMID used by several client names.
#[derive(Debug, Clone, Serialize)]
pub struct CloneRow {
    /// The CMID.
    pub cmid: String,
    /// Names (up to 20).
    pub names: Vec<String>,
    /// How many names in all.
    pub names_total: u64,
}

/// A DNS publishing failure (12293).
#[derive(Debug, Clone, Serialize)]
pub struct DnsRow {
    /// When.
    pub time: Option<Timestamp>,
    /// The host.
    pub computer: Option<String>,
    /// The domain.
    pub domain: Option<String>,
    /// The code, explained.
    pub code: Option<CodeCount>,
}

/// The host view (12290, 12293, 12294).
#[derive(Debug, Clone, Serialize)]
pub struct HostView {
    /// Requests processed (12290).
    pub requests: u64,
    /// Distinct (name, CMID) pairs.
    pub clients_total: u64,
    /// Of those, the ones outside the count's 30-day window ([`ClientRow::outside_window`]).
    pub clients_outside_window: u64,
    /// The count the host would have now, from every host request of the log (`--since`,
    /// `--until` and `--client` choose the rows shown, not the count).
    pub count: Option<CountNow>,
    /// Codes returned, by count.
    pub codes: Vec<CodeCount>,
    /// Requests with a clock difference over 4 hours.
    pub skewed_requests: u64,
    /// Clients with such requests.
    pub skewed: Vec<SkewRow>,
    /// CMIDs shared by several names.
    pub cloned: Vec<CloneRow>,
    /// DNS publishing failures (up to 1000 listed).
    pub dns_failures: Vec<DnsRow>,
    /// DNS publishing failures in all.
    pub dns_failures_total: u64,
    /// DNS publishing successes (12294).
    pub dns_published: u64,
    /// Per client, in order of normalised name, then CMID: every client, or the first ones of a
    /// report made with `ClientRows::First` (`clients_total` counts them all).
    pub clients: Vec<ClientRow>,
    /// Requests per day (UTC) by outcome, oldest first; days without requests are absent.
    /// Requests without an event time are not in it; only the newest [`MAX_DAYS`](super::options::MAX_DAYS) days are kept.
    pub per_day: Vec<DayCount>,
    /// Requests of older days beyond [`MAX_DAYS`](super::options::MAX_DAYS), not in `per_day`.
    pub per_day_omitted: u64,
    /// Every client (all of them, whatever `clients` lists) by product family, from the
    /// Activation ID of its requests: Windows clients (a host needs 25), servers and Office (5),
    /// then those the products table does not name (shown as logged). An addition beside
    /// `count`, whose rules do not change.
    pub families: Vec<super::products::FamilyCount>,
    /// Clients not in `families`' product lists because their Activation IDs were beyond the
    /// bound of distinct IDs (counted in the unknown family).
    #[serde(skip_serializing_if = "is_zero")]
    pub products_omitted: u64,
    /// Clients answered 0xC004F042 / 0xC004F015 whose requests named no Activation ID (or one
    /// beyond the bound): refused, with no product to name.
    #[serde(skip_serializing_if = "is_zero")]
    pub refused_unnamed: u64,
}

/// Activation requests the host processed on one day (UTC).
#[derive(Debug, Clone, Serialize)]
pub struct DayCount {
    /// `YYYY-MM-DD` (UTC, from the event time).
    pub date: String,
    /// Requests that day.
    pub requests: u64,
    /// Answered with success (code 0x0).
    pub activated: u64,
    /// Refused because the count is too low (0xC004F038).
    pub count_too_low: u64,
    /// Any other code (or none).
    pub failed: u64,
}

/// An 8198 event.
#[derive(Debug, Clone, Serialize)]
pub struct SluiRow {
    /// When.
    pub time: Option<Timestamp>,
    /// Where.
    pub computer: Option<String>,
    /// `hr=`.
    pub code: Option<CodeCount>,
    /// `Trigger=`.
    pub trigger: Option<String>,
    /// `SkuId=`.
    pub sku_id: Option<String>,
    /// The product of the SKU, when volact's products table knows it (an addition).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub product: Option<&'static str>,
    /// Whether a successful activation of the same client (and SKU) followed: the failure was
    /// transient.
    pub transient: bool,
}

/// Codes carried by other activation events (8198, 1003, other SPP events).
#[derive(Debug, Clone, Serialize)]
pub struct OtherCode {
    /// The event ID.
    pub event_id: u32,
    /// The code and its count.
    pub code: CodeCount,
}

/// Records skipped for one reason.
#[derive(Debug, Clone, Serialize)]
pub struct SkipCount {
    /// The reason.
    pub reason: SkipReason,
    /// Its label.
    pub label: &'static str,
    /// How many.
    pub count: u64,
}

/// Records used with hidden fields, for one way of hiding them.
#[derive(Debug, Clone, Serialize)]
pub struct PartialCount {
    /// How the fields were hidden (`placeholder` or `masked`).
    pub reason: volact_core::event::text::Redaction,
    /// Its label.
    pub label: &'static str,
    /// How many records.
    pub count: u64,
}

/// Why an input gave no activation event, when it gave none.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum NothingUsed {
    /// Nothing in it had the shape of an event record of its form.
    NoRecords,
    /// Records were read, none from an activation provider or with an activation event ID.
    NoActivationEvents {
        /// Records read.
        records: u64,
    },
    /// Records were read, none with an event ID (event data cut from its System part).
    NoEventIds {
        /// Records read.
        records: u64,
    },
    /// Activation records were found, but their data could not be read.
    Unreadable {
        /// Such records.
        records: u64,
    },
    /// Activation records were found, and left out by `--since`, `--until` or `--client`.
    Filtered {
        /// Such records.
        records: u64,
    },
    /// Records were read and skipped for damage or limits (see the warnings).
    Damaged {
        /// Such records.
        records: u64,
    },
}

/// What was read.
#[derive(Debug, Clone, Serialize)]
pub struct Stats {
    /// Records read (events in .evtx, XML, JSON and CSV; in text, recognised events and event
    /// headers of other providers).
    pub records_read: u64,
    /// Activation events used.
    pub events_used: u64,
    /// Records skipped.
    pub records_skipped: u64,
    /// Why.
    pub skipped: Vec<SkipCount>,
    /// Examples of unreadable activation data (up to 20), in English.
    pub bad_examples: Vec<String>,
    /// The same examples, each with a stable `kind` and its details (renderers write them in
    /// the report's language).
    pub bad_example_details: Vec<crate::BadExample>,
    /// .evtx chunks that could not be read.
    pub damaged_chunks: u64,
    /// Record numbers absent between the chunks of .evtx logs (not damage; see
    /// [`Report::notes`]).
    #[serde(skip_serializing_if = "is_zero")]
    pub records_absent: u64,
    /// Records used although some of their fields held a placeholder (`<CMID>`) or a mask
    /// (`xxxx`, `***`): those fields were read as absent.
    #[serde(skip_serializing_if = "is_zero")]
    pub records_partial: u64,
    /// The same records by how their fields were hidden.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub partial: Vec<PartialCount>,
    /// Oldest event used.
    pub oldest: Option<Timestamp>,
    /// Newest event used.
    pub newest: Option<Timestamp>,
}

/// One input.
#[derive(Debug, Clone, Serialize)]
pub struct InputSummary {
    /// Path or `-`.
    pub name: String,
    /// `evtx`, `xml`, `text`, or null when it could not be opened.
    pub kind: Option<&'static str>,
    /// Records read from it.
    pub records_read: u64,
    /// Activation events used from it.
    pub events_used: u64,
    /// Records skipped from it.
    pub records_skipped: u64,
    /// Why it could not be read (entirely), if so.
    pub error: Option<String>,
    /// The form it was recognised as (`event_xml`, `wevtutil_text`, `evtx_dump_json`,
    /// `wazuh_json`, ...: see [`crate::forms::Form::id`]), when it was read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub form: Option<&'static str>,
    /// Why it gave no activation event, when it gave none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nothing_used: Option<NothingUsed>,
}

pub(super) fn is_zero(n: &u64) -> bool {
    *n == 0
}

/// The whole report; its serde form is the JSON output.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// Changes on any incompatible change.
    pub schema_version: u32,
    /// Language of the texts.
    pub lang: Lang,
    /// Inputs read.
    pub inputs: Vec<InputSummary>,
    /// Counts.
    pub stats: Stats,
    /// Warnings (up to 100).
    pub warnings: Vec<String>,
    /// Warnings in all.
    pub warnings_total: u64,
    /// The kept warnings again, each with a stable `kind` and its details, in the order of
    /// `warnings` (renderers write them in the report's language).
    pub warning_details: Vec<crate::Warning>,
    /// Neutral notes, not damage (up to 100): record numbers absent from a log, in English.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// The same notes with a stable `kind` and details (renderers write them in the report's
    /// language).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub note_details: Vec<crate::Warning>,
    /// What needs attention (stable identifiers: the `kind` of each of `findings` above
    /// [`Level::Ok`](volact_core::finding::Level::Ok); an `ok` finding is only worth knowing).
    pub attention: Vec<&'static str>,
    /// What needs attention, with level, codes, facts and the next commands (the same findings
    /// as `attention`); each command also with its mark from volact's commands table in
    /// `command_marks` (an addition).
    #[serde(serialize_with = "super::advice::serialize_findings")]
    pub findings: Vec<Finding<ReportFinding>>,
    /// The client view, when client events were found.
    pub client: Option<ClientView>,
    /// The host view, when host events were found.
    pub host: Option<HostView>,
    /// 8198 events (up to 1000).
    pub slui_failures: Vec<SluiRow>,
    /// 8198 events in all.
    pub slui_failures_total: u64,
    /// Codes from 8198, 1003 and other activation events.
    pub other_codes: Vec<OtherCode>,
    /// The Software Protection events (8196, 8230, 8233, 1058, 16384, 12308, 8213-8215, 12309,
    /// 12310, 12320) per client, and how the failures (8198 among them) ended; absent without
    /// such events or 8198s.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub spp: Option<super::spp::SppView>,
}

/// One finding of an events report. The JSON `kind` is [`Kind::id`] (the identifiers of
/// `attention`); `facts` are the variant's fields.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum ReportFinding {
    /// Client activation attempts failed (12289 with an error, or answered but not activated).
    ClientFailures {
        /// Attempts that failed.
        failed: u64,
        /// Attempts in all.
        attempts: u64,
    },
    /// Client requests got no response (12288 without 12289).
    NoResponse {
        /// Attempts without a response.
        no_response: u64,
    },
    /// The host returned error codes to clients.
    HostErrors {
        /// Requests answered with a code other than 0.
        requests: u64,
    },
    /// Client clocks differ from the host's by more than the limit.
    ClockSkew {
        /// Requests with a skewed clock.
        requests: u64,
        /// Clients with a skewed clock.
        clients: u64,
        /// The limit in seconds.
        limit_secs: i64,
    },
    /// Several client names share one CMID.
    ClonedCmids {
        /// CMIDs used by more than one name.
        cmids: u64,
    },
    /// The host's count is below what client operating systems need.
    CountBelowClientThreshold {
        /// The count now.
        count: u32,
        /// What client operating systems need.
        threshold: u32,
    },
    /// The host's count is below what server operating systems need.
    CountBelowServerThreshold {
        /// The count now.
        count: u32,
        /// What server operating systems need.
        threshold: u32,
    },
    /// Clients whose last request is older than the count's window: the host no longer counts them.
    ClientsOutsideWindow {
        /// Clients outside the window.
        clients: u64,
        /// The window in days.
        window_days: i64,
    },
    /// The host could not publish its SRV record (12293).
    DnsPublishingFailed {
        /// 12293 events.
        failures: u64,
    },
    /// License Activation (slui.exe) failed (8198) and no successful activation of the same
    /// client (and SKU) followed: persistent.
    SluiFailures {
        /// 8198 events not followed by a successful activation.
        failures: u64,
    },
    /// 8198 failures each followed by a successful activation of the same client (and SKU):
    /// transient (at logon, before the network was up), nothing to do.
    SluiTransient {
        /// 8198 events followed by a success.
        failures: u64,
        /// Clients that logged them.
        clients: u64,
        /// The first of them.
        first: Option<Timestamp>,
        /// The last of them.
        last: Option<Timestamp>,
        /// Seconds from the first to the last.
        span_secs: Option<i64>,
    },
    /// 8196: the scheduler could not activate automatically.
    AutoActivationFailed {
        /// 8196 events.
        failures: u64,
        /// Of which followed by a successful activation.
        transient: u64,
    },
    /// 8233: the rules engine reported failed volume activation attempts.
    VlActivationFailed {
        /// 8233 events.
        failures: u64,
        /// Of which followed by a successful activation.
        transient: u64,
        /// Of which Office's.
        office: u64,
    },
    /// 8213 / 8214 / 8215: Active Directory-based activation failed.
    AdActivationFailed {
        /// 8213, 8214 and 8215 events.
        failures: u64,
        /// Of which followed by a successful activation.
        transient: u64,
        /// Clients with failures not followed by one.
        clients: u64,
    },
    /// 8213 / 8214 / 8215 with 0xC004F081: no activation object in Active Directory for the
    /// product (or it is not valid for it).
    AdObjectNotFound {
        /// Such events.
        failures: u64,
    },
    /// 8213 / 8214 / 8215 with 0xC004F083 or 0x80072030: the forest's schema has no activation
    /// objects container (older than the Windows Server 2012 schema).
    AdSchemaTooOld {
        /// Such events.
        failures: u64,
    },
    /// 8198 with 0x8007007B not followed by a successful activation: a machine installed from
    /// retail media has no KMS client key (GVLK), so neither AD-based nor KMS activation applies.
    RetailChannel {
        /// Such 8198 events.
        failures: u64,
        /// The SKUs they name (distinct, up to 20), each with its GVLK when it is a KMS client
        /// SKU of the products table.
        skus: Vec<SkuKey>,
    },
    /// 12290 answers 0xC004F042 / 0xC004F015: the host's key cannot activate these clients'
    /// products; a newer host key (or a host update) is needed.
    HostKeyCannotServe {
        /// Clients answered so.
        clients: u64,
        /// Their products (up to 20), with the host key that activates them.
        products: Vec<ProductNeed>,
    },
    /// 12308: machines activated through Active Directory (they do not add to a KMS count).
    AdActivated {
        /// 12308 events.
        activations: u64,
        /// Clients that logged them.
        clients: u64,
    },
    /// 12309 / 12310: Automatic VM Activation results.
    AvmaResults {
        /// With code 0.
        activated: u64,
        /// With another code.
        failed: u64,
    },
    /// 12320: token-based activation succeeded.
    TokenActivated {
        /// 12320 events.
        activations: u64,
    },
    /// 1058: the firmware (ACPI) product key was not installed, usually harmless.
    AcpiKeyWarnings {
        /// 1058 events.
        warnings: u64,
    },
    /// 16384 and 8230: routine Software Protection events, nothing to do.
    RoutineEvents {
        /// 16384: service restarts scheduled.
        restarts_scheduled: u64,
        /// 8230: schedule re-checks.
        schedule_rechecks: u64,
    },
    /// Some input was damaged or unreadable.
    DamagedInput {
        /// Chunks that could not be read.
        damaged_chunks: u64,
        /// Records skipped as damaged or with unreadable data.
        damaged_records: u64,
        /// Warnings in all.
        warnings: u64,
    },
}

impl Kind for ReportFinding {
    fn id(&self) -> &'static str {
        match self {
            ReportFinding::ClientFailures { .. } => "client_failures",
            ReportFinding::NoResponse { .. } => "no_response",
            ReportFinding::HostErrors { .. } => "host_errors",
            ReportFinding::ClockSkew { .. } => "clock_skew",
            ReportFinding::ClonedCmids { .. } => "cloned_cmids",
            ReportFinding::CountBelowClientThreshold { .. } => "count_below_client_threshold",
            ReportFinding::CountBelowServerThreshold { .. } => "count_below_server_threshold",
            ReportFinding::ClientsOutsideWindow { .. } => "clients_outside_window",
            ReportFinding::DnsPublishingFailed { .. } => "dns_publishing_failed",
            ReportFinding::SluiFailures { .. } => "slui_failures",
            ReportFinding::SluiTransient { .. } => "slui_transient",
            ReportFinding::AutoActivationFailed { .. } => "auto_activation_failed",
            ReportFinding::VlActivationFailed { .. } => "vl_activation_failed",
            ReportFinding::AdActivationFailed { .. } => "ad_activation_failed",
            ReportFinding::AdObjectNotFound { .. } => "ad_object_not_found",
            ReportFinding::AdSchemaTooOld { .. } => "ad_schema_too_old",
            ReportFinding::RetailChannel { .. } => "retail_channel",
            ReportFinding::HostKeyCannotServe { .. } => "host_key_cannot_serve",
            ReportFinding::AdActivated { .. } => "ad_activated",
            ReportFinding::AvmaResults { .. } => "avma_results",
            ReportFinding::TokenActivated { .. } => "token_activated",
            ReportFinding::AcpiKeyWarnings { .. } => "acpi_key_warnings",
            ReportFinding::RoutineEvents { .. } => "routine_events",
            ReportFinding::DamagedInput { .. } => "damaged_input",
        }
    }
}

/// A SKU an event names, with its KMS client setup key when the products table has it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SkuKey {
    /// The SKU (Activation ID), as logged.
    pub sku_id: String,
    /// The product it is, when the products table names it.
    pub product: Option<&'static str>,
    /// Its GVLK (published by Microsoft, shown whole), when it is a KMS client SKU.
    pub gvlk: Option<&'static str>,
}

impl SkuKey {
    /// `sku` looked up in [`volact_core::products`].
    pub fn new(sku: &str) -> Self {
        let p = volact_core::products::by_activation_id(sku);
        Self {
            sku_id: sku.to_owned(),
            product: p.map(|p| p.name),
            gvlk: p.map(|p| p.gvlk),
        }
    }
}

/// A product a host refused, and the host key that activates it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProductNeed {
    /// The Activation ID, as logged.
    pub activation_id: String,
    /// The product, when the products table names it (never guessed).
    pub product: Option<&'static str>,
    /// Clients of this product refused.
    pub clients: u64,
    /// The newest host key (CSVLK group) that activates it.
    pub host_key: Option<&'static str>,
    /// Where that host key can be installed, with the update each host needs first.
    pub hosts: Vec<HostNeed>,
}

/// One host operating system a host key can be installed on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HostNeed {
    /// The host's operating system.
    pub os: &'static str,
    /// The update it needs first (`KB5034765`), if any.
    pub update: Option<&'static str>,
}

impl ProductNeed {
    /// The need of the product `id` (refused for `clients` clients).
    pub fn new(id: &str, clients: u64) -> Self {
        let p = volact_core::products::by_activation_id(id);
        // The table lists the host keys newest first.
        let g = p.and_then(|p| {
            volact_core::products::groups()
                .iter()
                .find(|g| p.groups.iter().any(|x| std::ptr::eq(*x, *g)))
        });
        Self {
            activation_id: id.to_owned(),
            product: p.map(|p| p.name),
            clients,
            host_key: g.map(|g| g.name),
            hosts: g.map_or_else(Vec::new, |g| {
                g.hosts
                    .iter()
                    .map(|h| HostNeed {
                        os: h.os,
                        update: h.update,
                    })
                    .collect()
            }),
        }
    }
}
