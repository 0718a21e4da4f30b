//! The report model of `volact analyze`: [`Analysis`] and its parts. Its findings and planned
//! checks are language-free ([`crate::finding`], [`crate::check`]); their sentences are written in
//! the analysis language when it is rendered: as JSON by `wire.rs` ([`SCHEMA_VERSION`]), in the
//! other formats by [`crate::render`].

use serde::Serialize;
use volact_core::{ErrorCode, Lang};
use volact_scan::slmgr::Snapshot;

use crate::check::PlannedCheck;
use crate::finding::Finding;
use crate::manifest::StepStatus;
use crate::model::{DnsConfig, SystemInfo};

/// Version of the JSON of [`Analysis`]. Bumped on any incompatible change.
pub const SCHEMA_VERSION: u32 = 1;

/// The whole analysis of one bundle. Serialised (the JSON wire format) with each finding's `text`
/// and each check's `target` and `reason` in [`Analysis::lang`].
#[derive(Debug, Clone)]
pub struct Analysis {
    /// [`SCHEMA_VERSION`].
    pub schema_version: u32,
    /// Language of the texts (and of the findings and checks when rendered).
    pub lang: Lang,
    /// What the bundle is and how collection went.
    pub bundle: BundleInfo,
    /// The machine.
    pub machine: Machine,
    /// Products with an installed key, from `slmgr /dlv` (products without a key are counted only).
    pub products: Vec<Snapshot>,
    /// Products `/dlv all` listed without a key.
    pub products_without_key: usize,
    /// KMS settings from the registry.
    pub settings: KmsSettings,
    /// DNS client settings, when collected.
    pub dns: Option<DnsConfig>,
    /// Windows Time status, when collected.
    pub time: Option<TimeStatus>,
    /// The first time server configured for Windows Time (`W32Time\Parameters\NtpServer`).
    pub ntp_server: Option<String>,
    /// Event log files in the bundle.
    pub event_logs: Vec<EventLog>,
    /// `volact events` over all of them: client attempts, host view, codes, what needs attention.
    pub events: Option<volact_events::Report>,
    /// `volact scan` over the text files (slmgr, w32tm, ipconfig, registry and DNS dumps).
    pub scan: volact_scan::ScanReport,
    /// Every distinct error code found in the bundle, with where it was seen.
    pub codes: Vec<CodeSeen>,
    /// What looks wrong or worth knowing, most serious first.
    pub findings: Vec<Finding>,
    /// The checks `volact doctor` would run from that machine to confirm the findings.
    pub checks: Vec<PlannedCheck>,
    /// The `volact doctor` command line that runs them, from that machine or its network.
    pub doctor_command: String,
}

/// Bundle facts.
#[derive(Debug, Clone, Serialize)]
pub struct BundleInfo {
    /// The bundle file.
    pub path: String,
    /// When it was collected.
    pub created_utc: String,
    /// The volact version that collected it.
    pub volact_version: String,
    /// `windows` or `recorded: ...`.
    pub source: String,
    /// Product keys masked while collecting.
    pub keys_redacted: usize,
    /// Each step, how it ended.
    pub steps: Vec<StepSummary>,
    /// Problems met while reading the bundle, in English.
    pub warnings: Vec<String>,
    /// The same problems, each with a stable `kind` and its details (renderers write them in
    /// the report's language).
    pub warning_details: Vec<crate::bundle::BundleWarning>,
    /// Files read and skipped, bytes decompressed (reading is bounded; see [`crate::MAX_TOTAL`]).
    pub read: crate::bundle::ReadStats,
}

/// One collection step.
#[derive(Debug, Clone, Serialize)]
pub struct StepSummary {
    /// Step id.
    pub id: String,
    /// What ran.
    pub command: String,
    /// How it ended.
    pub status: StepStatus,
    /// Exit code, if any.
    pub exit_code: Option<i32>,
    /// Milliseconds.
    pub duration_ms: u64,
    /// The error, if any.
    pub error: Option<String>,
}

/// What the machine is.
#[derive(Debug, Clone, Serialize, Default)]
pub struct Machine {
    /// Identity and OS, when collected.
    pub system: Option<SystemInfo>,
    /// Activation roles seen: `kms-client`, `kms-host`, `mak`.
    pub roles: Vec<&'static str>,
}

/// KMS-related registry values (ACTIVATION-FACTS §3.3), as found.
#[derive(Debug, Clone, Serialize, Default)]
pub struct KmsSettings {
    /// `KeyManagementServiceName` (forced KMS host; set by `slmgr /skms`).
    pub kms_name: Option<String>,
    /// `KeyManagementServicePort`.
    pub kms_port: Option<u16>,
    /// `KeyManagementServiceListeningPort` (host).
    pub listening_port: Option<u16>,
    /// `DisableDnsPublishing` (host).
    pub disable_dns_publishing: Option<bool>,
    /// `DnsDomainPublishList` (host).
    pub dns_publish_list: Vec<String>,
    /// `EnableKmsLowPriority` (host).
    pub low_priority: Option<bool>,
    /// `VLActivationInterval` in minutes.
    pub activation_interval: Option<u64>,
    /// `VLRenewalInterval` in minutes.
    pub renewal_interval: Option<u64>,
    /// `SkipRearm`.
    pub skip_rearm: Option<bool>,
    /// `DiscoveredKeyManagementServiceName` (NetworkService hive cache), when readable.
    pub discovered_name: Option<String>,
    /// `DiscoveredKeyManagementServicePort`.
    pub discovered_port: Option<u16>,
}

/// `w32tm /query /status`, English labels.
#[derive(Debug, Clone, Serialize, Default)]
pub struct TimeStatus {
    /// `Source:`.
    pub source: Option<String>,
    /// `Last Successful Sync Time:`.
    pub last_sync: Option<String>,
    /// `Stratum:`.
    pub stratum: Option<String>,
    /// Whether the source is the machine's own clock (not synchronised with anything).
    pub unsynchronised: bool,
}

/// One event log file of the bundle.
#[derive(Debug, Clone, Serialize)]
pub struct EventLog {
    /// File in the bundle.
    pub file: String,
    /// `application` (client events) or `kms` (host events).
    pub log: &'static str,
    /// Records read.
    pub records: u64,
    /// Activation events among them.
    pub activation_events: u64,
    /// What could not be read, if anything.
    pub note: Option<String>,
}

/// A code and where it was seen.
#[derive(Debug, Clone, Serialize)]
pub struct CodeSeen {
    /// The code.
    pub code: ErrorCode,
    /// Its symbolic name.
    pub name: Option<&'static str>,
    /// Whether the knowledge base explains it.
    pub known: bool,
    /// One line: the message, or what the decoding says.
    pub summary: String,
    /// Bundle files it appears in.
    pub files: Vec<String>,
    /// Times seen.
    pub count: usize,
}

impl Analysis {
    /// Whether anything needs attention: an error or warning finding.
    pub fn needs_attention(&self) -> bool {
        self.findings.iter().any(|f| f.level.needs_attention())
    }
}
