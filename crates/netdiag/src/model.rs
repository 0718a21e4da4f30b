//! The report: what every front end receives. Its serde form is the JSON wire format
//! ([`SCHEMA_VERSION`]); text and NDJSON are rendered from it in [`crate::render`].

use std::net::IpAddr;

use serde::Serialize;
use volact_core::kb::Check;
use volact_core::{ErrorCode, Lang};

/// Version of the JSON report. Bumped on incompatible changes.
pub const SCHEMA_VERSION: u32 = 1;

/// A stage of the walk a KMS client makes, in order: volact's one stage type
/// ([`volact_core::kms::Stage`], also the knowledge base's `Check`).
pub use volact_core::kms::Stage;

/// The result of a stage or of a whole host.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// Passed.
    Pass,
    /// Not run (not asked for, or an earlier stage failed).
    Skip,
    /// Passed with a remark worth reading.
    Warn,
    /// Could not be decided (for example no time source answered).
    Unknown,
    /// Failed: a KMS client would fail here too.
    Fail,
}

impl Status {
    /// Whether this status makes the exit code non-zero.
    pub fn needs_attention(self) -> bool {
        matches!(self, Status::Fail | Status::Unknown)
    }
}

/// How a code relates to a finding.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Relation {
    /// The finding is what this code means: a client seeing it fails for this reason.
    Explains,
    /// A client in this situation will report this code.
    Predicts,
}

/// A code with its knowledge-base summary (from `volact_core::explain`).
#[derive(Clone, Debug, Serialize)]
pub struct CodeRef {
    /// The code, `0xC004F074`.
    pub code: ErrorCode,
    /// Its symbolic name, when known.
    pub name: Option<&'static str>,
    /// One line in the report's language: the knowledge-base message, or the decoding.
    pub summary: String,
    /// Whether the knowledge base has a full entry (`volact explain <code>`).
    pub known: bool,
    /// Explains or predicts.
    pub relation: Relation,
}

impl CodeRef {
    /// Looks the code up in the knowledge base.
    pub fn new(code: u32, relation: Relation, lang: Lang) -> Self {
        let code = ErrorCode::new(code);
        let e = volact_core::explain::explain(code, volact_core::Form::PrefixedHex, lang);
        Self {
            code,
            name: e.name,
            summary: e.summary,
            known: e.known,
            relation,
        }
    }
}

/// A command to run next.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct NextCommand {
    /// Where to run it: `client` or `kms-host`.
    pub on: &'static str,
    /// The command line.
    pub run: String,
    /// What it shows or does, in the report's language.
    pub purpose: String,
    /// Whether it needs an elevated (administrator) prompt, from volact's commands table
    /// ([`volact_core::commands`]).
    pub elevated: bool,
    /// Where the table says it runs: `any`, `kms-client`, `kms-host`, `admin`, `vm-host`.
    pub runs_on: volact_core::commands::RunsOn,
}

/// One stage's result.
#[derive(Clone, Debug, Serialize)]
pub struct StageResult {
    /// Which stage.
    pub stage: Stage,
    /// Its status.
    pub status: Status,
    /// A stable identifier of what happened (`connected`, `refused`, `timed-out`, `accepted`,
    /// `bind-nak`, `not-dcerpc`, `offset-ok`, ...).
    pub outcome: &'static str,
    /// One line in the report's language.
    pub summary: String,
    /// How long the stage took, in milliseconds.
    pub latency_ms: Option<f64>,
    /// The address used, when any.
    pub address: Option<String>,
    /// Codes this finding explains or predicts.
    pub codes: Vec<CodeRef>,
    /// Extra facts (the RPC reply, the clock offset in seconds, ...).
    #[serde(skip_serializing_if = "serde_json::Value::is_null")]
    pub data: serde_json::Value,
}

/// Where a host to check came from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "from", rename_all = "kebab-case")]
pub enum Origin {
    /// `--kms`.
    Argument,
    /// A line of `--hosts-file`.
    HostsFile {
        /// The 1-based line number.
        line: usize,
    },
    /// An SRV record of this domain.
    Srv {
        /// The domain whose `_vlmcs._tcp` record named the host.
        domain: String,
    },
}

