//! What `volact analyze` finds, language-free: one [`FindingKind`] variant per finding, its fields
//! the typed facts it rests on. The rules in `analyze::findings` build them; the sentences are
//! written at report time by [`crate::phrases::finding`].
//!
//! Adding a finding: a variant here (and its id in [`Kind::id`]), its sentence pair in
//! `phrases.rs`, the rule that pushes it in `analyze/findings.rs`, and a test.

use serde::Serialize;
use volact_core::ErrorCode;
use volact_core::finding::Kind;

/// One finding of the analysis: its kind and facts, level, codes and next commands.
pub type Finding = volact_core::finding::Finding<FindingKind>;

/// What was found, with the facts it rests on. Serialised (as the JSON `facts` of a finding) as
/// its fields only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
#[non_exhaustive]
pub enum FindingKind {
    /// A product with a key is not licensed.
    ProductNotLicensed {
        /// Its name (`?` when slmgr gave none).
        product: String,
        /// Its `License Status:` as slmgr printed it.
        status: String,
        /// Its `Notification Reason:`, when there is one.
        reason: Option<ErrorCode>,
    },
    /// The slmgr output has no English labels: products were not read.
    SlmgrNotParsed {},
    /// The KMS host counts fewer machines than client OSes need ([`volact_core::kms::CLIENT_THRESHOLD`]).
    HostCountLow {
        /// Its current count.
        count: u64,
    },
    /// DNS publishing is off on the KMS host.
    HostDnsPublishingOff {},
    /// Requests to the KMS host failed.
    HostFailedRequests {
        /// Requests that failed.
        failed: u64,
        /// All requests.
        total: u64,
    },
    /// The client's KMS host is forced (`KeyManagementServiceName`, `slmgr /skms`).
    ForcedKmsHost {
        /// `host:port`.
        host: String,
    },
    /// slmgr says DNS auto-discovery found no KMS host.
    DnsDiscoveryFailed {},
    /// The client has no DNS suffix to search for `_vlmcs._tcp`.
    NoDnsSuffix {},
    /// No adapter has a DNS server.
    NoDnsServers {},
    /// Windows Time is not synchronised with any server.
    ClockUnsynchronised {},
    /// A collection step failed.
    StepFailed {
        /// The step.
        step: String,
        /// Why (as the collector said it).
        error: String,
    },
    /// A collection step succeeded with a note.
    StepNote {
        /// The step.
        step: String,
        /// The note (as the collector said it).
        note: String,
    },
    /// Product keys were masked while collecting.
    KeysRedacted {
        /// How many.
        count: usize,
    },
    /// What `volact events` found in the event logs (its finding's id is also the id).
    EventLogs {
        /// The events finding, with its facts; the events crate's phrases word it.
        finding: volact_events::ReportFinding,
    },
    /// What `volact scan`'s slmgr diagnosis says about a product with a key (its kind is the id).
    SlmgrDiagnosis {
        /// The diagnosis, with its facts; scan's phrases word it.
        diagnosis: volact_scan::slmgr::Diagnosis,
        /// The product's name.
        product: Option<String>,
    },
}

const SLMGR: &str = r"cscript //nologo %windir%\system32\slmgr.vbs";

impl FindingKind {
    /// The commands worth running next, in order, language-free. Each is a row of volact's
    /// commands table ([`volact_core::commands`]), which gives its elevation mark and where it
    /// runs; an events finding carries the commands `volact events` gives it, a scan diagnosis none.
    pub fn commands(&self) -> Vec<String> {
        let port = volact_core::kms::PORT;
        let skms = || format!("{SLMGR} /skms <kms-host>:{port}");
        match self {
            Self::ProductNotLicensed { .. } | Self::HostCountLow { .. } => {
                vec![format!("{SLMGR} /dlv")]
            }
            Self::HostDnsPublishingOff {} => vec![format!("{SLMGR} /sdns")],
            Self::HostFailedRequests { .. } => {
                vec!["Get-WinEvent -LogName 'Key Management Service' -MaxEvents 50".into()]
            }
            Self::ForcedKmsHost { .. } => vec![format!("{SLMGR} /ckms"), skms()],
            Self::DnsDiscoveryFailed {} => vec![format!(
                "nslookup -type=srv {}.<domain>",
                volact_core::kms::SRV_PREFIX
            )],
            Self::NoDnsSuffix {} => vec![format!("{SLMGR} /skms-domain <domain>"), skms()],
            Self::NoDnsServers {} => vec!["ipconfig /all".into()],
            Self::ClockUnsynchronised {} => {
                vec!["w32tm /query /status".into(), "w32tm /resync".into()]
            }
            Self::SlmgrNotParsed {}
            | Self::StepFailed { .. }
            | Self::StepNote { .. }
            | Self::KeysRedacted { .. }
            | Self::SlmgrDiagnosis { .. } => Vec::new(),
            Self::EventLogs { finding } => finding.commands(),
        }
    }

    /// The activation `slmgr /ato` performs among [`commands`](Self::commands), when one of
    /// them is `/ato` (its mark depends on it): the events finding's.
    pub fn case(&self) -> Option<volact_core::commands::Case> {
        match self {
            Self::EventLogs { finding } => finding.case(),
            _ => None,
        }
    }
}

impl Kind for FindingKind {
    fn id(&self) -> &'static str {
        match self {
            Self::ProductNotLicensed { .. } => "product-not-licensed",
            Self::SlmgrNotParsed {} => "slmgr-not-parsed",
            Self::HostCountLow { .. } => "host-count-low",
            Self::HostDnsPublishingOff {} => "host-dns-publishing-off",
            Self::HostFailedRequests { .. } => "host-failed-requests",
            Self::ForcedKmsHost { .. } => "forced-kms-host",
            Self::DnsDiscoveryFailed {} => "dns-discovery-failed",
            Self::NoDnsSuffix {} => "no-dns-suffix",
            Self::NoDnsServers {} => "no-dns-servers",
            Self::ClockUnsynchronised {} => "clock-unsynchronised",
            Self::StepFailed { .. } => "step-failed",
            Self::StepNote { .. } => "step-note",
            Self::KeysRedacted { .. } => "keys-redacted",
            Self::EventLogs { finding } => volact_core::finding::Kind::id(finding),
            Self::SlmgrDiagnosis { diagnosis, .. } => diagnosis.id(),
        }
    }
}
