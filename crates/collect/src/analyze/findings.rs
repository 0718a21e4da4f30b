//! The findings: the rules that turn the analysis into what looks wrong or worth knowing. Each
//! rule pushes a language-free [`Finding`]; its sentence is in `phrases.rs`.

use volact_core::ErrorCode;
use volact_core::finding::Level;
use volact_core::kms::{CLIENT_THRESHOLD, SERVER_THRESHOLD};
use volact_scan::slmgr::Snapshot;

use super::facts::{forced_host, lookup_domains};
use crate::analysis::Analysis;
use crate::bundle::Bundle;
use crate::finding::{Finding, FindingKind};
use crate::manifest::{FileKind, StepStatus};
use crate::phrases;

/// The codes a finding predicts.
const COUNT_TOO_LOW: ErrorCode = ErrorCode::new(0xC004_F038);
const NO_SRV_RECORD: ErrorCode = ErrorCode::new(0x8007_232B);
const HOST_UNAVAILABLE: ErrorCode = ErrorCode::new(0xC004_F074);
const CLOCK_OFF: ErrorCode = ErrorCode::new(0xC004_F06C);

/// The findings about a bundle, most serious first (each id and sentence once).
pub(super) fn findings(
    a: &Analysis,
    snap: Option<&Vec<Snapshot>>,
    bundle: &Bundle,
) -> Vec<Finding> {
    let mut f = Vec::new();
    products(&mut f, a, snap, bundle);
    host(&mut f, a);
    client_discovery(&mut f, a);
    dns_and_time(&mut f, a);
    collection(&mut f, a);
    from_events(&mut f, a);
    from_slmgr_diagnosis(&mut f, a);
    // The same sentence from two sources (two products, or slmgr and the rules) is said once.
    let mut seen = std::collections::HashSet::new();
    f.retain(|x| seen.insert((x.id(), phrases::finding(&x.kind, volact_core::Lang::En))));
    f.sort_by_key(|x| std::cmp::Reverse(x.level));
    for x in &mut f {
        x.commands = x.kind.commands();
    }
    f
}

/// Products that are not licensed, and slmgr output that could not be read.
fn products(f: &mut Vec<Finding>, a: &Analysis, snap: Option<&Vec<Snapshot>>, bundle: &Bundle) {
    for p in &a.products {
        if p.license_status.as_deref() != Some("Licensed") {
            let reason = p.notification_reason;
            let kind = FindingKind::ProductNotLicensed {
                product: p.name.clone().unwrap_or_else(|| "?".into()),
                status: p.license_status.clone().unwrap_or_else(|| "?".into()),
                reason,
            };
            f.push(Finding::new(kind, Level::Error).with_codes(reason));
        }
    }
    if let Some(s) = snap
        && s.is_empty()
        && bundle
            .file(FileKind::Slmgr)
            .is_some_and(|f| !f.data.is_empty())
    {
        f.push(Finding::new(FindingKind::SlmgrNotParsed {}, Level::Info));
    }
}

/// The KMS host's count, DNS publishing and failed requests.
fn host(f: &mut Vec<Finding>, a: &Analysis) {
    let host = a.products.iter().find_map(|p| p.kms_host.as_ref());
    if let Some(h) = host
        && let Some(count) = h.current_count
        && count < u64::from(CLIENT_THRESHOLD)
    {
        let level = if count < u64::from(SERVER_THRESHOLD) {
            Level::Error
        } else {
            Level::Warning
        };
        f.push(Finding::new(FindingKind::HostCountLow { count }, level).with_code(COUNT_TOO_LOW));
    }
    let publishing_off = host.and_then(|h| h.dns_publishing) == Some(false)
        || a.settings.disable_dns_publishing == Some(true);
    if a.machine.roles.contains(&"kms-host") && publishing_off {
        f.push(
            Finding::new(FindingKind::HostDnsPublishingOff {}, Level::Warning)
                .with_code(NO_SRV_RECORD),
        );
    }
    if let Some(h) = host
        && let (Some(total), Some(failed)) = (h.total_requests, h.failed_requests)
        && failed > 0
    {
        let kind = FindingKind::HostFailedRequests { failed, total };
        f.push(Finding::new(kind, Level::Warning));
    }
}