/// One host's verdict: the stages in order, the first failing one, the codes and the next
/// commands.
#[derive(Clone, Debug, Serialize)]
pub struct HostReport {
    /// `host:port` as checked.
    pub target: String,
    /// The host name or address.
    pub host: String,
    /// The port.
    pub port: u16,
    /// Where it came from.
    pub origin: Origin,
    /// The worst stage status.
    pub status: Status,
    /// The stages, in the order a client walks them.
    pub stages: Vec<StageResult>,
    /// The first stage that failed (or could not be decided).
    pub first_failure: Option<Stage>,
    /// Every code the stages explain or predict, without repeats.
    pub codes: Vec<CodeRef>,
    /// What to run next on the client or the KMS host.
    pub next_commands: Vec<NextCommand>,
    /// When the host is one of Azure's KMS endpoints and could not be reached: what Microsoft
    /// says causes it (absent for every other host).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub azure: Option<AzureNote>,
}

/// An Azure KMS endpoint that could not be resolved or reached: the causes Microsoft documents
/// for Azure virtual machines, the codes they report and the commands to run.
#[derive(Clone, Debug, Serialize)]
pub struct AzureNote {
    /// The cloud of the endpoint.
    pub cloud: crate::azure::AzureCloud,
    /// The endpoint to use for that cloud (`azkms.core.windows.net`).
    pub endpoint: String,
    /// Where it failed: `dns` or `tcp`.
    pub failure: crate::azure::AzureFailure,
    /// The causes, in the report's language.
    pub summary: String,
    /// 0x800705B4 and 0xC004F074.
    pub codes: Vec<CodeRef>,
    /// Test the port, resolve the name, point the client at the endpoint.
    pub next_commands: Vec<NextCommand>,
}

/// What a SRV lookup for one domain gave.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum LookupOutcome {
    /// Records found.
    Found,
    /// NXDOMAIN: the name does not exist.
    NameNotFound,
    /// The name exists but has no SRV records (NODATA).
    NoRecords,
    /// SERVFAIL, or no answer within the timeout.
    ServerFailure,
    /// The server refused the query.
    Refused,
    /// No DNS server is configured on this machine.
    NoDnsServer,
    /// The domain is not a valid DNS name (or holds a product key, which is never sent).
    BadName,
    /// The only record's target is `.`: the domain says it decidedly offers no KMS service
    /// (RFC 2782).
    NoService,
    /// Another resolver error.
    Error,
}

/// Why a SRV record looks wrong.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SrvFlag {
    /// The target name has no A/AAAA address.
    NoAddress,
    /// The port is not 1688.
    NonDefaultPort,
    /// The target is `.`: "no service here" (RFC 2782); nothing is probed for it.
    NoService,
    /// The target is not a host name; nothing is probed for it.
    BadTarget,
    /// Not checked: the run's host limit (`max_hosts`) was reached before it.
    NotProbed,
}

/// One `_vlmcs._tcp` SRV record.
#[derive(Clone, Debug, Serialize)]
pub struct SrvRecord {
    /// Priority (KMS clients are documented to ignore it, see docs).
    pub priority: u16,
    /// Weight.
    pub weight: u16,
    /// Port.
    pub port: u16,
    /// Target host name (without the trailing dot; `.` for "no service here").
    pub target: String,
    /// The target's addresses.
    pub addresses: Vec<IpAddr>,
    /// What looks wrong.
    pub flags: Vec<SrvFlag>,
}

/// Where a domain to search came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DomainSource {
    /// `--domain`.
    Argument,
    /// The system's DNS suffix search list.
    SearchList,
}

/// The SRV lookup of one domain.
#[derive(Clone, Debug, Serialize)]
pub struct DomainLookup {
    /// The domain.
    pub domain: String,
    /// The name queried: `_vlmcs._tcp.<domain>.`.
    pub query: String,
    /// Where the domain came from.
    pub source: DomainSource,
    /// What the lookup gave.
    pub outcome: LookupOutcome,
    /// Pass, warn (records with flags) or fail.
    pub status: Status,
    /// One line in the report's language.
    pub summary: String,
    /// How long the lookup took, in milliseconds.
    pub latency_ms: Option<f64>,
    /// The code a KMS client would report for this outcome.
    pub codes: Vec<CodeRef>,
    /// The records, sorted by priority then weight (descending).
    pub records: Vec<SrvRecord>,
    /// The resolver's own message, for failures.
    pub detail: Option<String>,
}

