//! The next commands of each [`ReportFinding`]: command lines, language-free, each a row of
//! volact's commands table ([`volact_core::commands`]), which gives its elevation mark and the
//! machine it runs on. The rules in `findings.rs` attach them with `Finding::with_command`; the
//! JSON carries each with its mark ([`marked`]), text and Markdown write the mark after it.
//!
//! `slmgr /ato` is the one command whose mark depends on the activation it performs: a finding
//! that recommends it says which ([`ReportFinding::case`]).

use volact_core::commands::{self, Case, Marked};
use volact_core::finding::Finding;
use volact_core::kms;

use super::report::ReportFinding;

/// `slmgr.vbs` as Windows runs it from any prompt.
pub(crate) const SLMGR: &str = r"cscript //nologo %windir%\system32\slmgr.vbs";
/// `ospp.vbs` of Office 2016 and later (the folder differs for older versions).
const OSPP: &str = r#"cscript //nologo "%ProgramFiles%\Microsoft Office\Office16\ospp.vbs""#;
/// How many `slmgr /ipk` lines a finding lists at most (one per known GVLK).
const MAX_IPK: usize = 5;

impl ReportFinding {
    /// The commands worth running next, in order (command lines of the commands table).
    pub fn commands(&self) -> Vec<String> {
        let slmgr = |s: &str| format!("{SLMGR} {s}");
        match self {
            Self::ClientFailures { .. }
            | Self::SluiFailures { .. }
            | Self::AutoActivationFailed { .. }
            | Self::CountBelowClientThreshold { .. }
            | Self::CountBelowServerThreshold { .. }
            | Self::HostErrors { .. } => vec![slmgr("/dlv")],
            Self::NoResponse { .. } => vec![
                format!("nslookup -type=srv {}.<domain>", kms::SRV_PREFIX),
                format!("Test-NetConnection <kms-host> -Port {}", kms::PORT),
            ],
            Self::ClockSkew { .. } => {
                vec!["w32tm /query /status".into(), "w32tm /resync".into()]
            }
            // Microsoft's fix for a duplicated CMID: rearm the clones (resets the CMID).
            Self::ClonedCmids { .. } => vec![slmgr("/rearm")],
            Self::DnsPublishingFailed { .. } => {
                vec![format!("nslookup -type=srv {}.<domain>", kms::SRV_PREFIX)]
            }
            Self::VlActivationFailed { office, .. } => {
                let mut v = vec![slmgr("/dlv")];
                if *office > 0 {
                    v.push(format!("{OSPP} /dstatus"));
                }
                v
            }
            Self::AdActivationFailed { .. } | Self::AdObjectNotFound { .. } => {
                vec![slmgr("/ao-list")]
            }
            Self::AdSchemaTooOld { .. } => vec![
                "Get-ADObject (Get-ADRootDSE).schemaNamingContext -Properties objectVersion".into(),
            ],
            Self::AvmaResults { failed, .. } if *failed > 0 => {
                vec!["Get-VMIntegrationService -VMName <vm> -Name 'Key-Value Pair Exchange'".into()]
            }
            Self::RetailChannel { skus, .. } => {
                let mut v: Vec<String> = Vec::new();
                for k in skus.iter().filter_map(|s| s.gvlk) {
                    let line = slmgr(&format!("/ipk {k}"));
                    if !v.contains(&line) && v.len() < MAX_IPK {
                        v.push(line);
                    }
                }
                if v.is_empty() {
                    v.push(slmgr("/ipk <GVLK>"));
                }
                v.push(slmgr("/ato"));
                v.push(slmgr("/ao-list"));
                v
            }
            // On the KMS host: what key it has, then a newer host key activated online.
            Self::HostKeyCannotServe { .. } => {
                vec![slmgr("/dlv"), slmgr("/ipk <KMS host key>"), slmgr("/ato")]
            }
            Self::AvmaResults { .. }
            | Self::ClientsOutsideWindow { .. }
            | Self::SluiTransient { .. }
            | Self::AdActivated { .. }
            | Self::TokenActivated { .. }
            | Self::AcpiKeyWarnings { .. }
            | Self::RoutineEvents { .. }
            | Self::DamagedInput { .. } => Vec::new(),
        }
    }

    /// The activation `slmgr /ato` performs among these commands, when the finding recommends
    /// it: a KMS client's activation after a GVLK is installed (no elevation), or the online
    /// activation of a new KMS host key (elevated).
    pub fn case(&self) -> Option<Case> {
        match self {
            Self::RetailChannel { .. } => Some(Case::Kms),
            Self::HostKeyCannotServe { .. } => Some(Case::Online),
            _ => None,
        }
    }
}

/// `f` with the [`commands`](ReportFinding::commands) of its kind attached.
pub(super) fn with_commands(f: Finding<ReportFinding>) -> Finding<ReportFinding> {
    let cmds = f.kind.commands();
    cmds.into_iter().fold(f, Finding::with_command)
}

/// The commands of `f`, each with its mark from the commands table (every command a finding
/// recommends has a row: tested for every kind).
pub fn marked(f: &Finding<ReportFinding>) -> Vec<Marked> {
    let case = f.kind.case();
    f.commands
        .iter()
        .filter_map(|c| commands::mark(c, case))
        .collect()
}

/// The findings of a report as JSON: the shape of every volact finding (`kind`, `level`, `codes`,
/// `commands`, `facts`) and, as an addition, `command_marks`: each command with its mark
/// (`{run, elevated, runs_on}`), left out when the finding recommends none.
pub(super) fn serialize_findings<S: serde::Serializer>(
    v: &[Finding<ReportFinding>],
    s: S,
) -> Result<S::Ok, S::Error> {
    use volact_core::finding::{Kind, Level};
    #[derive(serde::Serialize)]
    struct Out<'a> {
        kind: &'static str,
        level: Level,
        codes: &'a [volact_core::ErrorCode],
        commands: &'a [String],
        facts: &'a ReportFinding,
        #[serde(skip_serializing_if = "Vec::is_empty")]
        command_marks: Vec<Marked>,
    }
    s.collect_seq(v.iter().map(|f| Out {
        kind: f.kind.id(),
        level: f.level,
        codes: &f.codes,
        commands: &f.commands,
        facts: &f.kind,
        command_marks: marked(f),
    }))
}