/// How a KMS client finds its host: forced, or DNS auto-discovery and the domains it searches.
fn client_discovery(f: &mut Vec<Finding>, a: &Analysis) {
    if !a.machine.roles.contains(&"kms-client") {
        return;
    }
    if let Some(host) = forced_host(a) {
        f.push(
            Finding::new(FindingKind::ForcedKmsHost { host }, Level::Warning)
                .with_code(HOST_UNAVAILABLE),
        );
        return;
    }
    let kc = a.products.iter().find_map(|p| p.kms_client.as_ref());
    if kc.is_some_and(|c| c.dns_discovery_failed) {
        f.push(
            Finding::new(FindingKind::DnsDiscoveryFailed {}, Level::Error).with_code(NO_SRV_RECORD),
        );
    }
    if let Some(d) = &a.dns
        && lookup_domains(a).is_empty()
        && d.adapters.iter().all(|x| x.suffix.is_none())
    {
        f.push(Finding::new(FindingKind::NoDnsSuffix {}, Level::Warning).with_code(NO_SRV_RECORD));
    }
}

/// DNS servers and Windows Time.
fn dns_and_time(f: &mut Vec<Finding>, a: &Analysis) {
    if let Some(d) = &a.dns
        && !d.adapters.is_empty()
        && d.adapters.iter().all(|x| x.dns_servers.is_empty())
    {
        f.push(Finding::new(FindingKind::NoDnsServers {}, Level::Warning).with_code(NO_SRV_RECORD));
    }
    if a.time.as_ref().is_some_and(|t| t.unsynchronised) {
        f.push(
            Finding::new(FindingKind::ClockUnsynchronised {}, Level::Warning).with_code(CLOCK_OFF),
        );
    }
}

/// Collection steps that failed or left a note, and keys masked while collecting.
fn collection(f: &mut Vec<Finding>, a: &Analysis) {
    for s in &a.bundle.steps {
        if s.status == StepStatus::Failed {
            let kind = FindingKind::StepFailed {
                step: s.id.clone(),
                error: s.error.clone().unwrap_or_else(|| "?".into()),
            };
            f.push(Finding::new(kind, Level::Warning));
        } else if s.status == StepStatus::Ok
            && let Some(note) = &s.error
        {
            let kind = FindingKind::StepNote {
                step: s.id.clone(),
                note: note.clone(),
            };
            f.push(Finding::new(kind, Level::Info));
        }
    }
    if a.bundle.keys_redacted > 0 {
        let kind = FindingKind::KeysRedacted {
            count: a.bundle.keys_redacted,
        };
        f.push(Finding::new(kind, Level::Info));
    }
}

/// What `volact events` found in the event logs: each finding it lists as needing attention, at
/// most a warning here (the bundle's own findings say what fails).
fn from_events(f: &mut Vec<Finding>, a: &Analysis) {
    let Some(r) = &a.events else {
        return;
    };
    for e in r.findings.iter().filter(|e| e.level > Level::Ok) {
        let level = e.level.min(Level::Warning);
        let kind = FindingKind::EventLogs {
            finding: e.kind.clone(),
        };
        f.push(Finding::new(kind, level));
    }
}

/// What `volact scan`'s slmgr diagnosis adds about products with a key (the states and host
/// counters it shares with the findings above are not repeated).
fn from_slmgr_diagnosis(f: &mut Vec<Finding>, a: &Analysis) {
    const COVERED: &[&str] = &[
        "licensed",
        "unlicensed",
        "notification",
        "kms-count-below-threshold",
        "kms-failed-requests",
        "kms-dns-publishing-off",
    ];
    for snap in &a.scan.snapshots {
        if snap.snapshot.partial_product_key.is_none() {
            continue;
        }
        for d in &snap.diagnosis {
            let level = match d.level() {
                Level::Ok => continue,
                Level::Info => Level::Info,
                _ => Level::Warning,
            };
            if COVERED.contains(&d.kind()) {
                continue;
            }
            let kind = FindingKind::SlmgrDiagnosis {
                diagnosis: d.finding.kind,
                product: snap.snapshot.name.clone(),
            };
            f.push(Finding::new(kind, level).with_codes(d.code()));
        }
    }
}