/// The discovery stage over every domain tried.
#[derive(Clone, Debug, Serialize)]
pub struct Discovery {
    /// The DNS servers asked.
    pub dns_servers: Vec<String>,
    /// `argument` (`--dns-server`), `system` or `none`.
    pub dns_servers_from: &'static str,
    /// The system's search list (suffixes), as read.
    pub search_list: Vec<String>,
    /// Pass when at least one domain has records (and every `--domain` given has), else fail.
    pub status: Status,
    /// One line in the report's language.
    pub summary: String,
    /// One entry per domain tried, in order.
    pub domains: Vec<DomainLookup>,
    /// What to run next.
    pub next_commands: Vec<NextCommand>,
}

/// One time source asked.
#[derive(Clone, Debug, Serialize)]
pub struct ClockSource {
    /// `host:port` as asked.
    pub server: String,
    /// The address used, when resolved.
    pub address: Option<String>,
    /// Why this source: `argument`, `kms-host` or `domain`.
    pub role: &'static str,
    /// What it answered.
    pub outcome: crate::sntp::SntpOutcome,
    /// How long the query took, in milliseconds.
    pub latency_ms: f64,
}

/// The clock stage over every time source tried.
#[derive(Clone, Debug, Serialize)]
pub struct ClockReport {
    /// Pass, warn (above the warning level), fail (above 4 hours) or unknown (no source gave a
    /// usable time).
    pub status: Status,
    /// One line in the report's language.
    pub summary: String,
    /// The answer with the largest absolute offset: seconds this machine is ahead of that source
    /// (negative: behind), the convention of `volact_core::clock`. `None` when no source gave
    /// a usable time.
    pub offset_s: Option<f64>,
    /// Warning level, in seconds.
    pub warn_above_s: f64,
    /// Failure level, in seconds (4 hours).
    pub fail_above_s: f64,
    /// Every source asked.
    pub sources: Vec<ClockSource>,
    /// Codes predicted.
    pub codes: Vec<CodeRef>,
    /// What to run next.
    pub next_commands: Vec<NextCommand>,
}

/// Counts over the hosts.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Summary {
    /// Hosts checked.
    pub hosts: usize,
    /// Hosts whose stages all passed.
    pub pass: usize,
    /// Hosts with warnings only.
    pub warn: usize,
    /// Hosts that failed a stage.
    pub fail: usize,
    /// Hosts with an undecided stage.
    pub unknown: usize,
    /// Lines of `--hosts-file` read.
    pub hosts_file_lines: usize,
    /// Lines skipped (with reasons in `skipped`).
    pub hosts_file_skipped: usize,
    /// Skipped lines and why (first 100).
    pub skipped: Vec<String>,
    /// Hosts (given or discovered) that were not probed: over the host limit, or refused (a
    /// product key given as a host).
    pub not_probed: usize,
    /// Why they were not probed, in the report's language (`None` when every host was probed).
    pub not_probed_reason: Option<String>,
    /// The first 100 of them, `host:port`.
    pub not_probed_hosts: Vec<String>,
    /// Wall time of the whole run, in milliseconds.
    pub elapsed_ms: f64,
}

/// What `--explain CODE` selected.
#[derive(Clone, Debug, Serialize)]
pub struct ExplainTarget {
    /// The code and its summary.
    pub code: CodeRef,
    /// The checks its knowledge-base entry names.
    pub checks: Vec<Check>,
}

/// The whole answer of `volact doctor`.
#[derive(Clone, Debug, Serialize)]
pub struct Report {
    /// [`SCHEMA_VERSION`].
    pub schema_version: u32,
    /// The language of the texts.
    pub lang: Lang,
    /// The checks run.
    pub checks: Vec<Check>,
    /// Per-stage timeout, in milliseconds.
    pub timeout_ms: u64,
    /// When `--explain` chose the checks.
    pub explain: Option<ExplainTarget>,
    /// SRV discovery, when run.
    pub discovery: Option<Discovery>,
    /// One verdict per host, in input order (explicit hosts first, then discovered ones).
    pub hosts: Vec<HostReport>,
    /// The clock stage, when run.
    pub clock: Option<ClockReport>,
    /// The worst status over discovery, hosts and clock.
    pub status: Status,
    /// The first stage that failed anywhere, in walk order.
    pub first_failure: Option<Stage>,
    /// Counts.
    pub summary: Summary,
}

