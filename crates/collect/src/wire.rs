//! The JSON wire format of an [`Analysis`]: its fields as they are, each finding as
//! `{level, id, text, codes, facts}` and each planned check as `{check, target, reason}`, the
//! words written by [`crate::phrases`] in the analysis language.
//!
//! A borrowed mirror of [`Analysis`] rather than a derive: a derive cannot reach the language
//! the findings are to be written in.

use serde::{Serialize, Serializer};
use volact_core::commands;
use volact_core::finding::Level;
use volact_core::kms::Stage;
use volact_core::{ErrorCode, Lang};

use crate::analysis::Analysis;
use crate::check::PlannedCheck;
use crate::finding::{Finding, FindingKind};
use crate::phrases;

/// One finding as the JSON says it.
#[derive(Serialize)]
pub(crate) struct FindingOut<'a> {
    level: Level,
    id: &'static str,
    text: String,
    codes: &'a [ErrorCode],
    /// The commands to run next, each with its mark from volact's commands table (`elevated`,
    /// `runs_on`); left out when there are none (an addition of schema 1).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    commands: Vec<commands::Marked>,
    /// The typed facts the sentence is written from (an addition of schema 1).
    facts: &'a FindingKind,
}

/// One planned check as the JSON says it.
#[derive(Serialize)]
pub(crate) struct CheckOut {
    check: Stage,
    target: String,
    reason: String,
}

impl<'a> FindingOut<'a> {
    /// `f` in `lang`.
    pub(crate) fn new(f: &'a Finding, lang: Lang) -> Self {
        FindingOut {
            level: f.level,
            id: f.id(),
            text: phrases::finding(&f.kind, lang),
            codes: &f.codes,
            commands: marked(f),
            facts: &f.kind,
        }
    }
}

/// The finding's commands with their marks (a finding only recommends commands of the table:
/// tested for every kind).
pub(crate) fn marked(f: &Finding) -> Vec<commands::Marked> {
    f.commands
        .iter()
        .filter_map(|c| commands::mark(c, f.kind.case()))
        .collect()
}

impl CheckOut {
    /// `c` in `lang`.
    pub(crate) fn new(c: &PlannedCheck, lang: Lang) -> Self {
        CheckOut {
            check: c.check,
            target: phrases::target(&c.target, lang),
            reason: phrases::reason(&c.reason, lang),
        }
    }
}

impl Serialize for Analysis {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Wire<'a> {
            schema_version: u32,
            lang: Lang,
            bundle: &'a crate::analysis::BundleInfo,
            machine: &'a crate::analysis::Machine,
            products: &'a [volact_scan::slmgr::Snapshot],
            products_without_key: usize,
            settings: &'a crate::analysis::KmsSettings,
            dns: &'a Option<crate::model::DnsConfig>,
            time: &'a Option<crate::analysis::TimeStatus>,
            ntp_server: &'a Option<String>,
            event_logs: &'a [crate::analysis::EventLog],
            events: &'a Option<volact_events::Report>,
            scan: &'a volact_scan::ScanReport,
            codes: &'a [crate::analysis::CodeSeen],
            findings: Vec<FindingOut<'a>>,
            checks: Vec<CheckOut>,
            doctor_command: &'a str,
        }
        let lang = self.lang;
        Wire {
            schema_version: self.schema_version,
            lang,
            bundle: &self.bundle,
            machine: &self.machine,
            products: &self.products,
            products_without_key: self.products_without_key,
            settings: &self.settings,
            dns: &self.dns,
            time: &self.time,
            ntp_server: &self.ntp_server,
            event_logs: &self.event_logs,
            events: &self.events,
            scan: &self.scan,
            codes: &self.codes,
            findings: self
                .findings
                .iter()
                .map(|f| FindingOut::new(f, lang))
                .collect(),
            checks: self.checks.iter().map(|c| CheckOut::new(c, lang)).collect(),
            doctor_command: &self.doctor_command,
        }
        .serialize(s)
    }
}