impl Report {
    /// Whether a blocking stage failed or a requested check could not be decided.
    pub fn needs_attention(&self) -> bool {
        self.status.needs_attention()
    }

    /// Masks every product key in every text of the report (names, addresses, resolver errors,
    /// peers' replies, summaries, next commands), keeping the last five characters; control and
    /// invisible format characters are dropped first, so a key split by them is still found.
    /// [`crate::run`] calls it before returning.
    pub fn redact_keys(&mut self) {
        if let Some(d) = &mut self.discovery {
            d.dns_servers.iter_mut().for_each(scrub);
            d.search_list.iter_mut().for_each(scrub);
            scrub(&mut d.summary);
            for dl in &mut d.domains {
                scrub(&mut dl.domain);
                scrub(&mut dl.query);
                scrub(&mut dl.summary);
                if let Some(x) = &mut dl.detail {
                    scrub(x);
                }
                dl.codes.iter_mut().for_each(|c| scrub(&mut c.summary));
                for r in &mut dl.records {
                    scrub(&mut r.target);
                }
            }
            d.next_commands.iter_mut().for_each(scrub_cmd);
        }
        for h in &mut self.hosts {
            scrub(&mut h.target);
            scrub(&mut h.host);
            if let Origin::Srv { domain } = &mut h.origin {
                scrub(domain);
            }
            for st in &mut h.stages {
                scrub(&mut st.summary);
                if let Some(a) = &mut st.address {
                    scrub(a);
                }
                st.codes.iter_mut().for_each(|c| scrub(&mut c.summary));
                scrub_value(&mut st.data);
            }
            h.codes.iter_mut().for_each(|c| scrub(&mut c.summary));
            h.next_commands.iter_mut().for_each(scrub_cmd);
        }
        if let Some(c) = &mut self.clock {
            scrub(&mut c.summary);
            for src in &mut c.sources {
                scrub(&mut src.server);
                if let Some(a) = &mut src.address {
                    scrub(a);
                }
                match &mut src.outcome {
                    crate::sntp::SntpOutcome::Unusable { detail, .. } => scrub(detail),
                    crate::sntp::SntpOutcome::IoError { error } => scrub(error),
                    _ => {}
                }
            }
            c.codes.iter_mut().for_each(|c| scrub(&mut c.summary));
            c.next_commands.iter_mut().for_each(scrub_cmd);
        }
        if let Some(e) = &mut self.explain {
            scrub(&mut e.code.summary);
        }
        self.summary.skipped.iter_mut().for_each(scrub);
        self.summary.not_probed_hosts.iter_mut().for_each(scrub);
        if let Some(r) = &mut self.summary.not_probed_reason {
            scrub(r);
        }
    }
}

/// Whether a character is dropped before redaction: controls and invisible format characters
/// (zero-width spaces and joiners, soft hyphen, byte-order mark, direction marks).
fn invisible(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{00AD}' | '\u{200B}'..='\u{200F}' | '\u{2028}'..='\u{202E}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}'
        )
}

fn scrub(s: &mut String) {
    if s.chars().any(invisible) {
        s.retain(|c| !invisible(c));
    }
    if let std::borrow::Cow::Owned(r) = volact_core::key::redact_keys_in(s) {
        *s = r;
    }
}

fn scrub_cmd(c: &mut NextCommand) {
    scrub(&mut c.run);
    scrub(&mut c.purpose);
}

fn scrub_value(v: &mut serde_json::Value) {
    match v {
        serde_json::Value::String(s) => scrub(s),
        serde_json::Value::Array(a) => a.iter_mut().for_each(scrub_value),
        serde_json::Value::Object(o) => o.values_mut().for_each(scrub_value),
        _ => {}
    }
}
